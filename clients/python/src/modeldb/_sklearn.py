"""autolog for scikit-learn.

modeldb.autolog() wraps the fit-like methods (fit, fit_transform,
fit_predict) of every scikit-learn estimator class, and score/predict-like
methods and a few sklearn.metrics functions, so that:

- each top-level fit (not the fits a Pipeline, ColumnTransformer or search
  makes inside it: a thread-local depth counter tells them apart) becomes
  one run, describing the fitted model (stages, typed params, nested
  structure), the data (fingerprints of X and y), a training score and the
  fitted model as an artifact;
- the run is committed lazily (at the next top-level fit, at
  modeldb.flush(), at autolog(disable=True) or at interpreter exit), so that
  the model's score() and metric calls made after the fit are recorded in
  it, with the split named after the data they used.
"""
import collections
import functools
import inspect
import os
import sys
import threading
import types
import warnings
from contextlib import contextmanager

from . import _binary, _hook, _run
from ._errors import ModelDBError, warn
from ._fingerprint import MAX_COLUMNS, fingerprint
from ._values import class_path, finite_number, json_value, sample_value, utc_now

FIT_METHODS = ("fit", "fit_transform", "fit_predict")
SCORE_METHODS = ("score",)
PREDICT_METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function")

#: sklearn.metrics functions recorded when called after a fit: function -> metric name.
METRIC_FUNCTIONS = {
    "accuracy_score": "accuracy",
    "balanced_accuracy_score": "balanced_accuracy",
    "f1_score": "f1",
    "precision_score": "precision",
    "recall_score": "recall",
    "roc_auc_score": "roc_auc",
    "average_precision_score": "average_precision",
    "log_loss": "log_loss",
    "mean_squared_error": "mean_squared_error",
    "mean_absolute_error": "mean_absolute_error",
    "r2_score": "r2",
}
_REGRESSION_METRICS = {"mean_squared_error", "mean_absolute_error", "r2_score"}
#: Keyword options of metric functions that name a variant of the metric.
_VARIANT_OPTIONS = ("average", "multi_class")

#: Functions that fit or score estimators internally: nothing they do is recorded.
QUIET_FUNCTIONS = (
    ("sklearn.model_selection._validation", ("cross_validate", "cross_val_score", "cross_val_predict",
                                             "learning_curve", "validation_curve", "permutation_test_score")),
    ("sklearn.model_selection", ("cross_validate", "cross_val_score", "cross_val_predict",
                                 "learning_curve", "validation_curve", "permutation_test_score")),
    ("sklearn.inspection", ("permutation_importance", "partial_dependence")),
)

#: training_score is computed only up to this many training rows.
TRAINING_SCORE_MAX_ROWS = 100000


class _Config:
    enabled = False
    sample_rows = 0
    log_models = True
    training_score = True
    tags = {}
    repo = None


_config = _Config()
_tls = threading.local()
_patch_lock = threading.RLock()
_patched = []  # (owner, attr, original, how) to undo
_patched_keys = set()
_split_names = {}  # sha256 of data -> split name, from set_split
_signatures = {}


_running = [0]  # top-level fits running now, on any thread
_running_lock = threading.Lock()


def _depth():
    return getattr(_tls, "depth", 0)


def _quiet():
    """True inside a fit (or inside modeldb's own work), where nothing is recorded.

    A call on another thread while a top-level fit runs counts as inside it:
    scikit-learn fits the trees of a forest, and joblib's threading backend
    the candidates of a search, on worker threads.
    """
    return _depth() > 0 or _running[0] > 0 or not _config.enabled


@contextmanager
def _inside():
    """Mark the code in the block as inside a fit (or inside modeldb): no runs, no metrics."""
    _tls.depth = _depth() + 1
    try:
        yield
    finally:
        _tls.depth -= 1


@contextmanager
def _running_fit():
    """A top-level fit (or cross-validation) runs in the block: on every thread, record nothing."""
    with _running_lock:
        _running[0] += 1
    try:
        with _inside():
            yield
    finally:
        with _running_lock:
            _running[0] -= 1


def _failed(what, e):
    warn("%s: %s: %s (training goes on; this is not recorded)" % (what, type(e).__name__, e), stacklevel=4)


