"""Data fingerprints (no binary needed)."""
import hashlib

import numpy as np
import pandas as pd
import scipy.sparse as sp

from modeldb import fingerprint
from modeldb._fingerprint import HEADER


def test_same_values_same_digest_whatever_the_container():
    arr = np.array([[1.5, 2.0], [3.0, np.nan]])
    df = pd.DataFrame(arr, columns=["a", "b"])
    assert fingerprint(arr)["sha256"] == fingerprint(df)["sha256"]
    assert fingerprint(arr)["columns"] == [{"name": "x0", "type": "float"}, {"name": "x1", "type": "float"}]
    assert fingerprint(df)["columns"] == [{"name": "a", "type": "float"}, {"name": "b", "type": "float"}]
    assert fingerprint(arr.tolist())["sha256"] == fingerprint(arr)["sha256"]
    assert fingerprint(np.asfortranarray(arr))["sha256"] == fingerprint(arr)["sha256"]


def test_digest_definition():
    col = np.array([1, 2, 3], dtype=np.int32)
    expected = hashlib.sha256(HEADER + b"3 1\n" + b"int\n" + col.astype("<i8").tobytes()).hexdigest()
    fp = fingerprint(col, name="y")
    assert fp == {"sha256": expected, "size": 24, "rows": 3, "columns": [{"name": "y", "type": "int"}]}


def test_different_data_different_digest():
    df = pd.DataFrame({"zip": ["10115", "20095"], "n": [1, 2]})
    other = pd.DataFrame({"zip": ["10115", "20096"], "n": [1, 2]})
    assert fingerprint(df)["sha256"] != fingerprint(other)["sha256"]
    assert fingerprint(df)["sha256"] != fingerprint(df.iloc[::-1])["sha256"]
    assert fingerprint(pd.Series([None, "a"]))["sha256"] != fingerprint(pd.Series(["None", "a"]))["sha256"]


def test_column_types():
    df = pd.DataFrame({
        "i": [1, 2], "f": [1.0, np.nan], "b": [True, False], "s": ["x", None],
        "c": pd.Categorical(["u", "v"]), "t": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        "ni": pd.array([1, None], dtype="Int64"), "e": [None, None], "m": [1, "a"],
    })
    fp = fingerprint(df)
    assert fp["rows"] == 2
    assert {c["name"]: c["type"] for c in fp["columns"]} == {
        "i": "int", "f": "float", "b": "bool", "s": "string", "c": "category", "t": "datetime",
        "ni": "int", "e": "empty", "m": "mixed"}


def test_sparse():
    m = sp.random(20, 5, density=0.3, random_state=0, format="csc")
    fp = fingerprint(m)
    assert fp["rows"] == 20 and len(fp["columns"]) == 5
    assert fp["sha256"] == fingerprint(m.tocsr())["sha256"]
