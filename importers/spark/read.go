package spark

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Model is a Spark ML save as Read found it: the root save (a Pipeline or
// PipelineModel, or a single stage such as a fitted model) with its stages
// and nested saves.
type Model struct {
	// Dir is the directory that was read, as given to Read.
	Dir string
	// Stage is the root save. Its Path is ".".
	Stage
}

// Stage is one save: the root, a pipeline stage or a nested save.
type Stage struct {
	// Class is the saved class: a JVM class such as
	// org.apache.spark.ml.feature.StringIndexerModel, or a Python one such
	// as pyspark.ml.pipeline.PipelineModel or __main__.Cleanser.
	Class string
	// UID is the stage's Spark uid, e.g. strIdx_930e3f3b922c.
	UID string
	// SparkVersion is the version of Spark that wrote the save.
	SparkVersion string
	// Timestamp is when the save was written; zero when unknown.
	Timestamp time.Time
	// Language is "Python" for a pipeline saved by PySpark (paramMap.language);
	// empty otherwise.
	Language string
	// Params are the params set explicitly (paramMap), without the pipeline
	// structure (stageUids, language). Values keep their JSON types; numbers
	// are canonical json.Number.
	Params map[string]any
	// Defaults are the default values of params (defaultParamMap). Nil when
	// the save has no defaultParamMap (Spark before 2.4): then Params hold
	// every param, defaults included, and nothing tells them apart.
	Defaults map[string]any
	// Extra holds the other top-level keys of the metadata, e.g. numFeatures
	// and numClasses of a tree model, avgMetrics of a CrossValidatorModel.
	Extra map[string]any
	// Pipeline says the save is a pipeline (paramMap has stageUids).
	Pipeline bool
	// Stages are a pipeline's stages, in order.
	Stages []*Stage
	// Nested are saves kept in sub-folders of this one: RFormulaModel's
	// pipelineModel/, CrossValidatorModel's bestModel/, estimator/ and
	// evaluator/, OneVsRestModel's classifier/ and model_<i>/.
	Nested []*Stage
	// Role is the sub-folder a nested save came from ("pipelineModel",
	// "bestModel", …); empty for the root and pipeline stages.
	Role string
	// Path is the save's directory relative to Model.Dir, slash-separated.
	Path string
	// Files are the save's own files (its metadata and data files, not those
	// of its stages and nested saves), relative to Model.Dir,
	// slash-separated, sorted. Hadoop checksums (.crc) and _SUCCESS markers
	// are left out.
	Files []string
	// Data are the files of Files under data/.
	Data []string
}

// HasDefaults reports whether the save told defaults from explicit params
// (it has a defaultParamMap: Spark 2.4 and later).
func (s *Stage) HasDefaults() bool { return s.Defaults != nil }

// Effective returns the configuration the stage runs with: the defaults,
// overlaid by the explicit params.
func (s *Stage) Effective() map[string]any {
	out := make(map[string]any, len(s.Params)+len(s.Defaults))
	for k, v := range s.Defaults {
		out[k] = v
	}
	for k, v := range s.Params {
		out[k] = v
	}
	return out
}

// Walk calls fn for s and every stage and nested save below it, depth first,
// in order.
func (s *Stage) Walk(fn func(*Stage)) {
	fn(s)
	for _, c := range s.Stages {
		c.Walk(fn)
	}
	for _, c := range s.Nested {
		c.Walk(fn)
	}
}

// maxDepth bounds how deeply saves may nest (a symbolic link loop would
// otherwise never end).
const maxDepth = 32

// nestedOrder orders the sub-folders of nested saves Spark writes; others
// follow in natural order.
var nestedOrder = map[string]int{"pipelineModel": 1, "bestModel": 2, "estimator": 3, "evaluator": 4, "classifier": 5}

// Read reads the Spark ML save in dir: its metadata, every stage's and every
// nested save's, and the list of their files. Nothing is returned unless
// the whole save reads cleanly; errors about a file are *Error.
func Read(dir string) (*Model, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{File: dir, Msg: "no such directory", Err: err}
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &Error{File: dir, Msg: "is not a directory; want the directory a Spark ML save() wrote"}
	}
	r := &reader{root: dir}
	s, err := r.read(".", 0, nil)
	if err != nil {
		return nil, err
	}
	return &Model{Dir: dir, Stage: *s}, nil
}

