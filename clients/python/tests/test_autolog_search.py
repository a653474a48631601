"""autolog on GridSearchCV and RandomizedSearchCV (real data: iris)."""
import joblib
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

import modeldb
from conftest import datasets_by_role, metrics_by_key, stage_named


def iris():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)


def test_grid_search(repo, tmp_path):
    X_train, X_test, y_train, y_test = iris()
    modeldb.autolog()
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=500))])
    grid = {"clf__C": [0.01, 0.1, 1.0, 10.0], "clf__fit_intercept": [True, False]}
    search = GridSearchCV(pipe, grid, cv=3)
    search.fit(X_train, y_train)
    acc = accuracy_score(y_test, search.predict(X_test))
    (res,) = modeldb.flush()
    assert len(repo.log()) == 1, "the 8 candidates x 3 folds + refit are not runs of their own"
    run = repo.show(res["name"])

    (st,) = run["pipeline"]
    assert st["name"] == "gridsearchcv" and st["op"] == "sklearn.model_selection.GridSearchCV"
    assert st["params"]["cv"] == 3
    assert st["params"]["param_grid"] == {"clf__C": [0.01, 0.1, 1, 10], "clf__fit_intercept": [True, False]}
    assert st["artifact"] == "model.joblib"
    (est,) = st["stages"]
    assert est["name"] == "estimator" and est["op"] == "sklearn.pipeline.Pipeline"
    assert [s["name"] for s in est["stages"]] == ["scale", "clf"]
    clf = stage_named(est["stages"], "clf")
    # the described estimator is the refitted best one
    assert clf["params"]["C"] == search.best_params_["clf__C"]
    assert est["stages"][0]["inputs"] == ["x0", "x1", "x2", "x3"]

    params = run["params"]
    assert params["best_params.clf__C"] == search.best_params_["clf__C"]
    assert params["best_params.clf__fit_intercept"] is search.best_params_["clf__fit_intercept"]
    assert params["best_index"] == search.best_index_
    assert len(params["candidates"]) == 8
    assert params["candidates"][0] == {"clf__C": 0.01, "clf__fit_intercept": True}

    m = metrics_by_key(run)
    assert m["cv:best_score"] == pytest.approx(search.best_score_)
    for i in range(8):
        assert m["cv:mean_test_score[candidate=%d]" % i] == pytest.approx(search.cv_results_["mean_test_score"][i])
        assert m["cv:std_test_score[candidate=%d]" % i] == pytest.approx(search.cv_results_["std_test_score"][i])
    assert m["test:accuracy"] == pytest.approx(acc)
    assert m["train:training_score"] == pytest.approx(search.score(X_train, y_train))
    # the commit's key metrics (for `modeldb log`) are the unsliced ones
    log_metrics = {(x["name"], x.get("split")) for x in repo.log()[0]["metrics"]}
    assert ("accuracy", "test") in log_metrics and ("best_score", "cv") in log_metrics

    d = datasets_by_role(run)
    assert d["train"]["rows"] == len(X_train)
    assert d["train"]["columns"] == [{"name": "x%d" % j, "type": "float"} for j in range(4)]

    restored = joblib.load(repo.restore(res["name"], "model.joblib", str(tmp_path / "m.joblib")))
    np.testing.assert_array_equal(restored.predict(X_test), search.predict(X_test))


def test_randomized_search_with_distributions(repo):
    from scipy.stats import randint
    X_train, X_test, y_train, y_test = iris()
    modeldb.autolog()
    search = RandomizedSearchCV(DecisionTreeClassifier(random_state=0),
                                {"max_depth": randint(1, 6), "criterion": ["gini", "entropy"]},
                                n_iter=4, cv=3, random_state=0)
    search.fit(X_train, y_train)
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    (st,) = run["pipeline"]
    assert st["op"] == "sklearn.model_selection.RandomizedSearchCV"
    dist = st["params"]["param_distributions"]
    assert dist["criterion"] == ["gini", "entropy"]
    assert dist["max_depth"] == "scipy.stats.randint(1, 6)"
    assert st["stages"][0]["op"] == "sklearn.tree.DecisionTreeClassifier"
    assert len(run["params"]["candidates"]) == 4
    assert isinstance(run["params"]["best_params.max_depth"], int)
