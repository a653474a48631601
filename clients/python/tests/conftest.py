"""Fixtures: the real modeldb binary (built once per session) and a fresh repository per test.

The tests import the client from clients/python/src: nothing needs installing.
"""
import json
import os
import shutil
import subprocess
import sys
import warnings

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(CLIENT))
sys.path.insert(0, os.path.join(CLIENT, "src"))

import modeldb  # noqa: E402
from modeldb import _run, _sklearn  # noqa: E402


def _go():
    go = shutil.which("go")
    if go is None and os.path.exists("/usr/local/go/bin/go"):
        go = "/usr/local/go/bin/go"
    return go


@pytest.fixture(scope="session")
def modeldb_bin(tmp_path_factory):
    """The modeldb binary, built from this checkout: go build -o <tmp>/modeldb ./cmd/modeldb."""
    go = _go()
    if go is None:
        pytest.fail("the tests need Go to build ./cmd/modeldb (go not on PATH)")
    out = str(tmp_path_factory.mktemp("bin") / "modeldb")
    env = dict(os.environ, CGO_ENABLED="0")
    proc = subprocess.run([go, "build", "-trimpath", "-tags", "urfave_cli_no_docs", "-o", out, "./cmd/modeldb"],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        pytest.fail("go build ./cmd/modeldb failed:\n" + proc.stderr)
    return out


class Repo:
    """A modeldb repository in a temporary directory, and the CLI to read it."""

    def __init__(self, path, binary):
        self.path = str(path)
        self.bin = binary

    def cli(self, *args, check=True):
        proc = subprocess.run([self.bin] + [str(a) for a in args], cwd=self.path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and proc.returncode != 0:
            raise AssertionError("modeldb %s failed (exit %d): %s" % (" ".join(map(str, args)),
                                                                     proc.returncode, proc.stderr))
        return proc

    def json(self, *args):
        return json.loads(self.cli(*args).stdout)

    def show(self, rev="HEAD"):
        """The stored run object of rev (modeldb show --json)."""
        return self.json("show", "--json", rev)["run"]

    def log(self):
        """modeldb log --json, newest first; [] for a repository without commits."""
        proc = self.cli("log", "--json", check=False)
        if proc.returncode != 0:
            assert "does not have any commits yet" in proc.stderr, proc.stderr
            return []
        return json.loads(proc.stdout)

    def restore(self, rev, name, out):
        self.cli("restore", rev, name, "-o", out)
        return out


def _reset_client():
    modeldb.autolog(disable=True)
    for run in _run.open_runs():
        run.end()
    _sklearn._split_names.clear()
    _sklearn._other_predictions.clear()


@pytest.fixture(autouse=True)
def strict_warnings():
    """A ModelDBWarning the test does not expect (with pytest.warns) fails it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", modeldb.ModelDBWarning)
        yield


@pytest.fixture
def repo(tmp_path, monkeypatch, modeldb_bin):
    """A fresh repository in tmp_path/work, the current directory, with MODELDB_BIN set."""
    monkeypatch.setenv("MODELDB_BIN", modeldb_bin)
    monkeypatch.setenv("MODELDB_AUTHOR", "Pat Tester <pat@example.com>")
    monkeypatch.delenv("MODELDB_DIR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    r = Repo(work, modeldb_bin)
    r.cli("init")
    try:
        yield r
    finally:
        _reset_client()


def metrics_by_key(run):
    """{split:name[slice]@step -> value} of a stored run."""
    out = {}
    for m in run.get("metrics", []):
        key = m["name"]
        if m.get("split"):
            key = m["split"] + ":" + key
        if m.get("slice"):
            key += "[" + m["slice"] + "]"
        if "step" in m:
            key += "@%d" % m["step"]
        out[key] = m["value"]
    return out


def datasets_by_role(run):
    return {d["role"]: d for d in run.get("datasets", [])}


def stage_named(stages, name):
    for s in stages:
        if s["name"] == name:
            return s
    raise AssertionError("no stage %r among %s" % (name, [s["name"] for s in stages]))


def churn_frame():
    """A real data set (breast cancer) as a DataFrame with numeric and categorical columns.

    zip_code (string) and plan (category) are derived from the data, so they
    carry signal; target is the label.
    """
    import pandas as pd
    from sklearn.datasets import load_breast_cancer
    data = load_breast_cancer(as_frame=True)
    df = data.frame[["mean radius", "mean texture", "mean smoothness", "worst area", "target"]].copy()
    df["zip_code"] = pd.qcut(df["mean radius"], 4, labels=["10115", "20095", "80331", "50667"]).astype(str)
    df["plan"] = pd.Categorical(["pro" if t > 20 else "basic" for t in df["mean texture"]])
    return df
