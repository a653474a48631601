"""autolog on a ColumnTransformer pipeline over a pandas DataFrame (real data: breast cancer)."""
import joblib
import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
# imported before autolog() on purpose: the metric functions are hooked however they were imported
from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import modeldb
from conftest import churn_frame, datasets_by_role, metrics_by_key, stage_named

NUMERIC = ["mean radius", "mean texture", "mean smoothness", "worst area"]
CATEGORICAL = ["zip_code", "plan"]


def split():
    df = churn_frame()
    X, y = df[NUMERIC + CATEGORICAL], df["target"]
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


def make_pipeline(C=0.5):
    pre = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    return Pipeline([("preprocess", pre), ("classifier", LogisticRegression(C=C, max_iter=1000))])


def test_column_transformer_pipeline(repo, tmp_path):
    X_train, X_test, y_train, y_test = split()
    modeldb.autolog()
    pipe = make_pipeline()
    pipe.fit(X_train, y_train)
    pred = pipe.predict(X_test)
    proba = pipe.predict_proba(X_test)
    acc = accuracy_score(y_test, pred)
    auc = roc_auc_score(y_test, proba[:, 1])
    f1_macro = f1_score(y_test, pred, average="macro")
    loss = log_loss(y_test, proba)
    score = pipe.score(X_test, y_test)
    assert repo.log() == []  # committed lazily, so the metrics above land in the run
    results = modeldb.flush()
    assert len(results) == 1
    res = results[0]
    assert set(res) >= {"commit", "run", "name", "branch", "parent"}

    log = repo.log()
    assert len(log) == 1, "the inner fits (scaler, encoder, classifier) must not be runs of their own"
    assert log[0]["name"] == res["name"]
    run = repo.show(res["name"])

    # pipeline: the Pipeline's steps, nested ColumnTransformer branches with their columns
    assert [s["name"] for s in run["pipeline"]] == ["preprocess", "classifier"]
    pre, clf = run["pipeline"]
    assert pre["op"] == "sklearn.compose.ColumnTransformer"
    assert pre["inputs"] == NUMERIC + CATEGORICAL
    assert pre["outputs"][:4] == ["num__" + c for c in NUMERIC]
    assert "cat__zip_code_10115" in pre["outputs"] and "cat__plan_pro" in pre["outputs"]
    num, cat = pre["stages"]
    assert (num["name"], num["op"], num["inputs"]) == ("num", "sklearn.preprocessing.StandardScaler", NUMERIC)
    assert (cat["name"], cat["op"], cat["inputs"]) == ("cat", "sklearn.preprocessing.OneHotEncoder", CATEGORICAL)
    assert "zip_code_80331" in cat["outputs"]
    assert cat["params"]["handle_unknown"] == "ignore"
    assert clf["op"] == "sklearn.linear_model.LogisticRegression"
    assert clf["inputs"] == pre["outputs"]
    assert "sample" not in clf and "sample" not in pre  # no sample_rows asked

    # params keep their types
    p = clf["params"]
    assert p["C"] == 0.5 and isinstance(p["C"], float)
    assert p["max_iter"] == 1000 and isinstance(p["max_iter"], int)
    assert p["penalty"] == "l2"
    assert p["class_weight"] is None and p["l1_ratio"] is None
    assert p["fit_intercept"] is True and p["warm_start"] is False
    assert "steps" not in run.get("params", {})
    assert "transformers" not in pre["params"] and pre["params"]["remainder"] == "drop"
    assert pre["params"]["sparse_threshold"] == 0.3
    # the params that differ from the class defaults
    tags = run["tags"]
    assert tags["nondefault.classifier"] == "C,max_iter"
    assert tags["nondefault.preprocess.cat"] == "handle_unknown"
    assert "nondefault.preprocess.num" not in tags
    assert tags["autolog"] == "sklearn" and tags["estimator"] == "sklearn.pipeline.Pipeline"

    # metrics: training score at fit, then the held-out metrics named by their data
    m = metrics_by_key(run)
    assert m["train:training_score"] == pytest.approx(pipe.score(X_train, y_train))
    assert m["test:accuracy"] == pytest.approx(acc)
    assert m["test:roc_auc"] == pytest.approx(auc)
    assert m["test:f1_macro"] == pytest.approx(f1_macro)
    assert m["test:log_loss"] == pytest.approx(loss)
    assert m["test:score"] == pytest.approx(score)

    # datasets: fingerprints with rows and typed columns
    d = datasets_by_role(run)
    assert set(d) == {"train", "train_target", "test", "test_target"}
    assert d["train"]["rows"] == len(X_train) and d["test"]["rows"] == len(X_test)
    cols = {c["name"]: c["type"] for c in d["train"]["columns"]}
    assert cols == {"mean radius": "float", "mean texture": "float", "mean smoothness": "float",
                    "worst area": "float", "zip_code": "string", "plan": "category"}
    assert d["train_target"]["columns"] == [{"name": "target", "type": "int"}]
    assert len(d["train"]["sha256"]) == 64 and d["train"]["sha256"] != d["test"]["sha256"]
    assert d["train"]["sha256"] == modeldb.fingerprint(X_train)["sha256"]

    # environment and timing
    env = run["environment"]
    import sklearn
    assert env["scikit-learn"] == sklearn.__version__ and env["python"].count(".") == 2
    assert run["started"] <= run["finished"]

    # the fitted model comes back byte for byte and predicts the same
    assert [a["path"] for a in run["artifacts"]] == ["model.joblib"]
    out = repo.restore(res["name"], "model.joblib", str(tmp_path / "restored.joblib"))
    restored = joblib.load(out)
    assert type(restored) is Pipeline
    np.testing.assert_array_equal(restored.predict(X_test), pred)
    np.testing.assert_allclose(restored.predict_proba(X_test), proba)


