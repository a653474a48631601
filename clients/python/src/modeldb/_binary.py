"""Finding, checking and running the modeldb binary.

The client never writes a repository itself: every run goes through
``modeldb commit --json - --porcelain``, so the Go code stays the one writer.
"""
import json
import os
import re
import shutil
import subprocess
import threading

from ._errors import BinaryNotFoundError, BinaryVersionError, CommitError

#: The oldest modeldb whose `commit` reads JSON on stdin (`--json -`) and
#: prints its result as JSON (`--porcelain`).
MIN_VERSION = (0, 1, 0)

_HOW_TO_GET = ("build it with `make build` in the modeldb repository (it writes bin/modeldb) "
               "and put it on PATH, or set MODELDB_BIN=/path/to/modeldb")

_lock = threading.Lock()
_versions = {}  # (path, mtime, size) -> (tuple, text)


def find_binary():
    """Return the path of the modeldb binary: $MODELDB_BIN, else `modeldb` on PATH.

    Raises BinaryNotFoundError with a message saying how to fix it.
    """
    env = os.environ.get("MODELDB_BIN")
    if env:
        path = env
        if os.sep not in env and not os.path.exists(env):
            path = shutil.which(env) or env
        if not os.path.isfile(path):
            raise BinaryNotFoundError(
                "MODELDB_BIN is set to %r, but there is no such file; point it at the modeldb binary, or %s"
                % (env, _HOW_TO_GET))
        if not os.access(path, os.X_OK):
            raise BinaryNotFoundError("MODELDB_BIN is set to %r, but that file is not executable" % env)
        return os.path.abspath(path)
    path = shutil.which("modeldb")
    if not path:
        raise BinaryNotFoundError(
            "the modeldb binary was not found: MODELDB_BIN is not set and there is no `modeldb` on PATH; "
            + _HOW_TO_GET)
    return path


def binary_version(path):
    """Return (version tuple, version text) of the binary at path, from `modeldb --version`."""
    try:
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
    except OSError:
        key = None
    with _lock:
        if key is not None and key in _versions:
            return _versions[key]
    try:
        proc = subprocess.run([path, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=60)
    except OSError as e:
        raise BinaryNotFoundError("cannot run the modeldb binary %s: %s" % (path, e)) from None
    except subprocess.TimeoutExpired:
        raise BinaryVersionError("`%s --version` did not finish within 60 s" % path) from None
    out = proc.stdout.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise BinaryVersionError("`%s --version` failed (exit %d)%s; is it the modeldb binary?"
                                 % (path, proc.returncode, ": " + err if err else ""))
    m = re.search(r"\bversion\s+v?(\d+)\.(\d+)\.(\d+)(\S*)", out)
    if not m:
        raise BinaryVersionError("`%s --version` printed %r, not a modeldb version; is it the modeldb binary?"
                                 % (path, out[:200]))
    result = (tuple(int(m.group(i)) for i in (1, 2, 3)), "%s.%s.%s%s" % m.groups())
    with _lock:
        if key is not None:
            _versions[key] = result
    return result


def check_binary():
    """Find the modeldb binary and check that it is new enough.

    Returns (path, version text). Raises BinaryNotFoundError or
    BinaryVersionError with a message that says what to do.
    """
    path = find_binary()
    version, text = binary_version(path)
    if version < MIN_VERSION:
        raise BinaryVersionError(
            "the modeldb binary %s is version %s, too old for this client, which needs modeldb >= %s "
            "(for `modeldb commit --json - --porcelain`); %s"
            % (path, text, ".".join(map(str, MIN_VERSION)), _HOW_TO_GET))
    return path, text


def commit(spec, cwd=None, env=None):
    """Commit one run (a run-file dict, see docs/runfile.md) with `modeldb commit --json - --porcelain`.

    cwd is the directory modeldb runs in: it finds the repository from there
    and records the git provenance of it. Returns the porcelain result:
    {"commit", "run", "name", "branch", "parent"}. Raises CommitError with
    modeldb's own message when the commit is refused.
    """
    path, _ = check_binary()
    data = json.dumps(spec, allow_nan=False, ensure_ascii=False, sort_keys=False).encode("utf-8")
    if cwd is not None and not os.path.isdir(cwd):
        cwd = None
    try:
        proc = subprocess.run([path, "commit", "--json", "-", "--porcelain"], input=data,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
    except OSError as e:
        raise BinaryNotFoundError("cannot run the modeldb binary %s: %s" % (path, e)) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise CommitError(err or "`modeldb commit` failed with exit status %d" % proc.returncode)
    try:
        return json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        raise CommitError("`modeldb commit --porcelain` printed something that is not JSON: %r"
                          % proc.stdout[:200]) from None


def repo_env(repo):
    """The environment for running modeldb on repository repo (a directory holding .modeldb, or .modeldb itself)."""
    if not repo:
        return None
    repo = os.path.abspath(repo)
    env = dict(os.environ)
    env["MODELDB_DIR"] = repo if os.path.basename(repo) == ".modeldb" else os.path.join(repo, ".modeldb")
    return env


def repo_problem(cwd=None, repo=None):
    """Why modeldb cannot find a repository from cwd (or at repo), or None when it can."""
    try:
        path, _ = check_binary()
        proc = subprocess.run([path, "branch", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, cwd=cwd, env=repo_env(repo), timeout=60)
    except Exception as e:  # a problem of its own; the commit will report it
        return "%s: %s" % (type(e).__name__, e)
    if proc.returncode == 0:
        return None
    return proc.stderr.decode("utf-8", "replace").strip() or "exit status %d" % proc.returncode
