"""The explicit API: start_run, log_param(s), log_metric, log_dataset, log_artifact, set_tag."""
import math

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

import modeldb
from conftest import churn_frame, datasets_by_role, metrics_by_key


def test_explicit_run(repo, tmp_path):
    df = churn_frame()
    csv = tmp_path / "work" / "train.csv"
    df.to_csv(csv, index=False)
    notes = tmp_path / "notes.txt"
    notes.write_text("hand-tuned\n")
    with modeldb.start_run(name="explicit-1", tags={"team": "retention"}, message="by hand") as run:
        modeldb.log_param("C", 0.5)
        modeldb.log_params({"layers": [64, 32], "balanced": True, "class_weight": None,
                            "features": {"numeric": ["a", "b"], "n": 2}, "seed": np.int64(7),
                            "tol": np.float32(0.25), "model": LogisticRegression})
        modeldb.log_metric("accuracy", 0.91, split="test")
        modeldb.log_metric("accuracy", 0.88, split="test", slice="country=US")
        for step, loss in enumerate([0.7, 0.5, 0.4], start=1):
            modeldb.log_metric("loss", loss, split="train", step=step)
        modeldb.log_metrics({"precision": 0.8, "recall": np.float64(0.7)}, split="test")
        assert modeldb.log_dataset("train", df) == "train"
        modeldb.log_dataset("raw", path=csv, store=True)
        modeldb.log_artifact(notes)
        modeldb.log_model(LogisticRegression(C=3.0), name="untrained")
        modeldb.set_tag("stage", "experiment")
        assert modeldb.active_run() is run
    assert run.state == "committed" and run.result["name"] == "explicit-1"
    assert modeldb.active_run() is None

    (c,) = repo.log()
    assert c["name"] == "explicit-1" and c["message"] == "by hand"
    stored = repo.show("explicit-1")
    p = stored["params"]
    assert p["C"] == 0.5 and p["layers"] == [64, 32] and p["balanced"] is True and p["class_weight"] is None
    assert p["features"] == {"numeric": ["a", "b"], "n": 2}
    assert p["seed"] == 7 and p["tol"] == 0.25
    assert p["model"] == "sklearn.linear_model.LogisticRegression"
    m = metrics_by_key(stored)
    assert m == {"test:accuracy": 0.91, "test:accuracy[country=US]": 0.88, "train:loss@1": 0.7,
                 "train:loss@2": 0.5, "train:loss@3": 0.4, "test:precision": 0.8, "test:recall": 0.7}
    d = datasets_by_role(stored)
    assert d["train"]["rows"] == len(df)
    assert {"name": "zip_code", "type": "string"} in d["train"]["columns"]
    assert d["raw"]["path"].endswith("train.csv") and d["raw"]["rows"] == len(df) and "data" in d["raw"]
    arts = {a["path"] for a in stored["artifacts"]}
    assert arts == {"notes.txt", "untrained.joblib"}
    assert stored["tags"] == {"team": "retention", "stage": "experiment"}
    assert "pipeline" not in stored
    repo.restore("explicit-1", "notes.txt", "restored.txt")
    assert (tmp_path / "work" / "restored.txt").read_text() == "hand-tuned\n"
    repo.restore("explicit-1", "untrained.joblib", "u.joblib")
    assert joblib.load(tmp_path / "work" / "u.joblib").C == 3.0


def test_bad_logging_calls_warn_and_training_goes_on(repo):
    with modeldb.start_run(name="warned") as run:
        with pytest.warns(modeldb.ModelDBWarning, match="not a finite number"):
            modeldb.log_metric("loss", float("nan"))
        with pytest.warns(modeldb.ModelDBWarning, match="not a finite number"):
            run.log_metric("acc", "high")
        with pytest.warns(modeldb.ModelDBWarning, match="step must be an integer"):
            run.log_metric("acc", 0.5, step=1.5)
        with pytest.warns(modeldb.ModelDBWarning, match="not a file"):
            run.log_artifact("no/such/file.pkl")
        with pytest.warns(modeldb.ModelDBWarning, match="cannot fingerprint"):
            run.log_dataset("train", data=object())
        with pytest.warns(modeldb.ModelDBWarning, match="non-empty string"):
            run.log_param("", 1)
        run.log_metric("acc", 0.5)
        run.log_param("p", math.inf)  # recorded as the string "inf": a run cannot carry infinities
    stored = repo.show("warned")
    assert metrics_by_key(stored) == {"acc": 0.5}
    assert stored["params"] == {"p": "inf"}


