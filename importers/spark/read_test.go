package spark

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	rFormulaDir = "testdata/apache-spark/ml-models/rFormulaModel-2.4.4"
	dtcDir      = "testdata/apache-spark/ml-models/dtc-2.4.7"
	hashingDir  = "testdata/apache-spark/ml-models/hashingTF-2.4.4"
	kmeansDir   = "testdata/apache-spark/ml-models/kmeans-3.0.3"
	roniDir     = "testdata/Roni-Boiz-lyrics-genre-spark-mllib-pipeline/model"
	mdhDir      = "testdata/mdh266-TwitterSentimentAnalysis/model"
	cvDir       = "testdata/synthesized/cvModel-3.5.3"
)

func mustRead(t *testing.T, dir string) *Model {
	t.Helper()
	m, err := Read(dir)
	if err != nil {
		t.Fatalf("Read(%s): %v", dir, err)
	}
	return m
}

func classes(stages []*Stage) []string {
	var out []string
	for _, s := range stages {
		out = append(out, s.Class)
	}
	return out
}

func uids(stages []*Stage) []string {
	var out []string
	for _, s := range stages {
		out = append(out, s.UID)
	}
	return out
}

func num(s string) json.Number { return json.Number(s) }

func TestReadRFormulaModel(t *testing.T) {
	m := mustRead(t, rFormulaDir)
	if m.Class != "org.apache.spark.ml.feature.RFormulaModel" || m.UID != "rFormula_b1e8062d62e5" || m.SparkVersion != "2.4.4" {
		t.Errorf("root = %s %s %s", m.Class, m.UID, m.SparkVersion)
	}
	if want := time.UnixMilli(1578718757324).UTC(); !m.Timestamp.Equal(want) {
		t.Errorf("timestamp = %v, want %v", m.Timestamp, want)
	}
	if m.Pipeline || len(m.Stages) != 0 {
		t.Errorf("RFormulaModel read as a pipeline: %v", uids(m.Stages))
	}
	if !reflect.DeepEqual(m.Params, map[string]any{"formula": "id ~ a:b"}) {
		t.Errorf("params = %v", m.Params)
	}
	if len(m.Defaults) != 5 || m.Defaults["handleInvalid"] != "error" || m.Defaults["forceIndexLabel"] != false {
		t.Errorf("defaults = %v", m.Defaults)
	}
	if len(m.Nested) != 1 {
		t.Fatalf("nested = %d saves, want pipelineModel", len(m.Nested))
	}
	pm := m.Nested[0]
	if pm.Role != "pipelineModel" || !pm.Pipeline || pm.Class != "org.apache.spark.ml.PipelineModel" || pm.Path != "pipelineModel" {
		t.Errorf("nested = %s %s pipeline=%v path=%s", pm.Role, pm.Class, pm.Pipeline, pm.Path)
	}
	wantUIDs := []string{"strIdx_930e3f3b922c", "strIdx_6f200ff0c188", "interaction_27872b0316e3",
		"rFormula_b1e8062d62e5", "vectorAttrRewriter_3cd9be67b5f1", "columnPruner_cf2f1b9ac2e2"}
	if got := uids(pm.Stages); !reflect.DeepEqual(got, wantUIDs) {
		t.Errorf("stages = %v\nwant %v", got, wantUIDs)
	}
	wantClasses := []string{"org.apache.spark.ml.feature.StringIndexerModel", "org.apache.spark.ml.feature.StringIndexerModel",
		"org.apache.spark.ml.feature.Interaction", "org.apache.spark.ml.feature.VectorAssembler",
		"org.apache.spark.ml.feature.VectorAttributeRewriter", "org.apache.spark.ml.feature.ColumnPruner"}
	if got := classes(pm.Stages); !reflect.DeepEqual(got, wantClasses) {
		t.Errorf("classes = %v", got)
	}
	if got := pm.Stages[2].Params["inputCols"]; !reflect.DeepEqual(got, []any{"stridx_4129a6e7b9ed", "stridx_6fa9560595db"}) {
		t.Errorf("interaction inputCols = %v", got)
	}
	if p := pm.Stages[0].Path; p != "pipelineModel/stages/0_strIdx_930e3f3b922c" {
		t.Errorf("stage path = %s", p)
	}
	// Eight metadata files, each owned by exactly one save; no data (the
	// parquet files were not copied).
	var files []string
	m.Walk(func(s *Stage) { files = append(files, s.Files...) })
	if len(files) != 8 {
		t.Errorf("files = %v", files)
	}
	if !reflect.DeepEqual(m.Files, []string{"metadata/part-00000"}) {
		t.Errorf("root files = %v", m.Files)
	}
}

