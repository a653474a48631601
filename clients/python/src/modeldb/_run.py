"""Runs: what one model build recorded, and the explicit logging API."""
import atexit
import os
import pickle
import platform
import shutil
import sys
import tempfile
import threading

from . import _binary
from ._errors import ModelDBError, warn
from ._fingerprint import fingerprint
from ._values import finite_number, json_value, utc_now
from ._version import __version__

_lock = threading.RLock()
_stack = []  # open explicit runs, innermost last
_pending = {}  # thread id -> the autolog run waiting for its metrics, committed lazily
_atexit_registered = False


def register_atexit():
    global _atexit_registered
    with _lock:
        if not _atexit_registered:
            atexit.register(_at_exit)
            _atexit_registered = True


def _at_exit():
    try:
        flush()
        with _lock:
            runs = list(reversed(_stack))
        for run in runs:
            run.end()
    except Exception as e:  # never let a logging problem spoil interpreter exit
        try:
            warn("could not record runs at exit: %s" % e)
        except Exception:
            pass


def environment():
    """Python and library versions, for a run's environment."""
    env = {"python": platform.python_version(), "modeldb-python": __version__}
    for module, key in (("sklearn", "scikit-learn"), ("numpy", "numpy"), ("scipy", "scipy"),
                        ("pandas", "pandas"), ("joblib", "joblib")):
        m = sys.modules.get(module)
        v = getattr(m, "__version__", None) if m is not None else None
        if v:
            env[key] = str(v)
    return env


def _command():
    if not sys.argv or not sys.argv[0]:
        return None
    return [os.path.basename(sys.executable) or "python"] + [str(a) for a in sys.argv]


def save_model(model, directory, stem="model"):
    """Serialise model into directory: joblib when available, else pickle. Returns the file's path."""
    try:
        import joblib
    except ImportError:
        joblib = None
    if joblib is not None:
        path = os.path.join(directory, stem + ".joblib")
        joblib.dump(model, path)
    else:
        path = os.path.join(directory, stem + ".pkl")
        with open(path, "wb") as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