def test_failed_commit_warns(repo):
    with modeldb.start_run(name="taken"):
        modeldb.log_metric("acc", 0.5)
    with pytest.warns(modeldb.ModelDBWarning, match="run name already exists"):
        with modeldb.start_run(name="taken") as run:
            modeldb.log_metric("acc", 0.6)
    assert run.state == "failed" and run.result is None
    assert len(repo.log()) == 1


def test_exception_in_block_propagates_and_is_recorded_as_failed(repo):
    with pytest.raises(ZeroDivisionError):
        with modeldb.start_run(name="crashed"):
            modeldb.log_param("lr", 0.1)
            modeldb.log_metric("loss", 0.9, step=1)
            1 / 0
    stored = repo.show("crashed")
    assert stored["tags"]["status"] == "failed"
    assert stored["tags"]["error"].startswith("ZeroDivisionError")
    assert metrics_by_key(stored) == {"loss@1": 0.9}


def test_logging_without_a_run_warns(repo):
    with pytest.warns(modeldb.ModelDBWarning, match="no active run"):
        modeldb.log_metric("acc", 0.5)
    with pytest.warns(modeldb.ModelDBWarning, match="recorded nothing"):
        with modeldb.start_run():
            pass
    assert repo.log() == []


def test_autolog_inside_explicit_run(repo, tmp_path):
    X, y = load_iris(return_X_y=True)
    X_test, y_test = X[::3], y[::3]
    modeldb.autolog()
    with modeldb.start_run(name="tuned-by-hand", tags={"owner": "pat"}) as run:
        modeldb.log_param("note", "fit inside a run")
        clf = LogisticRegression(C=2.0, max_iter=500).fit(X, y)
        acc = accuracy_score(y_test, clf.predict(X_test))
        modeldb.log_metric("custom", 1.5, split="test")
    assert run.state == "committed"
    (c,) = repo.log()
    stored = repo.show("tuned-by-hand")
    assert stored["pipeline"][0]["op"] == "sklearn.linear_model.LogisticRegression"
    assert stored["params"] == {"note": "fit inside a run"}
    m = metrics_by_key(stored)
    assert m["test:accuracy"] == pytest.approx(acc) and m["test:custom"] == 1.5
    assert stored["tags"]["owner"] == "pat" and stored["tags"]["autolog"] == "sklearn"
    assert [a["path"] for a in stored["artifacts"]] == ["model.joblib"]
    # after the block the model's run is done: a later fit starts a new autolog run
    LogisticRegression(max_iter=500).fit(X, y)
    modeldb.log_param("after", True)  # goes to the pending autolog run
    modeldb.flush()
    log = repo.log()
    assert len(log) == 2
    assert repo.show(log[0]["id"])["params"] == {"after": True}


def test_two_fits_in_one_explicit_run(repo):
    """A manual pipeline: scaler and model fitted separately, recorded as two stages of one run."""
    from sklearn.preprocessing import StandardScaler
    X, y = load_iris(return_X_y=True)
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    modeldb.autolog()
    with modeldb.start_run(name="manual"):
        scaler = StandardScaler().fit(df)
        LogisticRegression(max_iter=500).fit(scaler.transform(df), y)
    stored = repo.show("manual")
    assert [s["op"].rsplit(".", 1)[1] for s in stored["pipeline"]] == ["StandardScaler", "LogisticRegression"]
    assert stored["pipeline"][0]["inputs"] == ["sl", "sw", "pl", "pw"]
    assert sorted(a["path"] for a in stored["artifacts"]) == ["model.joblib", "model_2.joblib"]
    assert set(datasets_by_role(stored)) == {"train", "train_2", "train_target"}
