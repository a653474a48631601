"""Fingerprints of data held in memory: what a dataset given by sha256 records.

A fingerprint is {"sha256", "size", "rows", "columns"}. It is computed column
by column from the values, normalised so that the same values give the same
digest whatever container holds them (a DataFrame of float64 columns and the
float64 array of its values agree):

- the digest starts with b"modeldb-data-fingerprint-v1\\n" and b"<rows> <columns>\\n";
- then, for each column in order, a kind line (b"int\\n", b"float\\n",
  b"bool\\n", b"datetime\\n", b"timedelta\\n", b"complex\\n" or b"string\\n")
  followed by the column's values: integers as little-endian int64, floats as
  little-endian float64 (every NaN the same NaN), booleans as one byte,
  datetimes and timedeltas as int64 nanoseconds, complex numbers as two
  float64 (a column of Python objects that are all integers, floats or
  booleans counts as that kind; numbers with missing values as float);
  anything else (strings, categories, mixed objects) value by value, a
  missing value (None, NaN, pd.NA, NaT) as b"\\x00" and any other value as
  b"\\x01<length>:" and its text in UTF-8;
- a sparse matrix is hashed as its CSR form (b"sparse <rows> <columns>\\n",
  then data as float64, indices and indptr as int64).

Column names are not part of the digest; they are recorded in `columns`,
with a type each: int, float, bool, string, category, datetime, timedelta,
complex, empty (no values) or mixed. `size` is the number of value bytes
hashed (the normalised data, without the kind lines). `rows` is the length of
the first axis.
"""
import hashlib
import math
import struct
import sys

HEADER = b"modeldb-data-fingerprint-v1\n"
#: Wider data keeps its digest and rows but does not list its columns.
MAX_COLUMNS = 10000


class _Hasher:
    def __init__(self):
        self.h = hashlib.sha256()
        self.size = 0

    def meta(self, b):
        self.h.update(b)

    def data(self, b):
        self.h.update(b)
        self.size += len(b)


def _is_missing(v):
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    pd = sys.modules.get("pandas")
    if pd is not None and (v is pd.NA or v is pd.NaT):
        return True
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.floating):
            return bool(np.isnan(v))
        if isinstance(v, (np.datetime64, np.timedelta64)):
            return bool(np.isnat(v))
    return False


def _string_bytes(values):
    parts = []
    append = parts.append
    for v in values:
        if _is_missing(v):
            append(b"\x00")
            continue
        b = v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogatepass")
        append(b"\x01%d:" % len(b))
        append(b)
    return b"".join(parts)


def _py_type(values):
    """The column type of a sequence of Python objects."""
    kinds = set()
    for v in values:
        if _is_missing(v):
            continue
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            kinds.add("bool")
        elif isinstance(v, int) or type(v).__name__.startswith(("int", "uint")):
            kinds.add("int")
        elif isinstance(v, float) or type(v).__name__.startswith("float"):
            kinds.add("float")
        elif isinstance(v, (str, bytes)):
            kinds.add("string")
        else:
            kinds.add("mixed")
        if len(kinds) > 2:
            break
    if not kinds:
        return "empty"
    if kinds == {"int", "float"}:
        return "float"
    if len(kinds) == 1:
        return kinds.pop()
    return "mixed"


_INFER = {"string": "string", "bytes": "string", "integer": "int", "floating": "float",
          "mixed-integer-float": "float", "decimal": "float", "boolean": "bool", "empty": "empty",
          "categorical": "category", "datetime64": "datetime", "datetime": "datetime", "date": "datetime",
          "timedelta64": "timedelta", "timedelta": "timedelta", "complex": "complex"}


def _object_type(values):
    pd = sys.modules.get("pandas")
    if pd is not None:
        try:
            return _INFER.get(pd.api.types.infer_dtype(values, skipna=True), "mixed")
        except Exception:
            pass
    return _py_type(values)


