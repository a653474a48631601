// Package mlflow imports an MLflow file store (an mlruns/ directory) into
// a modeldb repository: `modeldb import mlflow DIR`.
//
// # Reading
//
// ReadStore reads the whole store before anything is committed:
// mlruns/<experiment id>/meta.yaml, and for each run
// <experiment id>/<run id>/meta.yaml, params/, tags/, metrics/ and the
// list of files under artifacts/. meta.yaml is read by a small strict
// reader for the flat "key: value" YAML that MLflow writes (yaml.go); a
// metric file holds one "<timestamp_ms> <value> <step>" line per logged
// value. A malformed file — a truncated meta.yaml, a metric line that is
// not three numbers — is an error naming the file and line, and nothing
// is imported. Folders that are not runs are skipped, as MLflow skips
// them: an experiment's tags/, datasets/, traces/ and MLflow 3 models/
// (logged models), a run's inputs/ and outputs/, the top-level model
// registry models/, and folders without meta.yaml. Deleted experiments
// are read from .trash/.
//
// # Mapping
//
// Each experiment becomes a branch: the prefix (default "mlflow/") and
// the experiment's name made a valid name by Sanitize ("breast cancer
// dummy" → mlflow/breast-cancer-dummy), or the experiment id when nothing
// is left of the name; experiments whose names sanitize alike get their id
// appended. Options.Branch puts every run on one branch instead.
// Experiments are imported in id order, runs by start time with parents
// before their children, so a branch's history is chronological.
//
// Each run becomes a commit whose run is:
//
//   - name: the MLflow run name (run_name, else name, else tag
//     mlflow.runName), sanitized, plus the first 8 characters of the run
//     id: rogue-shrimp-446-ce15e9ef ("mlflow-<8>" without a name; the whole
//     id when the short name is taken by something else);
//   - params: MLflow records every param as a string. A string that is
//     exactly how Python prints an int, a non-integral float, True, False
//     or None becomes that JSON value ("10" → 10, "0.001" → 0.001, "None"
//     → null), so diff and compare see numbers; anything else — including
//     "1.0", which canonical JSON would turn into 1 — stays a string, byte
//     for byte (ParamValue). Options.StringParams keeps all of them strings;
//   - metrics: every logged step of every metric file, with its step
//     (@step); the timestamp is dropped. A step logged more than once keeps
//     the value logged last (modeldb holds one value per step); nan and inf,
//     which modeldb cannot store, are listed in tag mlflow.nonfinite_metrics;
//   - tags: every MLflow tag as recorded (mlflow.* included), plus
//     mlflow.run_id, mlflow.experiment_id, mlflow.experiment_name,
//     mlflow.status (FINISHED, FAILED, RUNNING, KILLED, SCHEDULED),
//     mlflow.lifecycle_stage=deleted for deleted runs, mlflow.logged_model_ids
//     (MLflow 3 outputs/), and parent = the modeldb name of the run's parent
//     (tag mlflow.parentRunId) when the parent is imported;
//   - source: commit, branch and remote from mlflow.source.git.commit,
//     .branch and .repoURL;
//   - author: user_id (else tag mlflow.user), also the commit's author;
//   - started, finished: start_time and end_time as RFC 3339; the commit
//     time is the start time;
//   - artifacts: every file under artifacts/, named by its path there
//     ("Random Forest Classification/model.pkl"), stored chunked and
//     streamed by repo.AddArtifact.
//
// # Re-importing
//
// A run is already imported when a run in the repository carries its id
// in tag mlflow.run_id (found through the run-id suffix of run names, so a
// run renamed in MLflow is found too); it is skipped. Importing the same
// store twice therefore adds nothing, and an import that stopped midway
// continues where it stopped. Runs are never updated: an MLflow run that
// changed since it was imported keeps its imported state.
package mlflow
