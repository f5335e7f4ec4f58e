"""NumPy columns to Arrow arrays without pandas.

``pyarrow.array`` loads pandas (about 0.3 s) the first time it is given a NumPy array or
a list, to check whether they are pandas objects. A run that only writes its results files
has no use for pandas, so the engine builds its tables from the arrays' buffers instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def numbers(values: np.ndarray) -> pa.Array:
    """A numeric column, sharing the array's memory."""
    values = np.ascontiguousarray(values)
    kind = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def timestamps(days: np.ndarray) -> pa.Array:
    """Dates (``datetime64``) as timestamps in seconds."""
    seconds = np.ascontiguousarray(np.asarray(days, "datetime64[s]").view(np.int64))
    return pa.Array.from_buffers(pa.timestamp("s"), len(seconds), [None, pa.py_buffer(seconds)])


def strings(labels: Sequence[str]) -> pa.Array:
    """A string column from Python strings."""
    encoded = [label.encode() for label in labels]
    offsets = np.zeros(len(encoded) + 1, np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(
        len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))
    )


def coded(codes: np.ndarray, labels: Sequence[str]) -> pa.DictionaryArray:
    """A dictionary-encoded column (a category in pandas): ``labels[codes]``."""
    return pa.DictionaryArray.from_arrays(numbers(codes), strings(labels))


def decoded(codes: np.ndarray, labels: Sequence[str]) -> pa.Array:
    """A plain string column: ``labels[codes]``."""
    return coded(codes, labels).dictionary_decode()


def table(columns: dict[str, pa.Array]) -> pa.Table:
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))
