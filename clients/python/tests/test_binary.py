"""Finding the modeldb binary: MODELDB_BIN, then PATH; a clear error when missing or too old."""
import os
import stat

import pytest

import modeldb


def fake_binary(path, version_line):
    path.write_text("#!/bin/sh\necho '%s'\n" % version_line)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_missing_binary_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("MODELDB_BIN", str(tmp_path / "nope" / "modeldb"))
    with pytest.raises(modeldb.BinaryNotFoundError, match="MODELDB_BIN is set to .*no such file"):
        modeldb.autolog()
    with pytest.raises(modeldb.BinaryNotFoundError):
        modeldb.start_run()
    assert modeldb.active_run() is None


def test_missing_binary_on_path(tmp_path, monkeypatch):
    monkeypatch.delenv("MODELDB_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(modeldb.BinaryNotFoundError) as e:
        modeldb.autolog()
    msg = str(e.value)
    assert "no `modeldb` on PATH" in msg and "MODELDB_BIN" in msg and "make build" in msg


def test_too_old_binary(tmp_path, monkeypatch):
    monkeypatch.setenv("MODELDB_BIN", fake_binary(tmp_path / "modeldb", "modeldb version 0.0.9"))
    with pytest.raises(modeldb.BinaryVersionError, match=r"version 0\.0\.9, too old .* needs modeldb >= 0\.1\.0"):
        modeldb.autolog()


def test_not_a_modeldb_binary(tmp_path, monkeypatch):
    monkeypatch.setenv("MODELDB_BIN", fake_binary(tmp_path / "other", "something else"))
    with pytest.raises(modeldb.BinaryVersionError, match="not a modeldb version"):
        modeldb.check_binary()


def test_binary_found_on_path(tmp_path, monkeypatch, modeldb_bin):
    d = tmp_path / "bin"
    d.mkdir()
    os.symlink(modeldb_bin, d / "modeldb")
    monkeypatch.delenv("MODELDB_BIN", raising=False)
    monkeypatch.setenv("PATH", str(d) + os.pathsep + os.environ.get("PATH", ""))
    path, version = modeldb.check_binary()
    assert path == str(d / "modeldb")
    assert version.startswith("0.") or version[0].isdigit()


def test_commit_through_repo_option(tmp_path, monkeypatch, modeldb_bin):
    """repo= names the repository; the current directory can be anywhere."""
    import subprocess
    monkeypatch.setenv("MODELDB_BIN", modeldb_bin)
    monkeypatch.setenv("MODELDB_AUTHOR", "Pat Tester <pat@example.com>")
    store = tmp_path / "store"
    subprocess.run([modeldb_bin, "init", str(store)], check=True, stdout=subprocess.DEVNULL)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with modeldb.start_run(name="remote-dir", repo=str(store)) as run:
        modeldb.log_metric("acc", 0.5)
    assert run.result["name"] == "remote-dir"
    out = subprocess.run([modeldb_bin, "-C", str(store), "log", "--oneline"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    assert "remote-dir" in out


def test_no_repository_warns_early(tmp_path, monkeypatch, modeldb_bin):
    """Outside a repository autolog() and start_run() warn at once; training still works."""
    monkeypatch.setenv("MODELDB_BIN", modeldb_bin)
    monkeypatch.delenv("MODELDB_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        with pytest.warns(modeldb.ModelDBWarning, match="no usable modeldb repository .*modeldb init"):
            modeldb.autolog()
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        X, y = load_iris(return_X_y=True)
        clf = LogisticRegression(max_iter=500).fit(X, y)
        assert clf.score(X, y) > 0.9
        with pytest.warns(modeldb.ModelDBWarning, match="could not record run .*not a modeldb repository"):
            assert modeldb.flush() == []
    finally:
        modeldb.autolog(disable=True)