def _numpy_column(np, col):
    """(kind, type, bytes) of a 1-D numpy array."""
    k = col.dtype.kind
    if k == "b":
        return b"bool", "bool", np.ascontiguousarray(col, dtype=np.uint8).tobytes()
    if k in "iu":
        return b"int", "int", np.ascontiguousarray(col, dtype="<i8").tobytes()
    if k == "f":
        c = np.array(col, dtype="<f8", copy=True)
        c[np.isnan(c)] = np.nan
        return b"float", "float", c.tobytes()
    if k == "c":
        c = np.array(col, dtype="<c16", copy=True)
        return b"complex", "complex", c.tobytes()
    if k == "M":
        return b"datetime", "datetime", np.ascontiguousarray(col.astype("datetime64[ns]").view("<i8")).tobytes()
    if k == "m":
        return b"timedelta", "timedelta", np.ascontiguousarray(col.astype("timedelta64[ns]").view("<i8")).tobytes()
    if k in "US":
        values = col.tolist()
        return b"string", ("string" if len(values) else "empty"), _string_bytes(values)
    return _object_column(np, col.tolist(), _object_type(col))


def _object_column(np, values, typ):
    """(kind, type, bytes) of Python objects: numbers and booleans hash as the numeric kinds do."""
    if typ in ("int", "float", "bool") and not any(_is_missing(v) for v in values):
        dtype = {"int": "<i8", "float": "<f8", "bool": np.bool_}[typ]
        try:
            return _numpy_column(np, np.array(values, dtype=dtype))
        except (TypeError, ValueError, OverflowError):
            pass
    elif typ == "float":
        try:
            return _numpy_column(np, np.array([np.nan if _is_missing(v) else v for v in values], dtype="<f8"))
        except (TypeError, ValueError, OverflowError):
            pass
    return b"string", typ, _string_bytes(values)