def _signature(fn):
    key = id(fn)
    sig = _signatures.get(key)
    if sig is None:
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            sig = False
        _signatures[key] = sig
    return sig or None


def _bind(fn, args, kwargs):
    """The arguments of a call, by parameter name, and the parameter names in order."""
    sig = _signature(fn)
    if sig is None:
        return {}, []
    try:
        bound = sig.bind_partial(*args, **kwargs)
    except TypeError:
        return {}, list(sig.parameters)
    return bound.arguments, list(sig.parameters)


def _xy(method, self, args, kwargs):
    """X and y of a call of a fit/score/predict method."""
    arguments, names = _bind(method, (self,) + tuple(args), kwargs)
    names = [n for n in names[1:] if n not in ("args", "kwargs")]
    if not names:
        return None, None
    first = names[0]
    X = arguments.get(first)
    if first in ("y", "Y"):
        return X, None  # fit(y), e.g. LabelEncoder
    y = arguments.get("y", arguments.get("Y"))
    return X, y


# -- the tracker: what a run needs to name the data of later metrics ---------------------

#: Recent predictions of estimators that are not a run's model, so that their
#: metrics are not taken for the model's (a baseline, or an older model).
_other_predictions = collections.deque(maxlen=16)


def _origins(y_pred):
    """y_pred and the arrays it is a view of (proba[:, 1] is a view of proba)."""
    cands = [y_pred]
    o = y_pred
    for _ in range(4):
        o = getattr(o, "base", None)
        if o is None:
            break
        cands.append(o)
    values = getattr(y_pred, "values", None)  # a Series wrapping a prediction
    if values is not None and not callable(values):
        cands.append(values)
        if getattr(values, "base", None) is not None:
            cands.append(values.base)
    return cands


def _made_by_another_model(y_pred):
    cands = _origins(y_pred)
    return any(c is r for r in list(_other_predictions) for c in cands)


class _Split:
    __slots__ = ("name", "x", "y")

    def __init__(self, name, x, y):
        self.name, self.x, self.y = name, x, y


class _Tracker:
    """Attached to a run that recorded a fit: the model, its data splits, recent predictions."""

    def __init__(self, model, x_fp, y_fp):
        self.model = model
        self.splits = [_Split("train", x_fp and x_fp["sha256"], y_fp and y_fp["sha256"])]
        self.predictions = collections.deque(maxlen=16)  # (result, X) of the model's predict calls
        self._fps = collections.OrderedDict()  # id(obj) -> (obj, fingerprint)

    def fp(self, obj, name):
        key = (id(obj), name)
        hit = self._fps.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        f = fingerprint(obj, name=name)
        self._fps[key] = (obj, f)
        while len(self._fps) > 32:
            self._fps.popitem(last=False)
        return f

    def linked_x(self, y_pred):
        """The X whose prediction y_pred is (or is a view of), if the model made it."""
        cands = _origins(y_pred)
        for result, X in reversed(self.predictions):
            for c in cands:
                if c is result:
                    return X
        return None

    def split_for(self, run, X=None, y=None):
        """The split name of data X (or, without X, of targets y), adding its datasets to run when new."""
        xfp = self.fp(X, "x") if X is not None else None
        yfp = self.fp(y, "y") if y is not None else None
        xs = xfp["sha256"] if xfp else None
        ys = yfp["sha256"] if yfp else None
        for s in self.splits:
            if (xs is not None and s.x == xs) or (xs is None and ys is not None and s.y == ys):
                if ys is not None and s.y is None:
                    s.y = ys
                    run._add_dataset(dict(role=s.name + "_target", **yfp))
                return s.name
        name = _split_names.get(xs) or _split_names.get(ys)
        if name is None:
            used = {s.name for s in self.splits}
            name, n = "test", 1
            while name in used:
                n += 1
                name = "test_%d" % n
        self.splits.append(_Split(name, xs, ys))
        if xfp:
            run._add_dataset(dict(role=name, **xfp))
        if yfp:
            run._add_dataset(dict(role=name + "_target", **yfp))
        return name


def _tracking_runs():
    runs = []
    for r in reversed(_run.open_runs()):
        runs.append(r)
    p = _run.pending_run()
    if p is not None:
        runs.append(p)
    return runs