func TestReadDecisionTreeExtraKeys(t *testing.T) {
	m := mustRead(t, dtcDir)
	if m.Class != "org.apache.spark.ml.classification.DecisionTreeClassificationModel" || m.SparkVersion != "2.4.7" {
		t.Errorf("root = %s %s", m.Class, m.SparkVersion)
	}
	if m.Params == nil || len(m.Params) != 0 {
		t.Errorf("params = %#v, want empty", m.Params)
	}
	if !m.HasDefaults() || len(m.Defaults) != 14 || m.Defaults["maxDepth"] != num("5") || m.Defaults["minInfoGain"] != num("0") {
		t.Errorf("defaults = %v", m.Defaults)
	}
	if !reflect.DeepEqual(m.Extra, map[string]any{"numFeatures": num("692"), "numClasses": num("2")}) {
		t.Errorf("extra = %v", m.Extra)
	}
}

func TestReadHashingTFWithoutData(t *testing.T) {
	m := mustRead(t, hashingDir)
	if m.Class != "org.apache.spark.ml.feature.HashingTF" || m.UID != "hashingTF_f4565fe7f7da" {
		t.Errorf("root = %s %s", m.Class, m.UID)
	}
	if len(m.Data) != 0 || len(m.Nested) != 0 || len(m.Stages) != 0 {
		t.Errorf("data %v nested %d stages %d", m.Data, len(m.Nested), len(m.Stages))
	}
	eff := m.Effective()
	if eff["numFeatures"] != num("100") || eff["binary"] != true || eff["outputCol"] != "features" {
		t.Errorf("effective = %v", eff)
	}
	if m.Defaults["numFeatures"] != num("262144") {
		t.Errorf("defaults = %v", m.Defaults)
	}
}

func TestReadKMeans(t *testing.T) {
	m := mustRead(t, kmeansDir)
	if m.Class != "org.apache.spark.ml.clustering.KMeansModel" || m.SparkVersion != "3.0.3" {
		t.Errorf("root = %s %s", m.Class, m.SparkVersion)
	}
	// The original file has a timestamp in 2026; it is kept as it is.
	if m.Timestamp.Year() != 2026 || m.Timestamp.UnixMilli() != 1787144542463 {
		t.Errorf("timestamp = %v", m.Timestamp)
	}
	if m.Params["seed"] != num("1") || m.Defaults["seed"] != num("-1689246527") || m.Defaults["tol"] != num("0.0001") {
		t.Errorf("params %v defaults %v", m.Params, m.Defaults)
	}
	if m.Effective()["seed"] != num("1") || m.Effective()["initMode"] != "k-means||" {
		t.Errorf("effective = %v", m.Effective())
	}
}