def _pandas_column(np, pd, s):
    """(kind, type, bytes) of a pandas Series."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        values = s.astype(object).tolist()
        return b"string", "category", _string_bytes(values)
    if isinstance(dtype, np.dtype):
        if dtype.kind == "M" and getattr(dtype, "tz", None) is None:
            return _numpy_column(np, s.to_numpy())
        if dtype.kind != "O":
            return _numpy_column(np, s.to_numpy())
        values = s.to_numpy()
        return _object_column(np, values.tolist(), _object_type(values))
    # an extension dtype: nullable Int64/boolean/Float64, string, tz-aware datetime, ...
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if numpy_dtype is not None and not s.isna().any():
        return _numpy_column(np, s.to_numpy(dtype=numpy_dtype))
    values = s.to_numpy(dtype=object)
    name = str(dtype).lower()
    if name.startswith("string"):
        typ = "string"
    elif name.startswith(("int", "uint")):
        typ = "int"
    elif name.startswith("float"):
        typ = "float"
    elif name == "boolean":
        typ = "bool"
    elif name.startswith("datetime"):
        typ = "datetime"
    else:
        typ = _object_type(values)
    if all(_is_missing(v) for v in values):
        typ = "empty" if len(values) else typ
    return b"string", typ, _string_bytes(values.tolist())


def _columns_of(data, name, np, pd):
    """(rows, [(column name, kind, type, bytes)]) of a table-like value."""
    if pd is not None and isinstance(data, pd.DataFrame):
        cols = []
        for j in range(data.shape[1]):
            kind, typ, b = _pandas_column(np, pd, data.iloc[:, j])
            cols.append((str(data.columns[j]) or "%s%d" % (name, j), kind, typ, b))
        return data.shape[0], cols
    if pd is not None and isinstance(data, pd.Series):
        kind, typ, b = _pandas_column(np, pd, data)
        return len(data), [(str(data.name) if data.name is not None and str(data.name) else name, kind, typ, b)]
    if np is not None and not isinstance(data, np.ndarray):
        arr = np.asarray(data)
        if arr.dtype.kind in "US" and isinstance(data, (list, tuple)):
            arr = np.asarray(data, dtype=object)  # rows of mixed values: keep each value's type
        data = arr
    if np is None:
        raise TypeError("cannot fingerprint %s without numpy" % type(data).__name__)
    if data.ndim == 0:
        raise TypeError("cannot fingerprint a scalar")
    if data.ndim == 1:
        kind, typ, b = _numpy_column(np, data)
        return data.shape[0], [(name, kind, typ, b)]
    if data.ndim > 2:
        data = data.reshape(data.shape[0], -1)
    cols = []
    for j in range(data.shape[1]):
        kind, typ, b = _numpy_column(np, data[:, j])
        cols.append(("%s%d" % (name, j), kind, typ, b))
    return data.shape[0], cols


def _sparse(data, name, np):
    m = data.tocsr()
    if not m.has_sorted_indices:
        m = m.copy()
        m.sort_indices()
    h = _Hasher()
    rows, ncols = m.shape
    h.meta(HEADER + b"sparse %d %d\n" % (rows, ncols))
    typ = {"b": "bool", "i": "int", "u": "int"}.get(m.dtype.kind, "float")
    h.data(np.ascontiguousarray(m.data, dtype="<f8").tobytes())
    h.data(np.ascontiguousarray(m.indices, dtype="<i8").tobytes())
    h.data(np.ascontiguousarray(m.indptr, dtype="<i8").tobytes())
    out = {"sha256": h.h.hexdigest(), "size": h.size, "rows": int(rows)}
    if ncols <= MAX_COLUMNS:
        out["columns"] = [{"name": "%s%d" % (name, j), "type": typ} for j in range(ncols)]
    return out


def fingerprint(data, name="x"):
    """Fingerprint data held in memory.

    data is a pandas DataFrame or Series, a numpy array (or anything
    numpy.asarray takes, such as a list of rows) or a scipy sparse matrix.
    Unnamed columns are called name (1-D data) or name0, name1, … (2-D data),
    as scikit-learn names them (x0, x1, …). Returns {"sha256", "size",
    "rows", "columns"}; raises TypeError for data it cannot read.
    """
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    sp = sys.modules.get("scipy.sparse")
    if sp is not None and np is not None and sp.issparse(data):
        return _sparse(data, name, np)
    if np is None and pd is None:
        return _pure_python(data, name)
    rows, cols = _columns_of(data, name, np, pd)
    h = _Hasher()
    h.meta(HEADER + b"%d %d\n" % (rows, len(cols)))
    for _, kind, _, b in cols:
        h.meta(kind + b"\n")
        h.data(b)
    out = {"sha256": h.h.hexdigest(), "size": h.size, "rows": int(rows)}
    if len(cols) <= MAX_COLUMNS:
        out["columns"] = [{"name": n, "type": t} for n, _, t, _ in cols]
    return out


def _pure_python(data, name):
    """Fingerprint a list (of rows, or of values) without numpy."""
    if not isinstance(data, (list, tuple)):
        raise TypeError("cannot fingerprint %s" % type(data).__name__)
    rows = list(data)
    two_d = bool(rows) and all(isinstance(r, (list, tuple)) for r in rows)
    if two_d:
        width = max(len(r) for r in rows)
        columns = [[r[j] if j < len(r) else None for r in rows] for j in range(width)]
        names = ["%s%d" % (name, j) for j in range(width)]
    else:
        columns, names = [rows], [name]
    h = _Hasher()
    h.meta(HEADER + b"%d %d\n" % (len(rows), len(columns)))
    out_cols = []
    for n, col in zip(names, columns):
        typ = _py_type(col)
        if typ in ("int", "float") and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                           or _is_missing(v) for v in col):
            if typ == "int" and any(_is_missing(v) for v in col):
                typ = "float"
            if typ == "int":
                h.meta(b"int\n")
                h.data(b"".join(struct.pack("<q", v) for v in col))
            else:
                h.meta(b"float\n")
                h.data(b"".join(struct.pack("<d", math.nan if _is_missing(v) else float(v)) for v in col))
        else:
            h.meta(b"string\n")
            h.data(_string_bytes(col))
        out_cols.append({"name": n, "type": typ})
    out = {"sha256": h.h.hexdigest(), "size": h.size, "rows": len(rows)}
    if len(out_cols) <= MAX_COLUMNS:
        out["columns"] = out_cols
    return out