def _run_for_model(est):
    """The open run whose last fitted model is est."""
    for r in _tracking_runs():
        t = r._autolog
        if t is not None and t.model is est:
            return r
    return None


def _current_tracking_run():
    """The run metric calls go to: the innermost open run that fitted a model, else this thread's pending run."""
    for r in _tracking_runs():
        if r._autolog is not None and r._autolog.model is not None:
            return r
    return None


@contextmanager
def paused():
    """`with modeldb.paused():` autolog records nothing inside the block (no runs, no metrics)."""
    with _inside():
        yield


def set_split(X, name, y=None):
    """Name the split of data X (and targets y) for metrics computed on it after a fit.

    By default data that is not the training data is named test, test_2, …
    in the order it is first used. Call set_split(X_val, "validation")
    before computing metrics on X_val to name it yourself.
    """
    if not isinstance(name, str) or not name:
        warn("set_split: the split name must be a non-empty string, got %r" % (name,))
        return
    for data, label in ((X, "x"), (y, "y")):
        if data is None:
            continue
        try:
            _split_names[fingerprint(data, name=label)["sha256"]] = name
        except Exception as e:
            _failed("set_split", e)


# -- describing a fitted model as stages ------------------------------------------------

def _is_estimator(v):
    return hasattr(v, "get_params") and hasattr(v, "fit") and not isinstance(v, type)


def _is_named_list(v):
    """steps, transformers, transformer_list, estimators: [(name, estimator, ...), ...]."""
    if not isinstance(v, (list, tuple)) or not v:
        return False
    for item in v:
        if not isinstance(item, (list, tuple)) or len(item) < 2 or not isinstance(item[0], str):
            return False
        est = item[1]
        if not (_is_estimator(est) or est is None or (isinstance(est, str) and est in ("drop", "passthrough"))):
            return False
    return True


def _own_params(est):
    """The estimator's own params (get_params(deep=False)), typed, without nested estimators."""
    try:
        p = est.get_params(deep=False)
    except Exception:
        return {}, []
    params, nested = {}, []
    for k in sorted(p):
        v = p[k]
        if _is_estimator(v) or _is_named_list(v):
            nested.append(k)
        else:
            params[k] = json_value(v)
    return params, nested


def _same(a, b):
    if a is b:
        return True
    try:
        if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
            return True
        return repr(a) == repr(b)
    except Exception:
        return False


def _non_default(est):
    """Names of the params that differ from the class's default (as scikit-learn's repr decides)."""
    sig = _signature(type(est).__init__)
    if sig is None:
        return []
    try:
        current = est.get_params(deep=False)
    except Exception:
        return []
    out = []
    for name, p in sig.parameters.items():
        if name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is p.empty:
            continue
        if name in current and not _same(current[name], p.default):
            out.append(name)
    return sorted(out)


def _class(module, name):
    m = sys.modules.get(module)
    return getattr(m, name, None) if m is not None else None


def _isinstance(obj, module, name):
    cls = _class(module, name)
    return cls is not None and isinstance(obj, cls)


def _is_search(est):
    cls = _class("sklearn.model_selection._search", "BaseSearchCV")
    if cls is not None:
        return isinstance(est, cls)
    return hasattr(est, "param_grid") or hasattr(est, "param_distributions")


def _column_names(X):
    """Input column names of X: a DataFrame's names, x0, x1, … for 2-D arrays, else None."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
    else:
        shape = getattr(X, "shape", None)
        if shape is None or len(shape) != 2:
            return None
        names = ["x%d" % j for j in range(shape[1])]
    return names if len(names) <= MAX_COLUMNS else None


def _feature_names_out(est, inputs):
    if not hasattr(est, "get_feature_names_out"):
        return None
    names = None
    if inputs and not hasattr(est, "feature_names_in_") and getattr(est, "n_features_in_", None) == len(inputs):
        try:
            names = est.get_feature_names_out(inputs)
        except Exception:
            names = None
    if names is None:
        try:
            names = est.get_feature_names_out()
        except Exception:
            return None
    names = [str(n) for n in names]
    return names if len(names) <= MAX_COLUMNS else None


def _head(X, n):
    """The first n rows of X, in X's own type."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(X, (pd.DataFrame, pd.Series)):
        return X.iloc[:n]
    try:
        return X[:n]
    except Exception:
        return None