class Run:
    """One model build being recorded; committed with `modeldb commit` when it ends.

    Use start_run() to get one. Every log_* method warns (ModelDBWarning)
    instead of raising when what it is given cannot be recorded.
    """

    def __init__(self, name=None, message=None, tags=None, params=None, repo=None, autolog=False):
        self.name = name
        self.message = message
        self.params = {}
        self.pipeline = []
        self.tags = {}
        self.started = utc_now()
        self.finished = None
        self.cwd = os.getcwd()
        self.repo = os.path.abspath(repo) if repo else None
        self.autolog = autolog
        #: The porcelain result of the commit ({"commit", "run", "name", "branch", "parent"}), once committed.
        self.result = None
        #: "open", "committed", "failed" (the commit was refused) or "empty" (nothing to record).
        self.state = "open"
        self._metrics = {}  # (name, slice, split, step) -> metric, in recorded order
        self._datasets = []
        self._artifacts = []
        self._tmpdir = None
        self._lock = threading.RLock()
        self._autolog = None  # the scikit-learn tracker, set by autolog
        self._ended = False
        if tags:
            self.set_tags(tags)
        if params:
            self.log_params(params)

    # -- context manager --------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.tags["status"] = "failed"
            self.tags["error"] = ("%s: %s" % (exc_type.__name__, exc))[:500]
        self.end()
        return False  # never swallow the training code's exception

    def __repr__(self):
        return "<modeldb.Run %s %s>" % (self.result["name"] if self.result else self.name or "(unnamed)", self.state)

    # -- logging ------------------------------------------------------------
    def log_param(self, key, value):
        """Record a run-level parameter; the value keeps its type (see json_value)."""
        if not isinstance(key, str) or not key:
            warn("log_param: the parameter name must be a non-empty string, got %r; not recorded" % (key,))
            return
        try:
            v = json_value(value)
        except Exception as e:
            warn("log_param %r: cannot record %r (%s)" % (key, value, e))
            return
        with self._lock:
            self.params[key] = v

    def log_params(self, params):
        """Record several run-level parameters (a dict)."""
        try:
            items = list(dict(params).items())
        except Exception:
            warn("log_params: want a dict of name -> value, got %r; not recorded" % (params,))
            return
        for k, v in items:
            self.log_param(k, v)

    def log_metric(self, name, value, slice=None, split=None, step=None):
        """Record a metric. slice names a subset (`country=US`), split the data (`test`), step a point on a curve."""
        self._add_metric(name, value, slice=slice, split=split, step=step, what="log_metric")

    def log_metrics(self, metrics, slice=None, split=None, step=None):
        """Record several metrics (a dict of name -> value) with the same slice, split and step."""
        try:
            items = list(dict(metrics).items())
        except Exception:
            warn("log_metrics: want a dict of name -> value, got %r; not recorded" % (metrics,))
            return
        for k, v in items:
            self.log_metric(k, v, slice=slice, split=split, step=step)

    def _add_metric(self, name, value, slice=None, split=None, step=None, what="metric"):
        if not isinstance(name, str) or not name:
            warn("%s: the metric name must be a non-empty string, got %r; not recorded" % (what, name))
            return False
        v = finite_number(value)
        if v is None:
            warn("%s %r: value %r is not a finite number; not recorded" % (what, name, value))
            return False
        for label, s in (("slice", slice), ("split", split)):
            if s is not None and not isinstance(s, str):
                warn("%s %r: %s must be a string, got %r; not recorded" % (what, name, label, s))
                return False
        if step is not None:
            if isinstance(step, bool) or finite_number(step) is None or int(step) != step:
                warn("%s %r: step must be an integer, got %r; not recorded" % (what, name, step))
                return False
            step = int(step)
        m = {"name": name, "value": v}
        if slice:
            m["slice"] = slice
        if split:
            m["split"] = split
        if step is not None:
            m["step"] = step
        with self._lock:
            # the same name, slice, split and step again: the last value wins
            self._metrics[(name, slice or "", split or "", step)] = m
        return True

    def log_dataset(self, role, data=None, path=None, store=False):
        """Record data the run used.

        Give data (a DataFrame, Series, array or sparse matrix: fingerprinted
        here) or path (a file: modeldb fingerprints it, and stores it too with
        store=True). Returns the role it was recorded under, or None.
        """
        if not isinstance(role, str) or not role:
            warn("log_dataset: the role must be a non-empty string, got %r; not recorded" % (role,))
            return None
        if path is not None:
            p = os.path.abspath(os.fspath(path))
            if not os.path.isfile(p):
                warn("log_dataset %r: %s is not a file; not recorded" % (role, p))
                return None
            entry = {"role": role, "path": p}
            if store:
                entry["store"] = True
        elif data is not None:
            if store:
                warn("log_dataset %r: store=True needs a path; recording only the fingerprint" % role)
            try:
                fp = fingerprint(data, name="y" if role.endswith("target") else "x")
            except Exception as e:
                warn("log_dataset %r: cannot fingerprint %s (%s); not recorded" % (role, type(data).__name__, e))
                return None
            entry = dict(role=role, **fp)
        else:
            warn("log_dataset %r: give data or path; not recorded" % role)
            return None
        return self._add_dataset(entry)

    def _add_dataset(self, entry):
        """Add a dataset; a role already used for other data gets a suffix (_2, _3, …). Returns the role."""
        with self._lock:
            role = entry["role"]
            base, n = role, 1
            while True:
                same = [d for d in self._datasets if d["role"] == role]
                if not same:
                    break
                d = same[0]
                if d.get("sha256") == entry.get("sha256") and d.get("path") == entry.get("path"):
                    return role  # already recorded
                n += 1
                role = "%s_%d" % (base, n)
            entry = dict(entry, role=role)
            self._datasets.append(entry)
            return role

    def log_artifact(self, path, name=None):
        """Record a file the run produced. It is read when the run is committed.

        name is what `modeldb restore RUN NAME` asks for (default: the file's
        base name). Logging the same name again replaces the earlier file.
        """
        try:
            p = os.path.abspath(os.fspath(path))
        except TypeError:
            warn("log_artifact: want a path, got %r; not recorded" % (path,))
            return None
        if not os.path.isfile(p):
            warn("log_artifact: %s is not a file; not recorded" % p)
            return None
        name = name or os.path.basename(p)
        with self._lock:
            self._artifacts = [a for a in self._artifacts if a["name"] != name]
            self._artifacts.append({"path": p, "name": name})
        return name

    def log_model(self, model, name="model"):
        """Serialise model (joblib, else pickle) and record it as an artifact. Returns its name."""
        try:
            path = save_model(model, self.tmpdir(), stem=name)
        except Exception as e:
            warn("log_model: cannot serialise %s (%s); not recorded" % (type(model).__name__, e))
            return None
        return self.log_artifact(path, name=os.path.basename(path))

    def set_tag(self, key, value):
        """Record a free-form label (a string)."""
        if not isinstance(key, str) or not key:
            warn("set_tag: the tag name must be a non-empty string, got %r; not recorded" % (key,))
            return
        with self._lock:
            self.tags[key] = value if isinstance(value, str) else str(json_value(value))

    def set_tags(self, tags):
        try:
            items = list(dict(tags).items())
        except Exception:
            warn("set_tags: want a dict of name -> value, got %r; not recorded" % (tags,))
            return
        for k, v in items:
            self.set_tag(k, v)

    # -- ending -----------------------------------------------------------
    def tmpdir(self):
        """A directory for files the run produces; removed after the commit."""
        with self._lock:
            if self._tmpdir is None:
                self._tmpdir = tempfile.mkdtemp(prefix="modeldb-run-")
            return self._tmpdir

    def _cleanup(self):
        with self._lock:
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    def to_spec(self):
        """The run as a run-file dict (docs/runfile.md), as sent to `modeldb commit --json -`."""
        with self._lock:
            spec = {}
            if self.name:
                spec["name"] = self.name
            if self.message:
                spec["message"] = self.message
            if self.params:
                spec["params"] = dict(self.params)
            if self.pipeline:
                spec["pipeline"] = list(self.pipeline)
            metrics = list(self._metrics.values())
            # metrics without a slice first: the commit repeats the first few for `modeldb log`
            metrics = [m for m in metrics if "slice" not in m] + [m for m in metrics if "slice" in m]
            if metrics:
                spec["metrics"] = metrics
            if self._datasets:
                spec["datasets"] = list(self._datasets)
            if self._artifacts:
                spec["artifacts"] = list(self._artifacts)
            spec["environment"] = environment()
            cmd = _command()
            if cmd:
                spec["command"] = cmd
            spec["started"] = self.started
            spec["finished"] = self.finished or utc_now()
            if self.tags:
                spec["tags"] = dict(self.tags)
            return spec

    def _has_content(self):
        return bool(self.params or self.pipeline or self._metrics or self._datasets or self._artifacts)

    def end(self):
        """Finish the run and commit it. Returns the commit result, or None (with a warning) if it failed."""
        with self._lock:
            if self._ended:
                return self.result
            self._ended = True
            if self.finished is None:
                self.finished = utc_now()
        with _lock:
            if self in _stack:
                _stack.remove(self)
            for k, v in list(_pending.items()):
                if v is self:
                    del _pending[k]
        try:
            return self._commit()
        finally:
            self._autolog = None
            self._cleanup()

    def _commit(self):
        if not self._has_content():
            self.state = "empty"
            if not self.autolog:
                warn("run %s recorded nothing (no params, metrics, datasets, artifacts or pipeline); "
                     "nothing was committed" % (self.name or "(unnamed)"))
            return None
        env = _binary.repo_env(self.repo)
        try:
            spec = self.to_spec()
            result = _binary.commit(spec, cwd=self.cwd, env=env)
        except ModelDBError as e:
            self.state = "failed"
            warn("could not record run %s: %s" % (self.name or "(unnamed)", e))
            return None
        except Exception as e:
            self.state = "failed"
            warn("could not record run %s: %s: %s" % (self.name or "(unnamed)", type(e).__name__, e))
            return None
        self.result = result
        self.name = result.get("name", self.name)
        self.state = "committed"
        return result


