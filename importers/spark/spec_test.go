package spark

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

func mustSpec(t *testing.T, dir string, opts SpecOptions) *runfile.Spec {
	t.Helper()
	spec := mustRead(t, dir).Spec(opts)
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec of %s does not validate: %v", dir, err)
	}
	// The run must encode canonically (every number canonical, no NaN).
	if _, _, err := objects.Encode(&objects.Run{Name: "x", Pipeline: spec.Pipeline, Params: spec.Params, Tags: spec.Tags}); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return spec
}

func ops(stages []objects.Stage) []string {
	var out []string
	for _, s := range stages {
		out = append(out, s.Name+" "+s.Op)
	}
	return out
}

func TestSpecPipeline(t *testing.T) {
	spec := mustSpec(t, mdhDir, SpecOptions{})
	want := []string{
		"StopWordsRemover_423599bec5871e3ffed4 org.apache.spark.ml.feature.StopWordsRemover",
		"NGram_4502beb9404a4311b4d3 org.apache.spark.ml.feature.NGram",
		"CountVectorizer_4a988db9b1e4fcfac4fe org.apache.spark.ml.feature.CountVectorizerModel",
		"IDF_4240bcd585ec2afbe47c org.apache.spark.ml.feature.IDFModel",
		"LogisticRegression_4232bcf280c352f5096b org.apache.spark.ml.classification.LogisticRegressionModel",
	}
	if got := ops(spec.Pipeline); !reflect.DeepEqual(got, want) {
		t.Errorf("pipeline = %v", got)
	}
	if spec.Message != "import spark model" || spec.Name != "" {
		t.Errorf("message %q name %q", spec.Message, spec.Name)
	}
	if !reflect.DeepEqual(spec.Environment, map[string]string{"spark": "2.3.2"}) {
		t.Errorf("environment = %v", spec.Environment)
	}
	if spec.Tags[TagClass] != "org.apache.spark.ml.PipelineModel" || spec.Tags[TagUID] != "PipelineModel_4f7b9d32a994500a1ad4" ||
		spec.Tags[TagSaved] != "2019-04-19T22:01:17.624Z" {
		t.Errorf("tags = %v", spec.Tags)
	}
	// Spark 2.3 has no defaultParamMap: every param counts as explicit.
	if got := spec.Tags["spark.explicit.NGram_4502beb9404a4311b4d3"]; got != "inputCol,n,outputCol" {
		t.Errorf("explicit NGram = %q", got)
	}
	if got := spec.Tags["spark.explicit.LogisticRegression_4232bcf280c352f5096b"]; len(strings.Split(got, ",")) != 14 {
		t.Errorf("explicit LogisticRegression = %q", got)
	}
	ng := spec.Pipeline[1]
	if !reflect.DeepEqual(ng.Inputs, []string{"stemmed"}) || !reflect.DeepEqual(ng.Outputs, []string{"bigrams"}) || ng.Params["n"] != num("2") {
		t.Errorf("NGram = %+v", ng)
	}
	lr := spec.Pipeline[4]
	if !reflect.DeepEqual(lr.Inputs, []string{"features", "label"}) || !reflect.DeepEqual(lr.Outputs, []string{"prediction"}) {
		t.Errorf("LogisticRegression in %v out %v", lr.Inputs, lr.Outputs)
	}
	if len(spec.Params) != 0 || len(spec.Artifacts) != 0 {
		t.Errorf("params %v artifacts %v", spec.Params, spec.Artifacts)
	}
}

func TestSpecExplicitOverDefaults(t *testing.T) {
	spec := mustSpec(t, roniDir, SpecOptions{})
	if len(spec.Pipeline) != 10 || spec.Pipeline[0].Op != "__main__.Cleanser" {
		t.Fatalf("pipeline = %v", ops(spec.Pipeline))
	}
	if spec.Environment["spark.language"] != "Python" || spec.Environment["spark"] != "3.5.3" {
		t.Errorf("environment = %v", spec.Environment)
	}
	// Custom PySpark stages have no params: no params, no tag.
	if c := spec.Pipeline[0]; c.Params != nil || c.Inputs != nil {
		t.Errorf("Cleanser = %+v", c)
	}
	if _, ok := spec.Tags["spark.explicit.Cleanser_692e31921e42"]; ok {
		t.Errorf("tag for a stage without params")
	}
	// RegexTokenizer: explicit pattern and outputCol win over the defaults,
	// defaults fill in the rest.
	rt := spec.Pipeline[2]
	want := map[string]any{"inputCol": "cleaned_lyrics", "outputCol": "tokens", "pattern": `\W`,
		"minTokenLength": num("1"), "gaps": true, "toLowercase": true}
	if !reflect.DeepEqual(rt.Params, want) {
		t.Errorf("RegexTokenizer params = %v", rt.Params)
	}
	if got := spec.Tags["spark.explicit.RegexTokenizer_3a9281d0f421"]; got != "inputCol,outputCol,pattern" {
		t.Errorf("explicit = %q", got)
	}
	lr := spec.Pipeline[9]
	if lr.Params["regParam"] != num("0.01") || lr.Params["labelCol"] != "labelIndex" || lr.Params["tol"] != num("0.000001") {
		t.Errorf("LogisticRegression params = %v", lr.Params)
	}
	if !reflect.DeepEqual(lr.Inputs, []string{"features", "labelIndex"}) {
		t.Errorf("inputs = %v", lr.Inputs)
	}
}