func TestReadPySparkPipeline(t *testing.T) {
	m := mustRead(t, roniDir)
	if m.Class != "pyspark.ml.pipeline.PipelineModel" || m.SparkVersion != "3.5.3" || !m.Pipeline {
		t.Errorf("root = %s %s pipeline=%v", m.Class, m.SparkVersion, m.Pipeline)
	}
	if m.Language != "Python" {
		t.Errorf("language = %q", m.Language)
	}
	if len(m.Params) != 0 || len(m.Defaults) != 0 {
		t.Errorf("root params %v defaults %v; stageUids and language belong to the structure", m.Params, m.Defaults)
	}
	want := []string{"__main__.Cleanser", "__main__.Numerator", "org.apache.spark.ml.feature.RegexTokenizer",
		"org.apache.spark.ml.feature.StopWordsRemover", "__main__.Exploder", "__main__.Stemmer", "__main__.Uniter",
		"__main__.Verser", "org.apache.spark.ml.feature.Word2VecModel", "org.apache.spark.ml.classification.LogisticRegressionModel"}
	if got := classes(m.Stages); !reflect.DeepEqual(got, want) {
		t.Errorf("classes = %v\nwant %v", got, want)
	}
	// Ten stages: directories are zero-padded to two digits.
	if p := m.Stages[0].Path; p != "stages/00_Cleanser_692e31921e42" {
		t.Errorf("stage 0 path = %s", p)
	}
	if p := m.Stages[9].Path; p != "stages/09_LogisticRegression_0c26939b8b2f" {
		t.Errorf("stage 9 path = %s", p)
	}
	cl := m.Stages[0]
	if cl.Params == nil || len(cl.Params) != 0 || cl.Defaults == nil || len(cl.Defaults) != 0 {
		t.Errorf("Cleanser params %#v defaults %#v", cl.Params, cl.Defaults)
	}
	w2v := m.Stages[8]
	if w2v.Defaults["seed"] != num("-836107116076399792") || w2v.Params["minCount"] != num("0") || w2v.Defaults["stepSize"] != num("0.025") {
		t.Errorf("Word2Vec params %v defaults %v", w2v.Params, w2v.Defaults)
	}
	if lr := m.Stages[9]; lr.Defaults["tol"] != num("0.000001") || lr.Params["regParam"] != num("0.01") {
		t.Errorf("LogisticRegression params %v defaults %v", lr.Params, lr.Defaults)
	}
	if sw := m.Stages[3].Defaults["stopWords"].([]any); len(sw) != 181 || sw[0] != "i" {
		t.Errorf("stopWords = %d words", len(sw))
	}
}

func TestReadSpark23WithoutDefaults(t *testing.T) {
	m := mustRead(t, mdhDir)
	if m.SparkVersion != "2.3.2" || m.UID != "PipelineModel_4f7b9d32a994500a1ad4" || m.Language != "" {
		t.Errorf("root = %s %s %q", m.SparkVersion, m.UID, m.Language)
	}
	want := []string{"StopWordsRemover_423599bec5871e3ffed4", "NGram_4502beb9404a4311b4d3",
		"CountVectorizer_4a988db9b1e4fcfac4fe", "IDF_4240bcd585ec2afbe47c", "LogisticRegression_4232bcf280c352f5096b"}
	if got := uids(m.Stages); !reflect.DeepEqual(got, want) {
		t.Errorf("uids = %v", got)
	}
	for _, s := range append([]*Stage{&m.Stage}, m.Stages...) {
		if s.HasDefaults() || s.Defaults != nil {
			t.Errorf("%s: defaults %v; Spark 2.3 writes none", s.UID, s.Defaults)
		}
	}
	if p := m.Stages[1].Path; p != "stages/1_NGram_4502beb9404a4311b4d3" {
		t.Errorf("path = %s", p)
	}
	lr := m.Stages[4]
	if len(lr.Params) != 14 || lr.Params["tol"] != num("0.000001") || lr.Params["regParam"] != num("0") {
		t.Errorf("LogisticRegression params = %v", lr.Params)
	}
	if cv := m.Stages[2].Params; cv["minDF"] != num("5") || cv["vocabSize"] != num("262144") {
		t.Errorf("CountVectorizer params = %v", cv)
	}
}

func TestReadCrossValidatorModel(t *testing.T) {
	m := mustRead(t, cvDir)
	if m.Class != "org.apache.spark.ml.tuning.CrossValidatorModel" || m.Pipeline {
		t.Errorf("root = %s pipeline=%v", m.Class, m.Pipeline)
	}
	var roles []string
	for _, n := range m.Nested {
		roles = append(roles, n.Role+"="+n.Class)
	}
	want := []string{"bestModel=org.apache.spark.ml.PipelineModel", "estimator=org.apache.spark.ml.Pipeline",
		"evaluator=org.apache.spark.ml.evaluation.BinaryClassificationEvaluator"}
	if !reflect.DeepEqual(roles, want) {
		t.Errorf("nested = %v", roles)
	}
	if got := classes(m.Nested[0].Stages); !reflect.DeepEqual(got, []string{"org.apache.spark.ml.feature.HashingTF", "org.apache.spark.ml.classification.LogisticRegressionModel"}) {
		t.Errorf("bestModel stages = %v", got)
	}
	if got := classes(m.Nested[1].Stages); !reflect.DeepEqual(got, []string{"org.apache.spark.ml.feature.HashingTF", "org.apache.spark.ml.classification.LogisticRegression"}) {
		t.Errorf("estimator stages = %v", got)
	}
	if len(m.Params["estimatorParamMaps"].([]any)) != 2 {
		t.Errorf("estimatorParamMaps = %v", m.Params["estimatorParamMaps"])
	}
	if !reflect.DeepEqual(m.Extra, map[string]any{"avgMetrics": []any{num("0.8125"), num("0.8671875")}, "persistSubModels": false}) {
		t.Errorf("extra = %v", m.Extra)
	}
}

