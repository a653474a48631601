package spark

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// Tag keys and prefixes the run gets.
const (
	// TagClass is the root save's class.
	TagClass = "spark.class"
	// TagUID is the root save's uid.
	TagUID = "spark.uid"
	// TagSaved is when the root was saved, RFC 3339 in UTC.
	TagSaved = "spark.saved"
	// TagExplicit prefixes the tag that lists a stage's explicit params:
	// spark.explicit.<stage key> = "inputCol,outputCol" (sorted, comma
	// separated; empty when every param has its default value).
	TagExplicit = "spark.explicit."
	// EnvSpark is the environment entry holding the Spark version.
	EnvSpark = "spark"
	// EnvLanguage is the environment entry holding the API language of a
	// PySpark save ("Python").
	EnvLanguage = "spark.language"
	// ExtraPrefix prefixes the extra metadata keys of a save (numFeatures,
	// avgMetrics, …) among its stage's params. Spark param names never
	// contain a dot.
	ExtraPrefix = "metadata."
)

// SpecOptions say what (*Model).Spec records besides the metadata.
type SpecOptions struct {
	// WithData adds every file of the save (metadata and data, without
	// Hadoop .crc checksums and _SUCCESS markers) as an artifact named by
	// its path inside the save, sorted; Path is relative to Model.Dir. A
	// stage with exactly one file under data/ names it as its Artifact.
	WithData bool
}

// The params that name a stage's input and output columns.
var (
	inputParams  = []string{"inputCol", "inputCols", "featuresCol", "labelCol"}
	outputParams = []string{"outputCol", "outputCols", "predictionCol"}
)

// Spec turns the model into a run spec:
//
//   - the pipeline: a Pipeline or PipelineModel root gives its stages in
//     order; any other root (a single model, a CrossValidatorModel, an
//     RFormulaModel) is the run's one stage;
//   - each stage: op the class, name the uid, params the effective
//     configuration (defaults overlaid by the explicit params) plus the
//     extra metadata keys prefixed "metadata.", inputs and outputs from the
//     column params, and nested stages: a pipeline's stages, the stages of
//     an RFormulaModel's pipelineModel/, and the other nested saves
//     (bestModel/, estimator/, evaluator/, …) as stages of their own;
//   - tags: spark.class, spark.uid, spark.saved, and for each stage with
//     params spark.explicit.<stage key> listing the explicit ones;
//   - environment: spark (the version) and spark.language for PySpark;
//   - params: the root pipeline's own params (normally none);
//   - message: "import spark <directory name>".
//
// A stage's key is its uid, prefixed by its parent's key and "/" when it is
// nested; a nested save other than an RFormulaModel's pipelineModel adds
// its role: cv_1/bestModel:pipeline_2/logreg_3. Saves without a
// defaultParamMap (Spark < 2.4) count every param as explicit.
func (m *Model) Spec(opts SpecOptions) *runfile.Spec {
	c := &converter{opts: opts, tags: map[string]string{}, used: map[string]bool{}}
	spec := &runfile.Spec{
		Message:     "import spark " + filepath.Base(filepath.Clean(m.Dir)),
		Environment: map[string]string{EnvSpark: m.SparkVersion},
		Tags:        c.tags,
	}
	if m.Language != "" {
		spec.Environment[EnvLanguage] = m.Language
	}
	c.tags[TagClass] = m.Class
	c.tags[TagUID] = m.UID
	if !m.Timestamp.IsZero() {
		c.tags[TagSaved] = m.Timestamp.UTC().Format(time.RFC3339Nano)
	}
	if m.Pipeline {
		if p := m.Effective(); len(p) > 0 {
			spec.Params = p
		}
		spec.Pipeline = c.children(&m.Stage, "")
		c.files(&m.Stage)
	} else {
		spec.Pipeline = []objects.Stage{c.stage(&m.Stage, m.UID)}
	}
	sort.Slice(c.artifacts, func(i, j int) bool { return c.artifacts[i].Path < c.artifacts[j].Path })
	spec.Artifacts = c.artifacts
	return spec
}

type converter struct {
	opts      SpecOptions
	tags      map[string]string
	used      map[string]bool // stage keys given out
	artifacts []runfile.Artifact
}

// key makes k unique among the stage keys given out, should two stages
// share a uid and a parent.
func (c *converter) key(k string) string {
	base := k
	for n := 2; c.used[k]; n++ {
		k = base + "#" + strconv.Itoa(n)
	}
	c.used[k] = true
	return k
}

// stage converts s, whose key is key, with everything below it.
func (c *converter) stage(s *Stage, key string) objects.Stage {
	key = c.key(key)
	st := objects.Stage{Name: s.UID, Op: s.Class}
	eff := s.Effective()
	params := make(map[string]any, len(eff)+len(s.Extra))
	for k, v := range eff {
		params[k] = v
	}
	for k, v := range s.Extra {
		params[ExtraPrefix+k] = v
	}
	if len(params) > 0 {
		st.Params = params
	}
	if len(eff) > 0 {
		explicit := make([]string, 0, len(s.Params))
		for k := range s.Params {
			explicit = append(explicit, k)
		}
		sort.Strings(explicit)
		c.tags[TagExplicit+key] = strings.Join(explicit, ",")
	}
	st.Inputs = columns(eff, inputParams)
	st.Outputs = columns(eff, outputParams)
	st.Stages = c.children(s, key)
	c.files(s)
	if c.opts.WithData && len(s.Data) == 1 {
		st.Artifact = s.Data[0]
	}
	return st
}

// children converts a save's pipeline stages and nested saves.
func (c *converter) children(s *Stage, key string) []objects.Stage {
	join := func(seg string) string {
		if key == "" {
			return seg
		}
		return key + "/" + seg
	}
	var out []objects.Stage
	for _, child := range s.Stages {
		out = append(out, c.stage(child, join(child.UID)))
	}
	for _, n := range s.Nested {
		if n.Role == "pipelineModel" && n.Pipeline {
			// RFormulaModel: the inner pipeline's stages are the stage's own.
			out = append(out, c.children(n, key)...)
			c.files(n)
			continue
		}
		out = append(out, c.stage(n, join(n.Role+":"+n.UID)))
	}
	return out
}

// files adds s's own files as artifacts when the data is wanted.
func (c *converter) files(s *Stage) {
	if !c.opts.WithData {
		return
	}
	for _, f := range s.Files {
		c.artifacts = append(c.artifacts, runfile.Artifact{Path: f, Name: f})
	}
}

// columns returns the column names of the params named in keys: strings
// and lists of strings, in that order, without repeats.
func columns(params map[string]any, keys []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(v any) {
		if s, ok := v.(string); ok && s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, k := range keys {
		switch v := params[k].(type) {
		case string:
			add(v)
		case []any:
			for _, e := range v {
				add(e)
			}
		}
	}
	return out
}
