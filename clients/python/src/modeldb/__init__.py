"""modeldb: version control for machine-learning models — the Python client.

Two ways to record model builds ("runs") in a modeldb repository:

    import modeldb
    modeldb.autolog()                 # every top-level scikit-learn fit becomes a run

    with modeldb.start_run(name="churn-c05", tags={"team": "retention"}):
        modeldb.log_param("C", 0.5)
        modeldb.log_metric("accuracy", 0.91, split="test")

The client talks to the repository only through the modeldb binary
(`modeldb commit --json - --porcelain`), found through $MODELDB_BIN or PATH.
It needs nothing but the standard library; scikit-learn, numpy, pandas and
joblib are used when present. See docs/clients.md in the modeldb repository.
"""
from ._binary import MIN_VERSION, check_binary, find_binary
from ._errors import (BinaryNotFoundError, BinaryVersionError, CommitError, ModelDBError,
                      ModelDBWarning)
from ._fingerprint import fingerprint
from ._run import (Run, active_run, end_run, flush, log_artifact, log_dataset, log_metric,
                   log_metrics, log_model, log_param, log_params, set_tag, set_tags, start_run)
from ._sklearn import autolog, paused, set_split
from ._version import __version__

__all__ = [
    "autolog", "flush", "set_split", "paused",
    "start_run", "end_run", "active_run", "Run",
    "log_param", "log_params", "log_metric", "log_metrics", "log_dataset", "log_artifact",
    "log_model", "set_tag", "set_tags",
    "fingerprint", "check_binary", "find_binary", "MIN_VERSION",
    "ModelDBError", "BinaryNotFoundError", "BinaryVersionError", "CommitError", "ModelDBWarning",
    "__version__",
]