def _sample(out, names, n):
    """A stage sample ({"columns", "rows"}) of the first n rows of a transform's output."""
    pd = sys.modules.get("pandas")
    np = sys.modules.get("numpy")
    sp = sys.modules.get("scipy.sparse")
    if sp is not None and sp.issparse(out):
        out = out[:n].toarray()
    if pd is not None and isinstance(out, pd.DataFrame):
        columns = [str(c) for c in out.columns]
        rows = out.iloc[:n].to_numpy(dtype=object).tolist()
    else:
        arr = np.asarray(out) if np is not None else out
        if getattr(arr, "ndim", 2) == 1:
            arr = arr.reshape(-1, 1)
        if getattr(arr, "ndim", 2) != 2:
            return None
        rows = arr[:n].tolist()
        width = arr.shape[1]
        columns = names if names and len(names) == width else ["x%d" % j for j in range(width)]
    if len(columns) > MAX_COLUMNS:
        return None
    return {"columns": list(columns), "rows": [[sample_value(v) for v in row] for row in rows]}


def _resolve_columns(cols, names, n):
    """Names of the columns a ColumnTransformer entry selects."""
    np = sys.modules.get("numpy")
    if names is None:
        names = ["x%d" % j for j in range(n)] if n is not None else None
    if callable(cols):
        return None
    if isinstance(cols, str):
        return [cols]
    if isinstance(cols, (int,)) or (np is not None and isinstance(cols, np.integer)):
        return [names[int(cols)]] if names else ["x%d" % int(cols)]
    if isinstance(cols, slice):
        if names is None:
            return None
        if isinstance(cols.start, str) or isinstance(cols.stop, str):  # label slice, end inclusive
            start = names.index(cols.start) if cols.start is not None else 0
            stop = names.index(cols.stop) + 1 if cols.stop is not None else len(names)
            return names[start:stop:cols.step]
        return names[cols]
    try:
        items = list(cols)
    except TypeError:
        return None
    if not items:
        return []
    if all(isinstance(c, (bool,)) or (np is not None and isinstance(c, np.bool_)) for c in items):
        if names is None or len(items) != len(names):
            return None
        return [nm for nm, keep in zip(names, items) if keep]
    out = []
    for c in items:
        if isinstance(c, str):
            out.append(c)
        elif names is not None:
            out.append(names[int(c)])
        else:
            out.append("x%d" % int(c))
    return out