func TestSpecSingleModel(t *testing.T) {
	spec := mustSpec(t, dtcDir, SpecOptions{})
	if len(spec.Pipeline) != 1 {
		t.Fatalf("pipeline = %v", ops(spec.Pipeline))
	}
	st := spec.Pipeline[0]
	if st.Name != "dtc_bc7ad285bb73" || st.Op != "org.apache.spark.ml.classification.DecisionTreeClassificationModel" {
		t.Errorf("stage = %s %s", st.Name, st.Op)
	}
	if st.Params["metadata.numFeatures"] != num("692") || st.Params["metadata.numClasses"] != num("2") || st.Params["maxDepth"] != num("5") {
		t.Errorf("params = %v", st.Params)
	}
	// Every param has its default: the tag is there, and empty.
	if got, ok := spec.Tags["spark.explicit.dtc_bc7ad285bb73"]; !ok || got != "" {
		t.Errorf("explicit = %q, %v", got, ok)
	}
	spec = mustSpec(t, hashingDir, SpecOptions{})
	st = spec.Pipeline[0]
	if !reflect.DeepEqual(st.Inputs, []string{"words"}) || !reflect.DeepEqual(st.Outputs, []string{"features"}) || st.Params["numFeatures"] != num("100") {
		t.Errorf("HashingTF = %+v", st)
	}
	if got := spec.Tags["spark.explicit.hashingTF_f4565fe7f7da"]; got != "binary,inputCol,numFeatures,outputCol" {
		t.Errorf("explicit = %q", got)
	}
}

func TestSpecRFormulaNested(t *testing.T) {
	spec := mustSpec(t, rFormulaDir, SpecOptions{})
	if len(spec.Pipeline) != 1 {
		t.Fatalf("pipeline = %v", ops(spec.Pipeline))
	}
	rf := spec.Pipeline[0]
	if rf.Op != "org.apache.spark.ml.feature.RFormulaModel" || rf.Params["formula"] != "id ~ a:b" {
		t.Errorf("RFormula = %+v", rf)
	}
	// The inner PipelineModel's stages are the RFormula stage's own.
	want := []string{
		"strIdx_930e3f3b922c org.apache.spark.ml.feature.StringIndexerModel",
		"strIdx_6f200ff0c188 org.apache.spark.ml.feature.StringIndexerModel",
		"interaction_27872b0316e3 org.apache.spark.ml.feature.Interaction",
		"rFormula_b1e8062d62e5 org.apache.spark.ml.feature.VectorAssembler",
		"vectorAttrRewriter_3cd9be67b5f1 org.apache.spark.ml.feature.VectorAttributeRewriter",
		"columnPruner_cf2f1b9ac2e2 org.apache.spark.ml.feature.ColumnPruner",
	}
	if got := ops(rf.Stages); !reflect.DeepEqual(got, want) {
		t.Errorf("nested = %v", got)
	}
	if va := rf.Stages[3]; !reflect.DeepEqual(va.Inputs, []string{"interaction_a6ce8eb05acd"}) || !reflect.DeepEqual(va.Outputs, []string{"features"}) {
		t.Errorf("VectorAssembler in %v out %v", va.Inputs, va.Outputs)
	}
	if si := rf.Stages[0]; si.Params["outputCol"] != "stridx_4129a6e7b9ed" {
		t.Errorf("explicit outputCol lost: %v", si.Params)
	}
	// The VectorAssembler reuses the RFormula's uid; the keys still differ.
	wantTags := map[string]string{
		"spark.explicit.rFormula_b1e8062d62e5":                          "formula",
		"spark.explicit.rFormula_b1e8062d62e5/strIdx_930e3f3b922c":      "handleInvalid,inputCol,outputCol,stringOrderType",
		"spark.explicit.rFormula_b1e8062d62e5/strIdx_6f200ff0c188":      "handleInvalid,inputCol,outputCol,stringOrderType",
		"spark.explicit.rFormula_b1e8062d62e5/interaction_27872b0316e3": "inputCols,outputCol",
		"spark.explicit.rFormula_b1e8062d62e5/rFormula_b1e8062d62e5":    "handleInvalid,inputCols,outputCol",
	}
	for k, v := range wantTags {
		if spec.Tags[k] != v {
			t.Errorf("tag %s = %q, want %q", k, spec.Tags[k], v)
		}
	}
	if n := countPrefix(spec.Tags, TagExplicit); n != len(wantTags) {
		t.Errorf("%d explicit tags: %v", n, spec.Tags)
	}
}

