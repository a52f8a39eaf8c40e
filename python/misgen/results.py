"""misgen.results: results.db's metrics and episodes, computed by Misgen (as `misgen export` writes them)."""

import csv
import math
import io
import os

import numpy as np

from . import _native


def results(path, table="metrics"):
    """
    The `table` ("metrics": one row per agent and setting; "episodes": one row per episode) of a results.db,
    the same numbers as `misgen export`. A pandas DataFrame when pandas is installed; otherwise a dict of
    column name -> plain list (int or float for numbers, float("nan") for an empty cell; str for text).
    """
    lib = _native.lib()
    text = _native.take_text(lib.misgen_results_csv, _native.utf8(os.fspath(path), "results path"),
                             _native.utf8(table, "table"))
    try:
        import pandas
    except ImportError:
        return _columns(text)
    return pandas.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def _columns(text):
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    columns = {}
    for i, name in enumerate(header):
        values = [row[i] for row in body]
        columns[name] = _array(values)
    return columns


def _array(values):
    try:
        if all(v != "" for v in values):
            return [int(v) for v in values]
    except ValueError:
        pass
    try:
        return [float(v) if v != "" else math.nan for v in values]
    except ValueError:
        return list(values)