class _Describer:
    """Builds the run's stages from a fitted estimator."""

    def __init__(self, sample_rows):
        self.sample_rows = sample_rows
        self.nondefault = {}  # stage path (tuple of names) -> [param names]

    def top(self, est, X):
        """The run's pipeline for est, fitted on X: a Pipeline's steps, else one stage."""
        inputs = _column_names(X)
        xs = _head(X, self.sample_rows) if self.sample_rows and X is not None else None
        if _isinstance(est, "sklearn.pipeline", "Pipeline"):
            stages, _, _ = self.steps(est.steps, (), inputs, xs)
            return stages
        name = type(est).__name__.lower()
        st, _, _ = self.stage(est, name, (name,), inputs, xs)
        return [st]

    def _mark(self, est, path):
        try:
            nd = _non_default(est)
        except Exception:
            nd = []
        if nd:
            self.nondefault[path] = nd

    def steps(self, steps, path, inputs, xs):
        stages = []
        for step in steps:
            name, est = step[0], step[1]
            st, outputs, out_xs = self.stage(est, name, path + (name,), inputs, xs)
            stages.append(st)
            inputs, xs = outputs, out_xs
        return stages, inputs, xs

    def stage(self, est, name, path, inputs, xs):
        """(stage, output column names or None, sample output or None) of est."""
        if est is None or isinstance(est, str):
            op = "passthrough" if est in (None, "passthrough") else est
            st = {"name": name, "op": op}
            if inputs:
                st["inputs"] = list(inputs)
            if op == "passthrough":
                if inputs:
                    st["outputs"] = list(inputs)
                return st, inputs, xs
            return st, None, None
        st = {"name": name, "op": class_path(type(est))}
        params, nested = _own_params(est)
        if params:
            st["params"] = params
        self._mark(est, path)
        if inputs:
            st["inputs"] = list(inputs)
        outputs, out_xs, done = None, None, False
        if _isinstance(est, "sklearn.pipeline", "Pipeline"):
            subs, outputs, out_xs = self.steps(est.steps, path, inputs, xs)
            st["stages"] = subs
            done = True
        elif _isinstance(est, "sklearn.compose", "ColumnTransformer"):
            st["stages"] = self.column_transformer(est, path, inputs, xs)
        elif _isinstance(est, "sklearn.pipeline", "FeatureUnion"):
            st["stages"] = [self.stage(t, n, path + (n,), inputs, xs)[0] for n, t in est.transformer_list]
        elif _is_search(est):
            inner = getattr(est, "best_estimator_", None)
            if inner is None:
                inner = est.estimator
            st["stages"] = [self.stage(inner, "estimator", path + ("estimator",), inputs, xs)[0]]
        else:
            subs = []
            try:
                p = est.get_params(deep=False)
            except Exception:
                p = {}
            for k in nested:
                v = p[k]
                if _is_estimator(v):
                    subs.append(self.stage(v, k, path + (k,), inputs, None)[0])
                else:
                    for item in v:
                        subs.append(self.stage(item[1], item[0], path + (item[0],), inputs, None)[0])
            if subs:
                st["stages"] = subs
        if not done:
            outputs = _feature_names_out(est, inputs)
            if xs is not None and hasattr(est, "transform"):
                try:
                    out_xs = est.transform(xs)
                except Exception:
                    out_xs = None
        if outputs:
            st["outputs"] = outputs
        if out_xs is not None and self.sample_rows:
            try:
                sample = _sample(out_xs, outputs, self.sample_rows)
            except Exception:
                sample = None
            if sample is not None:
                st["sample"] = sample
        return st, outputs, out_xs

    def column_transformer(self, ct, path, inputs, xs):
        fitted = getattr(ct, "transformers_", None)
        entries = fitted if fitted is not None else ct.transformers
        names = getattr(ct, "feature_names_in_", None)
        names = [str(c) for c in names] if names is not None else inputs
        n = getattr(ct, "n_features_in_", None)
        stages = []
        for entry in entries:
            name, trans, cols = entry[0], entry[1], entry[2]
            dropped = isinstance(trans, str) and trans == "drop"
            if fitted is not None and name == "remainder" and dropped:
                continue
            try:
                selected = _resolve_columns(cols, names, n)
            except Exception:
                selected = None
            sub_xs = None
            if xs is not None and not dropped:
                try:
                    from sklearn.utils import _safe_indexing
                    sub_xs = _safe_indexing(xs, cols, axis=1)
                except Exception:
                    sub_xs = None
            stages.append(self.stage(trans, name, path + (name,), selected, sub_xs)[0])
        return stages


def _search_info(est):
    """Run params and metrics of a fitted search: best params, best score, every candidate."""
    params, metrics = {}, []
    best = getattr(est, "best_params_", None)
    if isinstance(best, dict):
        for k in sorted(best):
            params["best_params." + k] = json_value(best[k])
    bi = getattr(est, "best_index_", None)
    if isinstance(bi, int) or finite_number(bi) is not None:
        try:
            params["best_index"] = int(bi)
        except Exception:
            pass
    bs = finite_number(getattr(est, "best_score_", None))
    if bs is not None:
        metrics.append(("best_score", bs, None, "cv"))
    res = getattr(est, "cv_results_", None)
    if isinstance(res, dict) and "params" in res:
        params["candidates"] = [json_value(p) for p in res["params"]]
        for key in sorted(res):
            if not key.startswith(("mean_test_", "std_test_", "mean_train_", "std_train_")):
                continue
            for i, v in enumerate(res[key]):
                fv = finite_number(v)
                if fv is not None:
                    metrics.append((key, fv, "candidate=%d" % i, "cv"))
    return params, metrics


def _message(est):
    name = type(est).__name__
    if _isinstance(est, "sklearn.pipeline", "Pipeline"):
        return "autolog: Pipeline(%s)" % ", ".join(str(s[0]) for s in est.steps)
    if _is_search(est):
        inner = getattr(est, "best_estimator_", None)
        if inner is None:
            inner = getattr(est, "estimator", None)
        if inner is not None:
            return "autolog: %s(%s)" % (name, _message(inner)[len("autolog: "):])
    return "autolog: " + name


