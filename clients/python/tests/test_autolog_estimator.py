"""autolog on plain estimators: runs per top-level fit, lazy commits, failures, patches undone."""
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error, r2_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import modeldb
from conftest import datasets_by_role, metrics_by_key


def test_plain_estimator(repo):
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    modeldb.autolog()
    forest = RandomForestClassifier(n_estimators=15, max_depth=None, random_state=0)
    forest.fit(X_train, y_train)
    acc = accuracy_score(y_test, forest.predict(X_test))
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    (st,) = run["pipeline"]
    assert st["name"] == "randomforestclassifier"
    assert st["op"] == "sklearn.ensemble.RandomForestClassifier"
    assert st["artifact"] == "model.joblib"
    p = st["params"]
    assert p["n_estimators"] == 15 and isinstance(p["n_estimators"], int)
    assert p["max_depth"] is None and p["bootstrap"] is True and p["criterion"] == "gini"
    assert p["max_features"] == "sqrt" and p["ccp_alpha"] == 0.0
    assert run["tags"]["nondefault.randomforestclassifier"] == "n_estimators,random_state"
    m = metrics_by_key(run)
    assert m["test:accuracy"] == pytest.approx(acc)
    assert m["train:training_score"] == pytest.approx(forest.score(X_train, y_train))
    d = datasets_by_role(run)
    assert d["train"]["columns"][0] == {"name": "x0", "type": "float"}
    assert d["train_target"]["columns"] == [{"name": "y", "type": "int"}]


def test_each_top_level_fit_is_a_run_committed_lazily(repo):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    modeldb.autolog()
    a = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(C=0.1))]).fit(X_train, y_train)
    assert repo.log() == []  # waits for its metrics
    acc_a = a.score(X_test, y_test)
    b = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(C=10.0, max_iter=2000))])
    b.fit(X_train, y_train)  # commits the first run
    first = repo.log()
    assert len(first) == 1
    acc_b = accuracy_score(y_test, b.predict(X_test))
    a.score(X_test, y_test)  # a's run is committed: nothing more is recorded for it
    modeldb.flush()
    log = repo.log()
    assert len(log) == 2
    older, newer = repo.show(log[1]["id"]), repo.show(log[0]["id"])
    assert metrics_by_key(older)["test:score"] == pytest.approx(acc_a)
    assert "test:accuracy" not in metrics_by_key(older)
    assert metrics_by_key(newer)["test:accuracy"] == pytest.approx(acc_b)
    assert newer["pipeline"][1]["params"]["C"] == 10
    assert log[0]["parents"] == [log[1]["id"]]


def test_split_names(repo):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4, random_state=0)
    X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5, random_state=0)
    X_other = X_test[:20]
    modeldb.autolog()
    modeldb.set_split(X_val, "validation", y=y_val)
    clf = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]).fit(X_train, y_train)
    clf.score(X_val, y_val)
    accuracy_score(y_test, clf.predict(X_test))
    accuracy_score(y_test[:20], clf.predict(X_other))
    accuracy_score(y_train, clf.predict(X_train))
    # a prediction the client cannot trace (a copy): named by its targets
    accuracy_score(y_test, list(clf.predict(X_test)))
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    m = metrics_by_key(run)
    assert set(m) == {"train:training_score", "validation:score", "test:accuracy", "test_2:accuracy",
                      "train:accuracy"}
    assert set(datasets_by_role(run)) == {"train", "train_target", "validation", "validation_target",
                                          "test", "test_target", "test_2", "test_2_target"}