// copyDir copies a test save into a temporary directory to be damaged.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func readError(t *testing.T, dir string) *Error {
	t.Helper()
	m, err := Read(dir)
	if err == nil {
		t.Fatalf("Read(%s) = %v, want an error", dir, m)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Read(%s) error %T %q is not an *Error", dir, err, err)
	}
	return e
}

func TestReadTruncatedJSON(t *testing.T) {
	dir := copyDir(t, mdhDir)
	p := filepath.Join(dir, "stages/3_IDF_4240bcd585ec2afbe47c/metadata/part-00000")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, data[:120], 0o644)
	e := readError(t, dir)
	if e.File != p || e.Line != 1 || e.Column != 121 || !strings.Contains(e.Msg, "unexpected end of JSON input") {
		t.Errorf("error = %+v", e)
	}
	if got := e.Error(); got != p+": line 1, column 121: unexpected end of JSON input (is the file truncated?)" {
		t.Errorf("message = %s", got)
	}
}

func TestReadErrorLine(t *testing.T) {
	dir := copyDir(t, hashingDir)
	p := filepath.Join(dir, "metadata/part-00000")
	os.WriteFile(p, []byte("{\n  \"class\": \"org.apache.spark.ml.feature.HashingTF\",\n  \"uid\": \"h_1\",\n  \"paramMap\": {\"numFeatures\": 10,, }\n}\n"), 0o644)
	e := readError(t, dir)
	if e.File != p || e.Line != 4 || e.Column != 34 || !strings.Contains(e.Msg, "invalid character ','") {
		t.Errorf("error = %+v", e)
	}
}

func TestReadMissingMetadata(t *testing.T) {
	dir := t.TempDir()
	e := readError(t, dir)
	if e.File != filepath.Join(dir, "metadata/part-00000") || !strings.Contains(e.Msg, "not a Spark ML save") || !errors.Is(e, os.ErrNotExist) {
		t.Errorf("error = %+v", e)
	}
	// A stage whose directory has no metadata.
	dir = copyDir(t, mdhDir)
	os.RemoveAll(filepath.Join(dir, "stages/1_NGram_4502beb9404a4311b4d3/metadata"))
	e = readError(t, dir)
	if e.File != filepath.Join(dir, "stages/1_NGram_4502beb9404a4311b4d3/metadata/part-00000") {
		t.Errorf("error = %+v", e)
	}
	// Not a directory at all.
	if _, err := Read(filepath.Join(dir, "metadata/part-00000")); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("Read(file) = %v", err)
	}
	if _, err := Read(filepath.Join(dir, "nonexistent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read(nonexistent) = %v", err)
	}
}

func TestReadMissingStageDir(t *testing.T) {
	dir := copyDir(t, mdhDir)
	os.RemoveAll(filepath.Join(dir, "stages/2_CountVectorizer_4a988db9b1e4fcfac4fe"))
	e := readError(t, dir)
	root := filepath.Join(dir, "metadata/part-00000")
	data, _ := os.ReadFile(root)
	col := strings.Index(string(data), `"CountVectorizer_4a988db9b1e4fcfac4fe"`) + 1
	if e.File != root || e.Line != 1 || e.Column != col {
		t.Errorf("error = %+v, want %s line 1 column %d", e, root, col)
	}
	want := `stage 2 "CountVectorizer_4a988db9b1e4fcfac4fe" has no directory ` + filepath.Join(dir, "stages/2_CountVectorizer_4a988db9b1e4fcfac4fe")
	if e.Msg != want {
		t.Errorf("message = %s\nwant      %s", e.Msg, want)
	}
	// In a nested pipeline too.
	dir = copyDir(t, rFormulaDir)
	os.RemoveAll(filepath.Join(dir, "pipelineModel/stages/4_vectorAttrRewriter_3cd9be67b5f1"))
	e = readError(t, dir)
	if e.File != filepath.Join(dir, "pipelineModel/metadata/part-00000") || !strings.Contains(e.Msg, "stage 4") {
		t.Errorf("error = %+v", e)
	}
}

