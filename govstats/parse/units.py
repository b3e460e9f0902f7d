"""Money cells that print their own unit ('6,842.29万元'), read in their column's unit."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol, TypeVar

from ..normalize import in_unit, read_number
from ..schema.units import COLUMN_UNITS


class _Extraction(Protocol):
    values: list[Any]  # tables.Value, named by shape so that this module does not import tables back


E = TypeVar("E", bound=_Extraction)


def in_column_units(ex: E) -> E:
    """The extraction with each money value whose cell names its unit converted to the column's.

    The printed number and unit are the cell's own statement, nearer than the header's: so the
    value is taken from the printed text (a header's 万元 scaling is not applied twice).
    """
    for k, v in enumerate(ex.values):
        unit = COLUMN_UNITS.get((v.table, v.column))
        if unit and v.cell is not None and v.flag == "":
            value = in_unit(read_number(v.cell.text), unit)
            if value is not None:
                ex.values[k] = replace(v, value=value)
    return ex
