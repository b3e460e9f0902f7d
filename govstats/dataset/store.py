"""Output tables and their atomic publication.

Generation directories (`OUT/.builds/NNNNNN`, swapped in through `OUT/.current`) are
`generations`' job; `publish` links the outputs: `OUT/cells.parquet` etc. are fixed symlinks through `.current`;
a reader that needs the files consistent with each other resolves `.current` once (`load`).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..schema import outputs
from ..util.atomic import atomic_symlink
from .generations import current, prune

TABLES = ("cells", "reports", "checks", "panel")
OUTPUTS = tuple(f"{t}.parquet" for t in TABLES) + ("govstats.duckdb",)
ROW_GROUP_ROWS = 1 << 16
CELLS = outputs.CELLS.arrow()
CHECKS = outputs.CHECKS.arrow()
REPORTS = outputs.REPORTS.arrow()


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
    """An embedded DuckDB database holding the tables, for SQL users."""
    con = duckdb.connect(str(path))
    try:
        con.execute("SET memory_limit = '128MB'; SET threads = 1")  # stream to disk: memory flat in the corpus size
        for table in TABLES:
            src = str(parquet_dir / f"{table}.parquet").replace("'", "''")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{src}')")
        _describe(con)
    finally:
        con.close()


def _describe(con: duckdb.DuckDBPyConnection) -> None:
    """The contract's descriptions as table and column comments (duckdb_columns() shows them)."""
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    for output in outputs.OUTPUTS:
        con.execute(f"COMMENT ON TABLE {output.name} IS {quoted(output.description)}; " + "; ".join(
            f'COMMENT ON COLUMN {output.name}."{f.name}" IS {quoted(f.description)}' for f in output.fields))


def publish(out: Path, gen: Path) -> None:
    """Make gen the current outputs: one atomic rename; then drop all but it and the previous one."""
    previous = current(out)
    atomic_symlink(os.path.relpath(gen, out), out / ".current")
    for name in OUTPUTS:
        atomic_symlink(f".current/{name}", out / name)
    prune(out, keep={gen, previous})