type reader struct {
	root string
}

// file returns the name of rel (slash-separated, relative to the root) for
// messages and opening.
func (r *reader) file(rel string) string {
	return filepath.Join(r.root, filepath.FromSlash(rel))
}

// listing is where a pipeline lists a stage: the pipeline's metadata file,
// the stage's index and uid.
type listing struct {
	file  string
	index int
	uid   string
}

// read reads the save in directory rel; a pipeline stage's uid must be the
// one its pipeline lists.
func (r *reader) read(rel string, depth int, listed *listing) (*Stage, error) {
	if depth > maxDepth {
		return nil, &Error{File: r.file(rel), Msg: fmt.Sprintf("saves nest more than %d deep", maxDepth)}
	}
	mdRel, err := r.findMetadata(rel)
	if err != nil {
		return nil, err
	}
	name := r.file(mdRel)
	data, err := readLimited(name)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	md, err := parseMetadata(data, name)
	if err != nil {
		return nil, err
	}
	if listed != nil && md.UID != listed.uid {
		line, col := md.pos("uid")
		return nil, &Error{File: name, Line: line, Column: col,
			Msg: fmt.Sprintf("uid is %q, but %s lists %q as stage %d", md.UID, listed.file, listed.uid, listed.index)}
	}
	s := &Stage{
		Class: md.Class, UID: md.UID, SparkVersion: md.SparkVersion, Language: md.Language,
		Params: md.ParamMap, Defaults: md.DefaultParamMap, Extra: md.Extra,
		Pipeline: md.IsPipeline, Path: rel,
	}
	if md.Timestamp != 0 {
		s.Timestamp = time.UnixMilli(md.Timestamp).UTC()
	}
	// Directories that belong to stages and nested saves, not to this save.
	owned := map[string]bool{}
	if md.IsPipeline {
		for i, uid := range md.StageUIDs {
			sub, err := r.stageDir(rel, i, len(md.StageUIDs), uid)
			if err != nil {
				line, col := md.pos(fmt.Sprintf("stageUids[%d]", i))
				return nil, &Error{File: name, Line: line, Column: col, Msg: err.Error(), Err: err}
			}
			child, err := r.read(sub, depth+1, &listing{file: name, index: i, uid: uid})
			if err != nil {
				return nil, err
			}
			s.Stages = append(s.Stages, child)
			owned[sub] = true
		}
	}
	roles, err := r.nestedDirs(rel)
	if err != nil {
		return nil, err
	}
	for _, role := range roles {
		sub := path.Join(rel, role)
		child, err := r.read(sub, depth+1, nil)
		if err != nil {
			return nil, err
		}
		child.Role = role
		s.Nested = append(s.Nested, child)
		owned[sub] = true
	}
	if s.Files, err = r.ownFiles(rel, owned); err != nil {
		return nil, err
	}
	dataPrefix := path.Join(rel, "data") + "/"
	for _, f := range s.Files {
		if strings.HasPrefix(f, dataPrefix) {
			s.Data = append(s.Data, f)
		}
	}
	return s, nil
}

