"""panel.parquet: one agency-year, one report — the chosen report's values, with why and what else there was.

The choice is `checks.choice.choose` (the same rule `dataset.alternate_disagrees` checks the
alternates against and `analysis` groups agency-years by), on the `ok` reports of a build.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..checks.choice import AGENCY_KEY, PANEL_NAME, choose
from ..schema import outputs
from ..schema.enums import Status

PANEL = outputs.PANEL.arrow()


def _choice(reports: pd.DataFrame) -> pd.DataFrame:
    return choose(reports[reports["status"] == Status.OK])


def frame(cells: pd.DataFrame, reports: pd.DataFrame, choice: pd.DataFrame | None = None) -> pd.DataFrame:
    """The panel as pandas: the chosen reports' mapped cells, with the choice and the synthetic mark.

    `agency` is the agency's name in the panel (`checks.choice.keyed`): the register's canonical name, the
    same in every year whatever each report prints, or the printed name @ the site when unresolved.

    choice: `choose` of the ok reports, when the caller has it already.
    """
    choice = (_choice(reports) if choice is None else choice).rename(columns={AGENCY_KEY: "agency_id",
                                                                             PANEL_NAME: "agency"})
    c = cells[cells["report_id"].isin(set(choice["report_id"])) & (cells["row"] != "unmapped")
              & (cells["column"] != "unmapped")]
    c = c.drop(columns="agency").astype({"report_id": str}).merge(choice.drop(columns="year"), on="report_id")
    synthetic = reports.set_index("report_id")["synthetic"].fillna(False).astype(bool)
    out = c.assign(synthetic=c["report_id"].map(synthetic).astype(bool))[PANEL.names].reset_index(drop=True)
    return out.astype({k: "category" for k in ("agency_id", "report_id", "agency", "template", "table", "row",
                                               "column", "flag")})


def panel(cells: Path, reports: pd.DataFrame) -> pa.Table:
    """The panel of a build, from its cells.parquet (only the chosen reports' rows are read) and reports frame."""
    choice = _choice(reports)
    ids = list(choice["report_id"])
    if not ids:
        return PANEL.empty_table()
    t = pq.read_table(cells, filters=[("report_id", "in", ids)]).to_pandas()
    return pa.Table.from_pandas(frame(t, reports, choice), schema=PANEL, preserve_index=False)
