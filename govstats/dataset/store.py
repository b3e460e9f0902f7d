"""Output tables and their atomic publication.

Generation directories (`OUT/.builds/NNNNNN`, swapped in through `OUT/.current`) are
`generations`' job; `publish` links the outputs: `OUT/cells.parquet` etc. are fixed symlinks through `.current`;
a reader that needs the files consistent with each other resolves `.current` once (`load`).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..checks import CHECK_COLUMNS
from ..report import CELL_COLUMNS
from ..util.atomic import atomic_symlink
from .generations import current, prune

CAT = pa.dictionary(pa.int32(), pa.string())
_CELL_TYPES = {"year": pa.int64(), "value": pa.float64(), "printed": pa.string(), "source": pa.string()}
_CHECK_TYPES = {"passed": pa.bool_(), "expected": pa.float64(), "found": pa.float64(), "message": pa.string()}
REPORT_TYPES = {
    "report_id": pa.string(), "agency": pa.string(), "year": pa.int64(), "template": pa.string(),
    "format": pa.string(), "path": pa.string(), "sha256": pa.string(), "bytes": pa.int64(), "pages": pa.int64(),
    "seconds": pa.float64(), "status": pa.string(), "error": pa.string(), "synthetic": pa.bool_(),
    "url": pa.string(), "title": pa.string(),
}
TABLES = ("cells", "reports", "checks")
OUTPUTS = tuple(f"{t}.parquet" for t in TABLES) + ("govstats.duckdb",)
ROW_GROUP_ROWS = 1 << 16


_EXAMPLES = {CAT: pd.Categorical(["x"]), pa.int64(): pd.array([1], "Int64"), pa.float64(): [1.0], pa.bool_(): [True]}


def _schema(types: dict[str, pa.DataType]) -> pa.Schema:
    """Arrow schema whose pandas metadata gives back category and nullable Int64 columns."""
    example = pd.DataFrame({name: _EXAMPLES.get(t, ["x"]) for name, t in types.items()})
    return pa.schema(list(types.items()), metadata=pa.Schema.from_pandas(example, preserve_index=False).metadata)


def plain(schema: pa.Schema) -> pa.Schema:
    """The same columns with strings for categories: what per-report pieces are built in."""
    return pa.schema([(f.name, pa.string() if f.type == CAT else f.type) for f in schema])


CELLS = _schema({c: _CELL_TYPES.get(c, CAT) for c in CELL_COLUMNS})
CHECKS = _schema({c: _CHECK_TYPES.get(c, CAT) for c in ["report_id", *CHECK_COLUMNS, "related_report_id"]})
REPORTS = _schema(REPORT_TYPES)


class TableWriter:
    """Streams tables into one parquet file in row groups of ROW_GROUP_ROWS, so memory stays flat."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema
        self._writer = pq.ParquetWriter(path, schema)
        self._buffer: list[pa.Table] = []
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._rows += table.num_rows
        if self._rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            # one chunk before the cast: one dictionary per column and row group, not one per report
            self._writer.write_table(pa.concat_tables(self._buffer).combine_chunks().cast(self.schema), ROW_GROUP_ROWS)
        self._buffer, self._rows = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


def write_duckdb(path: Path, parquet_dir: Path) -> None:
    """An embedded DuckDB database holding the three tables, for SQL users."""
    con = duckdb.connect(str(path))
    try:
        con.execute("SET memory_limit = '128MB'; SET threads = 1")  # stream to disk: memory flat in the corpus size
        for table in TABLES:
            src = str(parquet_dir / f"{table}.parquet").replace("'", "''")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{src}')")
    finally:
        con.close()


def publish(out: Path, gen: Path) -> None:
    """Make gen the current outputs: one atomic rename; then drop all but it and the previous one."""
    previous = current(out)
    atomic_symlink(os.path.relpath(gen, out), out / ".current")
    for name in OUTPUTS:
        atomic_symlink(f".current/{name}", out / name)
    prune(out, keep={gen, previous})