// findMetadata returns the metadata file of the save in rel:
// metadata/part-00000, or the one part file Spark 4 names
// part-00000-<uuid>-c000.txt.
func (r *reader) findMetadata(rel string) (string, error) {
	mdDir := path.Join(rel, "metadata")
	want := path.Join(mdDir, "part-00000")
	if st, err := os.Stat(r.file(want)); err == nil && st.Mode().IsRegular() {
		return want, nil
	}
	if entries, err := os.ReadDir(r.file(mdDir)); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "part-") && !strings.HasSuffix(e.Name(), ".crc") && e.Type().IsRegular() {
				return path.Join(mdDir, e.Name()), nil
			}
		}
	}
	msg := fmt.Sprintf("missing: %s is not a Spark ML save (no metadata/part-00000)", r.file(rel))
	return "", &Error{File: r.file(want), Msg: msg, Err: fs.ErrNotExist}
}

// stageDir finds stage i of n (uid) of the pipeline in rel:
// stages/<i>_<uid>, i zero-padded to the digits of n as Spark writes it,
// or else any stages/<digits>_<uid> whose number is i.
func (r *reader) stageDir(rel string, i, n int, uid string) (string, error) {
	stages := path.Join(rel, "stages")
	want := path.Join(stages, fmt.Sprintf("%0*d_%s", len(strconv.Itoa(n)), i, uid))
	if st, err := os.Stat(r.file(want)); err == nil && st.IsDir() {
		return want, nil
	}
	if entries, err := os.ReadDir(r.file(stages)); err == nil {
		for _, e := range entries {
			num, u, ok := strings.Cut(e.Name(), "_")
			if j, err := strconv.Atoi(num); ok && err == nil && j == i && u == uid && e.IsDir() {
				return path.Join(stages, e.Name()), nil
			}
		}
	}
	return "", fmt.Errorf("stage %d %q has no directory %s", i, uid, r.file(want))
}

// nestedDirs returns the sub-folders of rel that hold a save of their own
// (they have a metadata/ folder), Spark's known ones first.
func (r *reader) nestedDirs(rel string) ([]string, error) {
	entries, err := os.ReadDir(r.file(rel))
	if err != nil {
		return nil, &Error{File: r.file(rel), Msg: err.Error(), Err: err}
	}
	var roles []string
	for _, e := range entries {
		n := e.Name()
		if n == "metadata" || n == "data" || n == "stages" || strings.HasPrefix(n, ".") || !isDir(r.file(path.Join(rel, n))) {
			continue
		}
		if isDir(r.file(path.Join(rel, n, "metadata"))) {
			roles = append(roles, n)
		}
	}
	sort.Slice(roles, func(i, j int) bool {
		a, b := nestedOrder[roles[i]], nestedOrder[roles[j]]
		if a == 0 {
			a = len(nestedOrder) + 1
		}
		if b == 0 {
			b = len(nestedOrder) + 1
		}
		if a != b {
			return a < b
		}
		return naturalLess(roles[i], roles[j])
	})
	return roles, nil
}

// ownFiles lists the regular files under rel outside the owned directories,
// without Hadoop's .crc checksums and _SUCCESS markers.
func (r *reader) ownFiles(rel string, owned map[string]bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(r.file(rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		relp, err := filepath.Rel(r.root, p)
		if err != nil {
			return err
		}
		relp = filepath.ToSlash(relp)
		if d.IsDir() {
			if owned[relp] {
				return filepath.SkipDir
			}
			return nil
		}
		n := d.Name()
		if !d.Type().IsRegular() || strings.HasSuffix(n, ".crc") || n == "_SUCCESS" {
			return nil
		}
		files = append(files, relp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// readLimited reads a metadata file of at most maxMetadataSize bytes.
func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("missing")
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxMetadataSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxMetadataSize {
		return nil, fmt.Errorf("larger than %d MiB; not Spark ML metadata", maxMetadataSize>>20)
	}
	return data, nil
}

// naturalLess orders names with numbers by value: model_2 before model_10.
func naturalLess(a, b string) bool {
	pa, na := splitNumber(a)
	pb, nb := splitNumber(b)
	if pa != pb || na < 0 || nb < 0 {
		return a < b
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

// splitNumber splits a trailing decimal number off s; -1 when there is none.
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}