# -- the wrappers ------------------------------------------------------------------

def _begin_fit(est, method, args, kwargs):
    explicit = None
    for r in reversed(_run.open_runs()):
        explicit = r
        break
    if explicit is None:
        _run.flush_thread()  # the previous model's run: its metrics are done
    X, y = _xy(method, est, args, kwargs)
    ctx = {"est": est, "X": X, "y": y, "run": explicit, "x_fp": None, "y_fp": None}
    for key, data, label in (("x_fp", X, "x"), ("y_fp", y, "y")):
        if data is None:
            continue
        try:
            ctx[key] = fingerprint(data, name=label)
        except Exception as e:
            _failed("cannot fingerprint the %s data of %s" % ("training" if label == "x" else "target",
                                                            type(est).__name__), e)
    ctx["started"] = utc_now()
    return ctx


def _finish_fit(ctx):
    est, X, y = ctx["est"], ctx["X"], ctx["y"]
    finished = utc_now()
    d = _Describer(_config.sample_rows)
    stages = d.top(est, X)
    params, metrics = {}, []
    if _is_search(est):
        params, metrics = _search_info(est)
    if _config.training_score and y is not None and hasattr(est, "score"):
        try:
            rows = X.shape[0] if hasattr(X, "shape") else len(X)
        except Exception:
            rows = None
        if rows is not None and rows <= TRAINING_SCORE_MAX_ROWS:
            try:
                v = finite_number(est.score(X, y))
            except Exception:
                v = None
            if v is not None:
                metrics.insert(0, ("training_score", v, None, "train"))

    run = ctx["run"]
    if run is not None and run._ended:
        run = None
    new = run is None
    if new:
        run = _run.Run(message=_message(est), tags=_config.tags, repo=_config.repo, autolog=True)
        run.started, run.finished = ctx["started"], finished
    # stages: names unique at the top level of the run
    used = {s["name"] for s in run.pipeline}
    renames = {}
    for st in stages:
        base, name, n = st["name"], st["name"], 1
        while name in used:
            n += 1
            name = "%s_%d" % (base, n)
        used.add(name)
        renames[base] = name
        st["name"] = name
    artifact = None
    if _config.log_models:
        try:
            path = _run.save_model(est, run.tmpdir(), stem=_unique_stem(run, "model"))
            artifact = run.log_artifact(path, name=os.path.basename(path))
        except Exception as e:
            _failed("cannot save the fitted %s as an artifact" % type(est).__name__, e)
    if artifact and len(stages) == 1 and not _isinstance(est, "sklearn.pipeline", "Pipeline"):
        stages[0]["artifact"] = artifact
    with run._lock:
        run.pipeline.extend(stages)
    for path, names in d.nondefault.items():
        path = (renames.get(path[0], path[0]),) + tuple(path[1:])
        run.set_tag("nondefault." + ".".join(path), ",".join(names))
    run.set_tag("autolog", "sklearn")
    run.set_tag("estimator", class_path(type(est)))
    for k, v in params.items():
        with run._lock:
            run.params[k] = v
    if ctx["x_fp"]:
        run._add_dataset(dict(role="train", **ctx["x_fp"]))
    if ctx["y_fp"]:
        run._add_dataset(dict(role="train_target", **ctx["y_fp"]))
    for name, value, slice_, split in metrics:
        run._add_metric(name, value, slice=slice_, split=split)
    run._autolog = _Tracker(est, ctx["x_fp"], ctx["y_fp"])
    if new:
        _run.set_pending(run)


def _unique_stem(run, stem):
    names = {a["name"].rsplit(".", 1)[0] for a in run._artifacts}
    out, n = stem, 1
    while out in names:
        n += 1
        out = "%s_%d" % (stem, n)
    return out


def _wrap_fit(original):
    @functools.wraps(original)
    def fit(self, *args, **kwargs):
        if _quiet():
            with _inside():
                return original(self, *args, **kwargs)
        ctx = None
        try:
            with _inside():
                ctx = _begin_fit(self, original, args, kwargs)
        except Exception as e:
            _failed("cannot start recording the fit of %s" % type(self).__name__, e)
        with _running_fit():
            result = original(self, *args, **kwargs)  # the training code's errors propagate as they are
        if ctx is not None:
            try:
                with _inside():
                    _finish_fit(ctx)
            except Exception as e:
                _failed("cannot record the fit of %s" % type(self).__name__, e)
        return result

    fit.__modeldb_original__ = original
    return fit


