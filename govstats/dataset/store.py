"""Output tables and their atomic publication.

Each build writes into a fresh generation directory `OUT/.builds/NNNNNN`; publishing swaps
the symlink `OUT/.current` to it in one `os.replace`, so a build killed at any moment leaves
the previous outputs intact. `OUT/cells.parquet` etc. are fixed symlinks through `.current`;
a reader that needs the files consistent with each other resolves `.current` once (`load`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import GovstatsError
from ..schema import outputs

TABLES = ("cells", "reports", "checks")
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
    """An embedded DuckDB database holding the three tables, for SQL users."""
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


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time per output directory (the lock dies with its process)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GovstatsError(out, "another build is writing this directory") from None
        yield


def current(out: Path) -> Path | None:
    """The published generation directory, or None before the first build."""
    link = out / ".current"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _generations(out: Path) -> list[Path]:
    root = out / ".builds"
    return sorted(p for p in root.iterdir() if p.name.isdigit()) if root.is_dir() else []


def new_generation(out: Path) -> Path:
    """A fresh, empty directory for this build's outputs (unpublished until `publish`)."""
    gens = _generations(out)
    gen = out / ".builds" / f"{int(gens[-1].name) + 1 if gens else 1:06d}"
    gen.mkdir(parents=True)
    return gen


def _symlink(target: str, link: Path) -> None:
    """Point link at target in one step (a temporary link renamed over the old one)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def publish(out: Path, gen: Path) -> None:
    """Make gen the current outputs: one atomic rename; then drop all but it and the previous one."""
    previous = current(out)
    _symlink(os.path.relpath(gen, out), out / ".current")
    for name in OUTPUTS:
        _symlink(f".current/{name}", out / name)
    prune(out, keep={gen, previous})


def prune(out: Path, keep: set[Path | None]) -> None:
    """Remove generations not kept (stale ones are left by killed builds)."""
    for path in _generations(out):
        if path.resolve() not in {k.resolve() for k in keep if k is not None}:
            shutil.rmtree(path, ignore_errors=True)
