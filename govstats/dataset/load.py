"""`load`: a built dataset back as pandas, for notebooks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import schema
from . import generations

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Dataset:
    """cells (one row per value), reports (one row per source file), checks (one row per rule), and
    panel (one row per agency-year and value, from the one report chosen: `checks.choice`).

    Without a `panel` (a Dataset put together by hand), it is derived from cells and reports.
    """

    cells: pd.DataFrame
    reports: pd.DataFrame
    checks: pd.DataFrame
    panel: pd.DataFrame = None  # filled in by __post_init__

    def __post_init__(self) -> None:
        if self.panel is None:
            from .panel import frame

            self.panel = frame(self.cells, self.reports)

    def real_only(self) -> Dataset:
        """The same dataset without the generated samples (reports.synthetic): real reports only."""
        real = self.reports[~self.reports["synthetic"].fillna(False).astype(bool)]
        ids = set(real["report_id"].dropna())
        return replace(self, cells=self.cells[self.cells["report_id"].isin(ids)], reports=real,
                       checks=self.checks[self.checks["report_id"].isin(ids)],
                       panel=self.panel[~self.panel["synthetic"].astype(bool)])

    def wide(self, table: str, column: str | None = None) -> pd.DataFrame:
        """One row per report (agency, year, template, path, then values).

        With `column`, one column per row key holding that column's value (e.g. every
        requests row's `total`); without, one column per `row.column`.
        """
        c = self.cells
        sub = c[(c["table"] == table) & (c["row"] != "unmapped") & (c["column"] != "unmapped")]
        if column is not None:
            sub = sub[sub["column"] == column]
        keys = ["row"] if column is not None else ["row", "column"]
        wide = sub.pivot_table(index="report_id", columns=keys, values="value", aggfunc="first", observed=True)
        rows, cols = schema.ROW_ORDER[table], schema.COLUMN_ORDER[table]
        order = sorted(wide.columns, key=lambda k: rows.index(k) if column else (rows.index(k[0]), cols.index(k[1])))
        wide = wide[order]
        wide.columns = [k if column else f"{k[0]}.{k[1]}" for k in order]
        meta = self.reports.dropna(subset=["report_id"]).set_index("report_id")[["agency", "year", "template", "path"]]
        return meta.join(wide, how="inner").rename_axis("report_id")

    def requests_wide(self, column: str = "total") -> pd.DataFrame:
        """Table 三 one row per report: new_received, carried_over, granted, … for one applicant column."""
        return self.wide("requests", column)


def load(out: str | Path = "data/processed", *, real_only: bool = False) -> Dataset:
    """The dataset a build published in out; the tables come from one and the same build.

    real_only: leave out the generated samples (`Dataset.real_only`).
    """
    import pandas as pd  # here, not at the top: `import govstats.dataset` stays cheap for the CLI

    from .store import TABLES

    out = Path(out)
    base = generations.current(out) or out
    dataset = Dataset(*(pd.read_parquet(base / f"{t}.parquet") for t in TABLES))
    return dataset.real_only() if real_only else dataset