def test_regression_metrics(repo):
    rng = np.random.RandomState(0)
    X, y = load_breast_cancer(return_X_y=True)
    target = X[:, 0] * 2.0 + rng.normal(size=len(X))
    features = pd.DataFrame(X[:, 1:6], columns=["a", "b", "c", "d", "e"])
    X_train, X_test, y_train, y_test = train_test_split(features, target, random_state=0)
    modeldb.autolog()
    reg = LinearRegression().fit(X_train, y_train)
    pred = reg.predict(X_test)
    mse = mean_squared_error(y_test, pred)
    rmse = mean_squared_error(y_test, pred, squared=False)
    r2 = r2_score(y_test, pred)
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    m = metrics_by_key(run)
    assert m["test:mean_squared_error"] == pytest.approx(mse)
    assert m["test:root_mean_squared_error"] == pytest.approx(rmse)
    assert m["test:r2"] == pytest.approx(r2)
    assert "nondefault.linearregression" not in run.get("tags", {})


def test_cross_validation_helpers_make_no_runs(repo):
    X, y = load_iris(return_X_y=True)
    modeldb.autolog()
    scores = cross_val_score(LogisticRegression(max_iter=500), X, y, cv=3)
    assert len(scores) == 3
    modeldb.flush()
    assert repo.log() == []


class Exploding(BaseEstimator, TransformerMixin):
    """A transformer whose fit fails part-way through a pipeline's fit."""

    def fit(self, X, y=None):
        raise RuntimeError("boom: bad column")

    def transform(self, X):
        return X


def test_failure_mid_fit_propagates_and_records_nothing(repo):
    X, y = load_iris(return_X_y=True)
    modeldb.autolog()
    good = LogisticRegression(max_iter=500).fit(X, y)
    bad = Pipeline([("scale", StandardScaler()), ("explode", Exploding()), ("clf", LogisticRegression())])
    with pytest.raises(RuntimeError, match="boom: bad column"):
        bad.fit(X, y)
    # the run of the model fitted before was committed when the failing fit began; the failed fit left nothing
    modeldb.flush()
    log = repo.log()
    assert len(log) == 1
    assert repo.show(log[0]["id"])["pipeline"][0]["op"] == "sklearn.linear_model.LogisticRegression"
    assert good.score(X, y) > 0.9
    # the training code's own exception types are untouched, e.g. scikit-learn's ValueError
    with pytest.raises(ValueError):
        LogisticRegression().fit(np.array([[np.nan, 1.0], [2.0, 3.0]]), [0, 1])
    modeldb.flush()
    assert len(repo.log()) == 1


def test_disable_restores_scikit_learn(repo):
    fit = LogisticRegression.fit
    score = LogisticRegression.score
    predict_proba = Pipeline.__dict__["predict_proba"].fn
    modeldb.autolog()
    assert LogisticRegression.fit is not fit
    assert accuracy_score.__code__.co_name == "_modeldb_trampoline"
    # duck typing kept: a pipeline ending in a regressor still has no predict_proba
    assert not hasattr(Pipeline([("reg", LinearRegression())]), "predict_proba")
    modeldb.autolog(disable=True)
    assert LogisticRegression.fit is fit and LogisticRegression.score is score
    assert Pipeline.__dict__["predict_proba"].fn is predict_proba
    assert accuracy_score.__code__.co_name != "_modeldb_trampoline"
    X, y = load_iris(return_X_y=True)
    LogisticRegression(max_iter=500).fit(X, y)
    modeldb.flush()
    assert repo.log() == []


def test_sklearn_introspection_still_works(repo):
    from sklearn.utils.validation import has_fit_parameter
    modeldb.autolog()
    assert has_fit_parameter(LogisticRegression(), "sample_weight")
    import inspect
    assert list(inspect.signature(accuracy_score).parameters)[:2] == ["y_true", "y_pred"]