func countPrefix(m map[string]string, prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

func TestSpecCrossValidator(t *testing.T) {
	spec := mustSpec(t, cvDir, SpecOptions{})
	cv := spec.Pipeline[0]
	if cv.Name != "cv_0f1e2d3c4b5a" || cv.Op != "org.apache.spark.ml.tuning.CrossValidatorModel" {
		t.Errorf("stage = %s %s", cv.Name, cv.Op)
	}
	want := []string{
		"pipeline_6b3a1f0c2d4e org.apache.spark.ml.PipelineModel",
		"pipeline_6b3a1f0c2d4e org.apache.spark.ml.Pipeline",
		"binEval_3e4f5a6b7c8d org.apache.spark.ml.evaluation.BinaryClassificationEvaluator",
	}
	if got := ops(cv.Stages); !reflect.DeepEqual(got, want) {
		t.Errorf("nested = %v", got)
	}
	if got := ops(cv.Stages[0].Stages); len(got) != 2 || got[1] != "logreg_7a8b9c0d1e2f org.apache.spark.ml.classification.LogisticRegressionModel" {
		t.Errorf("bestModel stages = %v", got)
	}
	if cv.Params["numFolds"] != num("3") || len(cv.Params["estimatorParamMaps"].([]any)) != 2 ||
		!reflect.DeepEqual(cv.Params["metadata.avgMetrics"], []any{num("0.8125"), num("0.8671875")}) {
		t.Errorf("params = %v", cv.Params)
	}
	wantTags := map[string]string{
		"spark.explicit.cv_0f1e2d3c4b5a": "estimatorParamMaps,foldCol,numFolds,seed",
		"spark.explicit.cv_0f1e2d3c4b5a/bestModel:pipeline_6b3a1f0c2d4e/hashingTF_1c2d3e4f5a6b": "inputCol,numFeatures,outputCol",
		"spark.explicit.cv_0f1e2d3c4b5a/bestModel:pipeline_6b3a1f0c2d4e/logreg_7a8b9c0d1e2f":    "maxIter,regParam",
		"spark.explicit.cv_0f1e2d3c4b5a/estimator:pipeline_6b3a1f0c2d4e/hashingTF_1c2d3e4f5a6b": "inputCol,outputCol",
		"spark.explicit.cv_0f1e2d3c4b5a/estimator:pipeline_6b3a1f0c2d4e/logreg_7a8b9c0d1e2f":    "maxIter",
		"spark.explicit.cv_0f1e2d3c4b5a/evaluator:binEval_3e4f5a6b7c8d":                         "",
	}
	for k, v := range wantTags {
		if got, ok := spec.Tags[k]; !ok || got != v {
			t.Errorf("tag %s = %q, want %q", k, got, v)
		}
	}
	if n := countPrefix(spec.Tags, TagExplicit); n != len(wantTags) {
		t.Errorf("%d explicit tags: %v", n, spec.Tags)
	}
}

func TestSpecWithData(t *testing.T) {
	dir := copyDir(t, hashingDir)
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	part := "part-00000-7c4b1d3e-0a2f-4e5d-8c9b-1a2b3c4d5e6f-c000.snappy.parquet"
	os.WriteFile(filepath.Join(dir, "data", part), []byte("PAR1 not really"), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "."+part+".crc"), []byte("crc"), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "_SUCCESS"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "metadata", "_SUCCESS"), nil, 0o644)
	m := mustRead(t, dir)
	if !reflect.DeepEqual(m.Data, []string{"data/" + part}) {
		t.Errorf("data = %v", m.Data)
	}
	spec := m.Spec(SpecOptions{})
	if spec.Artifacts != nil || spec.Pipeline[0].Artifact != "" {
		t.Errorf("artifacts without WithData: %v", spec.Artifacts)
	}
	spec = m.Spec(SpecOptions{WithData: true})
	want := []runfile.Artifact{{Path: "data/" + part, Name: "data/" + part}, {Path: "metadata/part-00000", Name: "metadata/part-00000"}}
	if !reflect.DeepEqual(spec.Artifacts, want) {
		t.Errorf("artifacts = %v", spec.Artifacts)
	}
	if spec.Pipeline[0].Artifact != "data/"+part {
		t.Errorf("stage artifact = %q", spec.Pipeline[0].Artifact)
	}
	// A pipeline: every save's files, metadata of the root included.
	spec = mustSpec(t, rFormulaDir, SpecOptions{WithData: true})
	if len(spec.Artifacts) != 8 || spec.Artifacts[0].Path != "metadata/part-00000" || spec.Artifacts[1].Path != "pipelineModel/metadata/part-00000" {
		t.Errorf("artifacts = %v", spec.Artifacts)
	}
	spec = mustSpec(t, roniDir, SpecOptions{WithData: true})
	if len(spec.Artifacts) != 11 {
		t.Errorf("artifacts = %v", spec.Artifacts)
	}
}
