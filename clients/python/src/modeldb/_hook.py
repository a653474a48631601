"""Redirecting calls of plain functions, however they were imported.

`from sklearn.metrics import accuracy_score` at the top of a script binds the
function object before `modeldb.autolog()` runs, so replacing the module
attribute would miss it. Instead the function's code is swapped for a small
trampoline that calls handler(original, args, kwargs), where original is a
copy of the function with its old code. Removing the hook puts the old code
back. The function object, its name, signature and closure stay the same.
"""
import inspect
import threading
import types

_GLOBAL = "__modeldb_hooks__"
_lock = threading.Lock()
_installed = {}  # id(func) -> (func, key)


def _trampoline_code(nfree, key):
    # The trampoline must have as many free variables as the function has
    # closure cells (a decorated function's wrapper has some); it never reads them.
    fv = ["_modeldb_fv%d" % i for i in range(nfree)]
    lines = ["def _outer():"]
    lines += ["    %s = None" % n for n in fv]
    lines.append("    def _modeldb_trampoline(*args, **kwargs):")
    if fv:
        lines.append("        if kwargs is None: (%s,)" % ", ".join(fv))
    lines.append("        handler, original = %s[%r]" % (_GLOBAL, key))
    lines.append("        return handler(original, args, kwargs)")
    lines.append("    return _modeldb_trampoline")
    ns = {}
    exec("\n".join(lines), ns)  # noqa: S102 -- fixed source built above
    return ns["_outer"]().__code__


def install(func, handler):
    """Route every call of func to handler(original, args, kwargs). Returns original."""
    if not isinstance(func, types.FunctionType):
        raise TypeError("can only hook plain functions, not %r" % (func,))
    with _lock:
        if id(func) in _installed:
            _, key = _installed[id(func)]
            _, original = func.__globals__[_GLOBAL][key]
            func.__globals__[_GLOBAL][key] = (handler, original)
            return original
        original = types.FunctionType(func.__code__, func.__globals__, func.__name__,
                                      func.__defaults__, func.__closure__)
        original.__kwdefaults__ = dict(func.__kwdefaults__) if func.__kwdefaults__ else None
        original.__qualname__ = func.__qualname__
        original.__module__ = func.__module__
        original.__doc__ = func.__doc__
        original.__dict__.update({k: v for k, v in func.__dict__.items() if k != "__signature__"})
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            signature = None
        key = "%s.%s#%d" % (func.__module__, func.__qualname__, id(func))
        func.__globals__.setdefault(_GLOBAL, {})[key] = (handler, original)
        had_signature = "__signature__" in func.__dict__
        func.__modeldb_hook__ = (func.__code__, had_signature)
        if signature is not None and not had_signature:
            func.__signature__ = signature
        func.__code__ = _trampoline_code(len(func.__code__.co_freevars), key)
        _installed[id(func)] = (func, key)
        return original


def uninstall(func):
    """Give func its own code back."""
    with _lock:
        entry = _installed.pop(id(func), None)
        if entry is None:
            return
        _, key = entry
        code, had_signature = func.__modeldb_hook__
        func.__code__ = code
        del func.__modeldb_hook__
        if not had_signature:
            func.__dict__.pop("__signature__", None)
        hooks = func.__globals__.get(_GLOBAL)
        if hooks is not None:
            hooks.pop(key, None)
            if not hooks:
                del func.__globals__[_GLOBAL]


def uninstall_all():
    with _lock:
        funcs = [f for f, _ in _installed.values()]
    for f in funcs:
        uninstall(f)
