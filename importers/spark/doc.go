// Package spark reads Spark ML pipelines and models saved with Spark's own
// save() (MLWritable) and turns them into modeldb runs.
//
// A save is a directory with a one-line JSON file metadata/part-00000
// holding class, timestamp, sparkVersion, uid, paramMap (the params the
// user set) and, from Spark 2.4 on, defaultParamMap; models may add more
// top-level keys (numFeatures, numClasses, avgMetrics, …). A Pipeline or
// PipelineModel lists its stages in paramMap.stageUids and saves stage i
// in stages/<i>_<uid>/, i zero-padded to the number of digits of the stage
// count. Saves nest: RFormulaModel keeps its inner PipelineModel in
// pipelineModel/, CrossValidatorModel and TrainValidationSplitModel keep
// bestModel/, estimator/ and evaluator/, OneVsRestModel classifier/ and
// model_<i>/. PySpark writes the same layout, with Python class names
// (pyspark.ml.pipeline.PipelineModel, __main__.MyTransformer for custom
// stages) and "language": "Python" in a pipeline's paramMap.
//
// Read reads a whole save, checking every file before anything is returned:
// a malformed file is an *Error naming the file and the line and column of
// the problem. (*Model).Spec turns the model into a run spec: one stage per
// Spark stage, op the Spark class, name the uid, params the effective
// configuration (defaults overlaid by the explicit params), and a tag
// spark.explicit.<stage key> listing which params were set explicitly.
// docs/clients.md describes the mapping.
package spark