def test_find_runs_by_column(repo):
    """Two runs; which used the column zip_code is answerable from the stored datasets."""
    X_train, X_test, y_train, y_test = split()
    modeldb.autolog()
    make_pipeline().fit(X_train, y_train)
    without_zip = [c for c in NUMERIC + CATEGORICAL if c != "zip_code"]
    Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]).fit(X_train[NUMERIC], y_train)
    modeldb.flush()
    log = repo.log()
    assert len(log) == 2
    used = []
    for c in log:
        run = repo.show(c["id"])
        names = {col["name"] for col in datasets_by_role(run)["train"]["columns"]}
        if "zip_code" in names:
            used.append(run["name"])
    assert used == [log[1]["name"]]  # the older run, the ColumnTransformer pipeline
    assert without_zip  # (silence the linter)


def test_sample_rows(repo):
    X_train, X_test, y_train, y_test = split()
    modeldb.autolog(sample_rows=3)
    pipe = make_pipeline().fit(X_train, y_train)
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    pre = stage_named(run["pipeline"], "preprocess")
    sample = pre["sample"]
    assert sample["columns"] == pre["outputs"]
    assert len(sample["rows"]) == 3
    expected = pipe.named_steps["preprocess"].transform(X_train.iloc[:3])
    expected = expected.toarray() if hasattr(expected, "toarray") else expected
    np.testing.assert_allclose(np.array(sample["rows"], dtype=float), expected)
    num = stage_named(pre["stages"], "num")
    assert num["sample"]["columns"] == NUMERIC
    scaler = pipe.named_steps["preprocess"].named_transformers_["num"]
    np.testing.assert_allclose(np.array(num["sample"]["rows"]), scaler.transform(X_train[NUMERIC].iloc[:3]))
    cat = stage_named(pre["stages"], "cat")
    assert all(v in (0, 1) for row in cat["sample"]["rows"] for v in row)
    clf = stage_named(run["pipeline"], "classifier")
    assert "sample" not in clf  # a predictor, not a transform


def test_feature_union_and_nested_pipeline(repo):
    X_train, X_test, y_train, y_test = split()
    modeldb.autolog(sample_rows=2)
    union = FeatureUnion([("scaled", StandardScaler()), ("pca", PCA(n_components=2, random_state=0))])
    pre = ColumnTransformer([
        ("num", Pipeline([("union", union)]), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), [4, 5]),  # by position
    ])
    pipe = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=500))]).fit(X_train, y_train)
    (res,) = modeldb.flush()
    run = repo.show(res["name"])
    assert len(repo.log()) == 1
    pre_st = run["pipeline"][0]
    num = stage_named(pre_st["stages"], "num")
    assert num["op"] == "sklearn.pipeline.Pipeline" and num["inputs"] == NUMERIC
    u = stage_named(num["stages"], "union")
    assert u["op"] == "sklearn.pipeline.FeatureUnion"
    assert [s["name"] for s in u["stages"]] == ["scaled", "pca"]
    pca = stage_named(u["stages"], "pca")
    assert pca["params"]["n_components"] == 2 and pca["outputs"] == ["pca0", "pca1"]
    assert run["tags"]["nondefault.pre.num.union.pca"] == "n_components,random_state"
    assert len(u["sample"]["rows"]) == 2 and len(u["sample"]["columns"]) == len(NUMERIC) + 2
    cat = stage_named(pre_st["stages"], "cat")
    assert cat["inputs"] == CATEGORICAL  # positions resolved to names
    assert pipe.score(X_test, y_test) > 0.5