def test_fits_on_worker_threads_are_part_of_the_top_level_fit(repo):
    """A forest fits its trees on threads (n_jobs); a threading-backend search its candidates."""
    from joblib import parallel_backend
    from sklearn.model_selection import GridSearchCV
    X, y = load_iris(return_X_y=True)
    modeldb.autolog()
    RandomForestClassifier(n_estimators=8, n_jobs=2, random_state=0).fit(X, y)
    with parallel_backend("threading", n_jobs=2):
        GridSearchCV(LogisticRegression(max_iter=300), {"C": [0.1, 1.0]}, cv=2).fit(X, y)
        cross_val_score(LogisticRegression(max_iter=300), X, y, cv=2)
    GridSearchCV(LogisticRegression(max_iter=300), {"C": [0.1, 1.0]}, cv=2, n_jobs=2).fit(X, y)  # processes
    modeldb.flush()
    ops = [repo.show(c["id"])["pipeline"][0]["op"] for c in reversed(repo.log())]
    assert ops == ["sklearn.ensemble.RandomForestClassifier", "sklearn.model_selection.GridSearchCV",
                   "sklearn.model_selection.GridSearchCV"]


def test_paused(repo):
    X, y = load_iris(return_X_y=True)
    modeldb.autolog()
    clf = LogisticRegression(max_iter=500).fit(X, y)
    with modeldb.paused():
        LogisticRegression(C=0.1, max_iter=500).fit(X, y)  # not a run, and clf's run stays pending
        accuracy_score(y, np.zeros_like(y))  # a baseline: not clf's metric
    accuracy_score(y, clf.predict(X))
    (res,) = modeldb.flush()
    assert set(metrics_by_key(repo.show(res["name"]))) == {"train:training_score", "train:accuracy"}


def test_pending_run_committed_at_exit(repo, tmp_path):
    """A script that never calls flush(): its last run is committed when the interpreter exits."""
    import subprocess
    import sys
    from conftest import CLIENT
    script = tmp_path / "train.py"
    script.write_text(
        "import sys\n"
        "sys.path.insert(0, %r)\n"
        "import modeldb\n"
        "from sklearn.datasets import load_iris\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.metrics import accuracy_score\n"
        "modeldb.autolog()\n"
        "X, y = load_iris(return_X_y=True)\n"
        "clf = LogisticRegression(max_iter=500).fit(X[::2], y[::2])\n"
        "print(accuracy_score(y[1::2], clf.predict(X[1::2])))\n" % (CLIENT + "/src",))
    proc = subprocess.run([sys.executable, str(script)], cwd=repo.path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "modeldb" not in proc.stderr  # no warnings
    (c,) = repo.log()
    run = repo.show(c["id"])
    assert metrics_by_key(run)["test:accuracy"] == pytest.approx(float(proc.stdout))
    assert run["command"][1:] == [str(script)]


def test_unpicklable_model_warns_and_records_the_rest(repo):
    from sklearn.preprocessing import FunctionTransformer
    X, y = load_iris(return_X_y=True)
    modeldb.autolog()
    pipe = Pipeline([("square", FunctionTransformer(lambda a: a * a)), ("clf", LogisticRegression(max_iter=500))])
    with pytest.warns(modeldb.ModelDBWarning, match="cannot save the fitted Pipeline as an artifact"):
        pipe.fit(X, y)
    assert pipe.score(X, y) > 0.5  # training goes on
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    assert "artifacts" not in run
    square = run["pipeline"][0]
    assert square["params"]["func"].endswith("<lambda>")


def test_metrics_of_other_models_are_not_taken_for_the_run(repo):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    modeldb.autolog()
    models = {C: Pipeline([("s", StandardScaler()), ("m", LogisticRegression(C=C))]).fit(X_train, y_train)
              for C in (0.001, 1.0)}
    # evaluated after both fits: only the last model's run is still open
    accs = {C: accuracy_score(y_test, m.predict(X_test)) for C, m in reversed(list(models.items()))}
    assert accs[0.001] != accs[1.0]
    modeldb.flush()
    log = repo.log()
    assert len(log) == 2
    assert "test:accuracy" not in metrics_by_key(repo.show(log[1]["id"]))
    assert metrics_by_key(repo.show(log[0]["id"]))["test:accuracy"] == pytest.approx(accs[1.0])