func TestReadUnpaddedStageDirs(t *testing.T) {
	// A writer that does not pad (or pads differently) is still found by
	// the stage's number.
	dir := copyDir(t, roniDir)
	os.Rename(filepath.Join(dir, "stages/03_StopWordsRemover_ff23d054ff46"), filepath.Join(dir, "stages/3_StopWordsRemover_ff23d054ff46"))
	m := mustRead(t, dir)
	if m.Stages[3].Path != "stages/3_StopWordsRemover_ff23d054ff46" {
		t.Errorf("path = %s", m.Stages[3].Path)
	}
}

func TestReadUIDMismatch(t *testing.T) {
	dir := copyDir(t, mdhDir)
	p := filepath.Join(dir, "stages/1_NGram_4502beb9404a4311b4d3/metadata/part-00000")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), `"uid":"NGram_4502beb9404a4311b4d3"`, `"uid":"NGram_other"`, 1)), 0o644)
	e := readError(t, dir)
	if e.File != p || e.Line != 1 || !strings.Contains(e.Msg, `uid is "NGram_other", but`) {
		t.Errorf("error = %+v", e)
	}
}

func TestReadBadMetadata(t *testing.T) {
	for _, tc := range []struct {
		data, msg string
		col       int
	}{
		{``, "empty file", 0},
		{`[1,2]`, "want a JSON object, got a list", 1},
		{`{"class":1,"uid":"u","sparkVersion":"3","paramMap":{}}`, `"class" must be a string, got a number`, 10},
		{`{"class":"c","uid":"","sparkVersion":"3","paramMap":{}}`, `"uid" is empty`, 20},
		{`{"class":"c","uid":"u","sparkVersion":"3"}`, `no "paramMap"`, 43},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":[]}`, `"paramMap" must be an object, got a list`, 54},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"stageUids":"a"}}`, `paramMap.stageUids must be a list`, 67},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"stageUids":["a",3]}}`, `paramMap.stageUids[1] must be a non-empty string, got a number`, 67},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"x":1e999}}`, `paramMap.x: number 1e999 is out of range`, 59},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"":1}}`, `empty name`, 58},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"a":1,"a":2}}`, `parameter "a" appears twice`, 65},
		{`{"class":"c","class":"d"}`, `key "class" appears twice`, 22},
		{`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{}} {}`, `unexpected data after the JSON object`, 58},
		{`{"class":"c","uid":"u","sparkVersion":"3","timestamp":1.5,"paramMap":{}}`, `"timestamp" must be an integer`, 55},
		{"{\"class\":\"c\xff\"}", `invalid UTF-8`, 12},
		{`{"class":null}`, `"class" must be a string, got null`, 10},
		{`{"class":"c","timestamp":"1"}`, `"timestamp" must be a number`, 26},
		{"{\"class\":\"org.apa\n", `unexpected end of JSON input (is the file truncated?)`, 18},
		{"{\"class\":\"c\",\n\n", `unexpected end of JSON input (is the file truncated?)`, 14},
		{"{\"class\":\"c\"}\n{", `unexpected data after the JSON object`, 1},
	} {
		_, err := parseMetadata([]byte(tc.data), "md")
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tc.msg) || e.Column != tc.col || e.File != "md" {
			t.Errorf("%s: error %+v, want %q at column %d", tc.data, err, tc.msg, tc.col)
		}
	}
}

func TestReadSpark4MetadataName(t *testing.T) {
	dir := copyDir(t, hashingDir)
	os.Rename(filepath.Join(dir, "metadata/part-00000"), filepath.Join(dir, "metadata/part-00000-0b7d6c1e-3f4a-4b5c-9d8e-1f2a3b4c5d6e-c000.txt"))
	os.WriteFile(filepath.Join(dir, "metadata/.part-00000-0b7d6c1e-3f4a-4b5c-9d8e-1f2a3b4c5d6e-c000.txt.crc"), []byte("x"), 0o644)
	m := mustRead(t, dir)
	if m.UID != "hashingTF_f4565fe7f7da" {
		t.Errorf("uid = %s", m.UID)
	}
}