def _wrap_score(original):
    @functools.wraps(original)
    def score(self, *args, **kwargs):
        if _quiet():
            with _inside():
                return original(self, *args, **kwargs)
        run = _run_for_model(self)
        with _inside():
            value = original(self, *args, **kwargs)
        if run is not None:
            try:
                with _inside():
                    X, y = _xy(original, self, args, kwargs)
                    split = run._autolog.split_for(run, X=X, y=y)
                    v = finite_number(value)
                    if v is not None:
                        run._add_metric("score", v, split=split)
            except Exception as e:
                _failed("cannot record the score of %s" % type(self).__name__, e)
        return value

    score.__modeldb_original__ = original
    return score


def _wrap_predict(original):
    @functools.wraps(original)
    def predict(self, *args, **kwargs):
        if _quiet():
            with _inside():
                return original(self, *args, **kwargs)
        run = _run_for_model(self)
        with _inside():
            result = original(self, *args, **kwargs)
        try:
            if run is not None and run._autolog is not None:
                X, _ = _xy(original, self, args, kwargs)
                run._autolog.predictions.append((result, X))
            else:
                _other_predictions.append(result)
        except Exception as e:
            _failed("cannot follow the predictions of %s" % type(self).__name__, e)
        return result

    predict.__modeldb_original__ = original
    return predict


_WRAPPERS = {}
for _m in FIT_METHODS:
    _WRAPPERS[_m] = _wrap_fit
for _m in SCORE_METHODS:
    _WRAPPERS[_m] = _wrap_score
for _m in PREDICT_METHODS:
    _WRAPPERS[_m] = _wrap_predict


def _metric_name(fname, original, args, kwargs):
    base = METRIC_FUNCTIONS[fname]
    arguments, names = _bind(original, args, kwargs)
    sig = _signature(original)
    suffix = []
    if fname == "mean_squared_error" and arguments.get("squared", True) is False:
        base = "root_mean_squared_error"
    for k in names[2:]:
        if k not in arguments or k in ("sample_weight", "labels", "squared"):
            continue
        v = arguments[k]
        default = sig.parameters[k].default if sig is not None else None
        if not isinstance(v, (str, bool, int, float)) and v is not None:
            continue
        if _same(v, default):
            continue
        if k in _VARIANT_OPTIONS and isinstance(v, str):
            suffix.append(v)
        else:
            suffix.append("%s_%s" % (k, v))
    return "_".join([base] + suffix)


def _metric_handler(fname):
    def handler(original, args, kwargs):
        if _quiet():
            with _inside():
                return original(*args, **kwargs)
        run = _current_tracking_run()
        with _inside():
            value = original(*args, **kwargs)
        if run is not None:
            try:
                with _inside():
                    _record_metric_call(run, fname, original, args, kwargs, value)
            except Exception as e:
                _failed("cannot record %s" % fname, e)
        return value

    return handler


def _record_metric_call(run, fname, original, args, kwargs, value):
    tracker = run._autolog
    if tracker is None:
        return
    arguments, names = _bind(original, args, kwargs)
    if len(names) < 2:
        return
    y_true, y_pred = arguments.get(names[0]), arguments.get(names[1])
    X = tracker.linked_x(y_pred) if y_pred is not None else None
    if X is None and y_pred is not None and _made_by_another_model(y_pred):
        return  # the predictions of another estimator: not this run's metric
    split = tracker.split_for(run, X=X, y=y_true)
    name = _metric_name(fname, original, args, kwargs)
    v = finite_number(value)
    if v is not None:
        run._add_metric(name, v, split=split)
        return
    np = sys.modules.get("numpy")
    if np is not None:
        arr = np.asarray(value)
        if arr.ndim == 1 and 0 < arr.size <= 1000:
            label = "output" if fname in _REGRESSION_METRICS else "class"
            for i, x in enumerate(arr.tolist()):
                fx = finite_number(x)
                if fx is not None:
                    run._add_metric(name, fx, slice="%s=%d" % (label, i), split=split)