# -- the module-level API ---------------------------------------------------------

def start_run(name=None, tags=None, message=None, params=None, repo=None):
    """Start a run; use it as a context manager (`with modeldb.start_run(...) as run:`).

    The run is committed when the block ends (or at end_run()). A block left
    by an exception is still committed, with tags status=failed and error,
    and the exception goes on. With autolog on, models fitted inside the
    block are recorded in this run. repo is the directory holding .modeldb
    (default: found from the current directory, like the modeldb command).
    Raises BinaryNotFoundError/BinaryVersionError when no usable modeldb
    binary is found, before any training happens.
    """
    _binary.check_binary()
    warn_if_no_repo(repo)
    flush_thread()
    run = Run(name=name, message=message, tags=tags, params=params, repo=repo)
    with _lock:
        _stack.append(run)
    register_atexit()
    return run


def warn_if_no_repo(repo=None):
    """Warn now, before training, when runs could not be committed for want of a repository."""
    problem = _binary.repo_problem(cwd=os.getcwd(), repo=repo)
    if problem:
        where = repo if repo else os.getcwd()
        warn("no usable modeldb repository for %s (%s); runs will not be recorded until there is one "
             "(`modeldb init`)" % (where, problem.replace("modeldb: ", "", 1)), stacklevel=4)


