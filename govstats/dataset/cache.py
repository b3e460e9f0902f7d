"""Per-file results kept between builds, keyed by content hash and parser version.

A file is read once per parser version. Its entry is one small file, `<sha256>.entry`: a JSON
line with the file's metadata and the byte sizes of what follows, then its cells and its
checks as two Arrow IPC streams (one file, not three: creating files is what costs here).
Failures that depend on the document (`error`) are kept too; timeouts, crashes and parser
bugs are tried again next build.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyarrow import ipc

from ..errors import GovstatsError, ReadTimeoutError
from ..report import read_report
from ..schema import outputs
from ..schema.enums import Status
from ..util.atomic import atomic_write
from .cachedir import CacheDir

if TYPE_CHECKING:
    import pandas as pd

CELLS_PLAIN = outputs.CELLS.arrow(plain=True)
CHECKS_PLAIN = outputs.CHECKS.arrow(plain=True)
CACHED_STATUSES = (Status.OK, Status.ERROR)


@dataclass
class Entry:
    """One file's outcome: `meta` (report_id agency year template format pages seconds status error),
    and its cells and checks when it was read."""

    meta: dict[str, Any]
    cells: pa.Table | None = None
    checks: pa.Table | None = None


def failure(status: Status, error: str, seconds: float = 0.0) -> Entry:
    return Entry({"report_id": None, "agency": None, "year": None, "template": None, "format": None,
                  "pages": None, "seconds": seconds, "status": status, "error": error})


def read_file(path: Path, timeout: float | None = None) -> Entry:
    """read_report with its failure captured: the build records it and goes on."""
    start = time.perf_counter()
    try:
        r = read_report(path, timeout=timeout)
    except ReadTimeoutError as exc:  # the machine's load as much as the document's: not kept
        return failure(Status.TIMEOUT, exc.reason, time.perf_counter() - start)
    except GovstatsError as exc:
        return failure(Status.ERROR, f"{type(exc).__name__}: {exc.reason}", time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001  (a parser bug, not the document's fault: recorded, never cached)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return failure(Status.FAILED, f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})",
                       time.perf_counter() - start)
    meta = {"report_id": r.report_id, "agency": r.agency, "year": r.year, "template": r.template, "format": r.format,
            "pages": r.pages, "seconds": time.perf_counter() - start, "status": Status.OK, "error": None}
    cells = pa.Table.from_pandas(r.cells, schema=CELLS_PLAIN, preserve_index=False)
    return Entry(meta, cells.replace_schema_metadata(None), checks_table(r.checks, r.report_id))


def checks_table(checks: pd.DataFrame, report_id: str) -> pa.Table:
    """A report's checks frame as the rows of checks.parquet: with its report id, no related report."""
    table = pa.Table.from_pandas(checks, preserve_index=False)
    n = table.num_rows
    table = table.add_column(0, "report_id", pa.array([report_id] * n, pa.string()))
    return table.append_column("related_report_id", pa.nulls(n, pa.string())).replace_schema_metadata(None).cast(
        CHECKS_PLAIN)


def _stream(table: pa.Table | None) -> bytes:
    if table is None:
        return b""
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema, options=ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


class Cache(CacheDir):
    """The entries themselves: Arrow IPC streams behind a JSON line."""

    def store(self, sha: str, entry: Entry) -> dict[str, Any]:
        """Keep a document-determined outcome; return the metadata for reports.parquet."""
        if entry.meta["status"] == Status.OK and entry.meta["report_id"] != sha[:16]:
            entry = failure(Status.FAILED, "the file changed while the build read it", entry.meta["seconds"])
        if entry.meta["status"] in CACHED_STATUSES:
            parts = [_stream(entry.cells), _stream(entry.checks if entry.checks is not None else
                                                   CHECKS_PLAIN.empty_table())]
            head = json.dumps({"meta": entry.meta, "sizes": [len(p) for p in parts]}).encode() + b"\n"
            with atomic_write(self._path(sha)) as tmp:
                tmp.write_bytes(head + b"".join(parts))
        return entry.meta

    def get(self, sha: str) -> Entry:
        head, _, body = self._path(sha).read_bytes().partition(b"\n")
        info = json.loads(head)
        buf, (n_cells, n_checks) = pa.py_buffer(body), info["sizes"]
        cells = ipc.open_stream(buf.slice(0, n_cells)).read_all() if n_cells else None
        return Entry(info["meta"], cells, ipc.open_stream(buf.slice(n_cells, n_checks)).read_all())
