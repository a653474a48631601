#!/usr/bin/env python3
"""Train a customer-churn model with scikit-learn and describe the build as a
modeldb run file (run.json), for the README's end-to-end demo.

The data is synthetic but shaped like a real churn table (tenure, charges,
contract, country); it is generated deterministically, so every run of the
demo sees the same rows. Usage:

    train_churn.py --out DIR --model logreg --C 1.0
    train_churn.py --out DIR --model forest --max-depth 8
"""
import argparse
import csv
import json
import os
import pickle
import random

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure_months", "monthly_charges", "support_calls"]
CATEGORICAL = ["contract", "country"]
COLUMNS = NUMERIC + CATEGORICAL + ["churn"]


def make_rows(n, seed):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        tenure = rng.randint(1, 72)
        charges = round(rng.uniform(18, 120), 2)
        calls = min(int(rng.expovariate(0.7)), 12)
        contract = rng.choice(["month-to-month", "one-year", "two-year"])
        country = rng.choices(["US", "DE", "FR", "IN"], weights=[5, 2, 2, 1])[0]
        score = (-0.04 * tenure + 0.025 * charges + 0.45 * calls
                 + {"month-to-month": 1.2, "one-year": 0.0, "two-year": -1.3}[contract]
                 + {"US": 0.3, "DE": -0.2, "FR": 0.0, "IN": 0.5}[country] - 1.0 + rng.gauss(0, 1.0))
        rows.append([tenure, charges, calls, contract, country, int(score > 0)])
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)


def split_xy(rows):
    return [r[:-1] for r in rows], [r[-1] for r in rows]


def build(args):
    pre = ColumnTransformer([
        ("num", StandardScaler(), list(range(len(NUMERIC)))),
        ("cat", OneHotEncoder(handle_unknown="ignore"), [len(NUMERIC), len(NUMERIC) + 1]),
    ])
    if args.model == "logreg":
        clf = LogisticRegression(C=args.C, penalty="l2", max_iter=1000)
    else:
        clf = RandomForestClassifier(n_estimators=args.trees, max_depth=args.max_depth, random_state=0)
    return Pipeline([("preprocess", pre), ("classifier", clf)])


def plain(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, type):
        return v.__module__ + "." + v.__name__
    return type(v).__module__.split(".")[0] + "." + type(v).__name__


def op_name(est):
    mod = type(est).__module__
    parts = mod.split(".")
    # sklearn.linear_model._logistic → sklearn.linear_model
    public = ".".join(p for p in parts if not p.startswith("_"))
    return public + "." + type(est).__name__


def stage(name, est, inputs):
    params = {k: plain(v) for k, v in sorted(est.get_params(deep=False).items())
              if k not in ("steps", "transformers")}
    s = {"name": name, "op": op_name(est), "params": params, "inputs": inputs}
    if isinstance(est, ColumnTransformer):
        s["stages"] = [stage(n, e, [COLUMNS[i] for i in cols]) for n, e, cols in est.transformers]
        s["outputs"] = ["features"]
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", choices=["logreg", "forest"], default="logreg")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--max-depth", type=int, default=8)
    ap.add_argument("--trees", type=int, default=100)
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
    train, test = make_rows(4000, seed=7), make_rows(1000, seed=8)
    write_csv(os.path.join(args.out, "data", "train.csv"), train)
    write_csv(os.path.join(args.out, "data", "test.csv"), test)
    (Xtr, ytr), (Xte, yte) = split_xy(train), split_xy(test)

    pipe = build(args)
    pipe.fit(Xtr, ytr)
    with open(os.path.join(args.out, "model.pkl"), "wb") as f:
        pickle.dump(pipe, f)

    pred = pipe.predict(Xte)
    proba = pipe.predict_proba(Xte)[:, 1]
    metrics = [
        {"name": "accuracy", "value": round(accuracy_score(yte, pred), 4), "split": "test"},
        {"name": "auc", "value": round(roc_auc_score(yte, proba), 4), "split": "test"},
        {"name": "accuracy", "value": round(accuracy_score(ytr, pipe.predict(Xtr)), 4), "split": "train"},
    ]
    for country in ["US", "DE", "FR", "IN"]:
        idx = [i for i, r in enumerate(Xte) if r[4] == country]
        acc = accuracy_score([yte[i] for i in idx], [pred[i] for i in idx])
        metrics.append({"name": "accuracy", "value": round(acc, 4), "split": "test", "slice": "country=" + country})

    clf = pipe.named_steps["classifier"]
    params = {"model": args.model}
    params.update({k: plain(v) for k, v in clf.get_params().items() if k in ("C", "max_depth", "n_estimators", "penalty")})
    run = {
        "params": params,
        "pipeline": [stage("preprocess", pipe.named_steps["preprocess"], NUMERIC + CATEGORICAL),
                     stage("classifier", clf, ["features"])],
        "metrics": metrics,
        "datasets": [{"role": "train", "path": "data/train.csv"}, {"role": "test", "path": "data/test.csv"}],
        "artifacts": [{"path": "model.pkl"}],
        "environment": {"python": ".".join(map(str, __import__("sys").version_info[:3])),
                        "scikit-learn": __import__("sklearn").__version__},
        "command": ["train_churn.py", "--model", args.model],
    }
    with open(os.path.join(args.out, "run.json"), "w") as f:
        json.dump(run, f, indent=2)
    print("trained %s: test accuracy %.4f, auc %.4f" % (args.model, metrics[0]["value"], metrics[1]["value"]))


if __name__ == "__main__":
    main()