def end_run():
    """End the innermost open run started with start_run() and commit it."""
    with _lock:
        run = _stack[-1] if _stack else None
    if run is None:
        warn("end_run: there is no open run")
        return None
    return run.end()


def active_run():
    """The run module-level log_* calls go to: the innermost open start_run() run,
    else the run autolog recorded last on this thread (until it is committed), else None."""
    with _lock:
        if _stack:
            return _stack[-1]
        return _pending.get(threading.get_ident())


def _target(what):
    run = active_run()
    if run is None:
        warn("%s: no active run (use `with modeldb.start_run():`, or fit a model with modeldb.autolog() on); "
             "not recorded" % what, stacklevel=4)
    return run


def log_param(key, value):
    run = _target("log_param")
    if run is not None:
        run.log_param(key, value)


def log_params(params):
    run = _target("log_params")
    if run is not None:
        run.log_params(params)


def log_metric(name, value, slice=None, split=None, step=None):
    run = _target("log_metric")
    if run is not None:
        run.log_metric(name, value, slice=slice, split=split, step=step)


def log_metrics(metrics, slice=None, split=None, step=None):
    run = _target("log_metrics")
    if run is not None:
        run.log_metrics(metrics, slice=slice, split=split, step=step)


def log_dataset(role, data=None, path=None, store=False):
    run = _target("log_dataset")
    if run is not None:
        return run.log_dataset(role, data=data, path=path, store=store)
    return None


def log_artifact(path, name=None):
    run = _target("log_artifact")
    if run is not None:
        return run.log_artifact(path, name=name)
    return None


def log_model(model, name="model"):
    run = _target("log_model")
    if run is not None:
        return run.log_model(model, name=name)
    return None


def set_tag(key, value):
    run = _target("set_tag")
    if run is not None:
        run.set_tag(key, value)


def set_tags(tags):
    run = _target("set_tags")
    if run is not None:
        run.set_tags(tags)


# -- autolog's pending runs ---------------------------------------------------------

def open_runs():
    with _lock:
        return list(_stack)


def set_pending(run):
    """Make run this thread's pending autolog run (committed at the next fit or flush)."""
    with _lock:
        _pending[threading.get_ident()] = run
    register_atexit()


def pending_run():
    with _lock:
        return _pending.get(threading.get_ident())


def flush_thread():
    """Commit this thread's pending autolog run, if any."""
    with _lock:
        run = _pending.pop(threading.get_ident(), None)
    return run.end() if run is not None else None


def flush():
    """Commit every pending autolog run now. Returns their commit results
    ({"commit", "run", "name", "branch", "parent"}), oldest first; runs that
    failed to commit (with a warning) are left out."""
    with _lock:
        runs = list(_pending.values())
        _pending.clear()
    results = []
    for run in runs:
        r = run.end()
        if r is not None:
            results.append(r)
    return results
