"""Turning Python values into what a run file can carry (typed JSON)."""
import datetime
import math
import sys

#: Lists and arrays longer than this are summarised instead of written out.
MAX_LIST = 1000


def utc_now():
    """The current time as an RFC 3339 UTC string with microseconds."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _public_module(cls):
    """The shortest-to-read public module that exports cls under its name.

    sklearn.linear_model._logistic.LogisticRegression is exported by
    sklearn.linear_model, so that is the module returned. Falls back to the
    module path with its private parts removed, then to the module itself.
    """
    module = getattr(cls, "__module__", None) or ""
    name = getattr(cls, "__name__", None) or ""
    parts = module.split(".")
    best = None
    for i in range(len(parts), 0, -1):
        prefix = parts[:i]
        if any(p.startswith("_") for p in prefix):
            continue
        mod = sys.modules.get(".".join(prefix))
        if mod is not None and getattr(mod, name, None) is cls:
            best = ".".join(prefix)
            break
    if best is None:
        public = [p for p in parts if not p.startswith("_")]
        best = ".".join(public) if public else module
    return best


def class_path(cls):
    """The full public name of a class, e.g. sklearn.linear_model.LogisticRegression."""
    if not isinstance(cls, type):
        cls = type(cls)
    name = getattr(cls, "__qualname__", None) or cls.__name__
    module = _public_module(cls)
    if module in ("", "builtins"):
        return name
    return module + "." + name


def callable_name(fn):
    """module.qualname of a function, builtin or numpy ufunc."""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
    module = getattr(fn, "__module__", None)
    if module is None and type(fn).__name__ == "ufunc":
        module = "numpy"
    if module and module != "builtins":
        if module.startswith("_") or "._" in module:
            public = ".".join(p for p in module.split(".") if not p.startswith("_"))
            mod = sys.modules.get(public)
            if public and mod is not None and getattr(mod, getattr(fn, "__name__", ""), None) is fn:
                module = public
        return module + "." + name
    return name


def _float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _is_estimator(v):
    return hasattr(v, "get_params") and hasattr(v, "fit") and not isinstance(v, type)


def json_value(v, _depth=0):
    """A JSON-compatible copy of v that keeps its type where JSON can.

    None, booleans, integers, floats and strings stay as they are (numpy
    scalars become the Python ones); lists, tuples and sets become lists;
    dicts become tables with string keys; small numpy arrays become lists.
    NaN and infinities, which a run cannot carry, become the strings "nan",
    "inf" and "-inf". Classes become their full name
    (sklearn.preprocessing.StandardScaler), functions module.name, frozen
    scipy distributions "scipy.stats.uniform(0, 1)", and any other object its
    class's full name.
    """
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return _float(float(v))
    if _depth > 20:
        return class_path(v)
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.generic):
            if isinstance(v, np.bool_):
                return bool(v)
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, np.floating):
                return _float(float(v))
            if isinstance(v, (np.str_, np.bytes_)):
                return str(v)
            try:
                return json_value(v.item(), _depth + 1)
            except Exception:
                return str(v)
        if isinstance(v, np.ndarray):
            if v.size > MAX_LIST:
                return "numpy.ndarray(shape=%s, dtype=%s)" % (list(v.shape), v.dtype)
            return json_value(v.tolist(), _depth + 1)
        if isinstance(v, np.dtype):
            return str(v)
    if isinstance(v, (list, tuple)):
        if len(v) > MAX_LIST:
            return "%s of %d items" % (type(v).__name__, len(v))
        return [json_value(x, _depth + 1) for x in v]
    if isinstance(v, (set, frozenset)):
        items = [json_value(x, _depth + 1) for x in v]
        return sorted(items, key=lambda x: (type(x).__name__, repr(x)))
    if isinstance(v, dict):
        return {str(k): json_value(x, _depth + 1) for k, x in v.items()}
    if isinstance(v, type):
        return class_path(v)
    if _is_estimator(v):
        return class_path(type(v))
    dist = getattr(v, "dist", None)
    if dist is not None and hasattr(v, "args") and hasattr(v, "kwds") and hasattr(dist, "name"):
        # a frozen scipy.stats distribution, e.g. in RandomizedSearchCV's param_distributions
        args = [repr(json_value(a, _depth + 1)) for a in v.args]
        args += ["%s=%r" % (k, json_value(x, _depth + 1)) for k, x in sorted(v.kwds.items())]
        return "scipy.stats.%s(%s)" % (dist.name, ", ".join(args))
    if callable(v) and (hasattr(v, "__qualname__") or type(v).__name__ == "ufunc"):
        return callable_name(v)
    return class_path(type(v))


def finite_number(v):
    """v as an int or float when it is a finite real number, else None."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.ndarray) and v.shape == ():
            v = v.item()
        if isinstance(v, np.bool_):
            return int(bool(v))
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            v = float(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(v, (str, bytes)):
        return None
    return f if math.isfinite(f) else None


def sample_value(v):
    """A value of a sample row: JSON scalars stay, NaN becomes null, others their text."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.generic):
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            f = float(v)
            return f if math.isfinite(f) else None
    pd = sys.modules.get("pandas")
    if pd is not None:
        try:
            if pd.isna(v) is True:  # pd.NA, pd.NaT
                return None
        except Exception:
            pass
    return str(v)