def _quiet_handler(original, args, kwargs):
    with _running_fit():
        return original(*args, **kwargs)


# -- patching --------------------------------------------------------------------

def _estimator_classes():
    from sklearn.base import BaseEstimator
    from sklearn.utils import all_estimators
    classes = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            classes.update(c for _, c in all_estimators())  # imports every scikit-learn module
        except Exception:
            pass
    visited = set()
    todo = [BaseEstimator]  # and every subclass defined so far, including the user's
    while todo:
        c = todo.pop()
        if c in visited:
            continue
        visited.add(c)
        try:
            todo.extend(c.__subclasses__())
        except TypeError:
            pass
    return classes | visited


def _patch_attr(owner, attr):
    key = (id(owner), attr)
    if key in _patched_keys:
        return
    obj = owner.__dict__.get(attr)
    wrap = _WRAPPERS[attr]
    if isinstance(obj, types.FunctionType):
        if getattr(obj, "__modeldb_original__", None) is not None:
            return
        setattr(owner, attr, wrap(obj))
        _patched.append((owner, attr, obj, "attr"))
        _patched_keys.add(key)
        return
    fn = getattr(obj, "fn", None)  # sklearn's available_if descriptor keeps the method in .fn
    if isinstance(fn, types.FunctionType) and getattr(fn, "__modeldb_original__", None) is None:
        try:
            obj.fn = wrap(fn)
        except Exception:
            return
        _patched.append((obj, "fn", fn, "fn"))
        _patched_keys.add(key)


def _patch():
    with _patch_lock:
        for cls in _estimator_classes():
            for klass in getattr(cls, "__mro__", ()):
                if klass is object:
                    continue
                for attr in _WRAPPERS:
                    if attr in klass.__dict__:
                        _patch_attr(klass, attr)
        import importlib
        metrics = importlib.import_module("sklearn.metrics")
        for fname in METRIC_FUNCTIONS:
            f = getattr(metrics, fname, None)
            if isinstance(f, types.FunctionType):
                _hook.install(f, _metric_handler(fname))
        for module, names in QUIET_FUNCTIONS:
            try:
                m = importlib.import_module(module)
            except Exception:
                continue
            for n in names:
                f = getattr(m, n, None)
                if isinstance(f, types.FunctionType):
                    _hook.install(f, _quiet_handler)


def _unpatch():
    with _patch_lock:
        while _patched:
            owner, attr, original, how = _patched.pop()
            try:
                setattr(owner, attr, original)
            except Exception:
                pass
        _patched_keys.clear()
        _hook.uninstall_all()


def autolog(disable=False, sample_rows=0, log_models=True, training_score=True, tags=None, repo=None):
    """Record every top-level scikit-learn fit as a modeldb run.

    Call it once, then train as usual. Options:

    - sample_rows: record the first N rows of the data as they leave each
      transform stage (stage "sample"); 0 (default) records none.
    - log_models: store the fitted model (joblib) as the run's artifact.
    - training_score: record estimator.score(X, y) on the training data
      (training_score, split train) for up to 100,000 rows.
    - tags: tags added to every autologged run.
    - repo: the directory holding .modeldb (default: found from the
      current directory, like the modeldb command).
    - disable=True: commit the pending run and remove every patch.

    Raises BinaryNotFoundError/BinaryVersionError when no usable modeldb
    binary is found, and ModelDBError when scikit-learn is not installed.
    """
    if disable:
        try:
            _run.flush()
        finally:
            _config.enabled = False
            _unpatch()
        return
    _binary.check_binary()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise ModelDBError("modeldb.autolog() records scikit-learn models, "
                           "but scikit-learn is not installed") from None
    if sample_rows is None or isinstance(sample_rows, bool) or int(sample_rows) < 0:
        raise ValueError("sample_rows must be a non-negative integer, got %r" % (sample_rows,))
    _config.sample_rows = int(sample_rows)
    _config.log_models = bool(log_models)
    _config.training_score = bool(training_score)
    _config.tags = dict(tags or {})
    _config.repo = repo
    _patch()
    _config.enabled = True
    _run.register_atexit()
    _run.warn_if_no_repo(repo)
