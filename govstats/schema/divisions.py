"""Administrative divisions (GB/T 2260): names and 6-digit codes, from a maintained dataset.

The codes are not typed by hand: they come from the `adcodes.csv` table that the `cpca`
package (MIT, github.com/DQinYuan/chinese_province_city_area_mapper, version 0.5.5, data of
2020-11, from the 民政部 code table) ships offline. Only its data file is read — the package
itself, which imports pandas and a matcher, is never imported — so this module stays cheap.

A division is named by its path of names, province first: `浙江省/杭州市/拱墅区`. Names alone
collide (four 鼓楼区), so `code` walks the path: each name must be a division inside the one
before it.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from ..errors import GovstatsError

DATASET = "cpca 0.5.5 adcodes.csv (民政部 code table, 2020-11)"
SEPARATOR = "/"


@functools.cache
def _table() -> dict[str, str]:
    """6-digit code → name, for every province, prefecture and county of the dataset."""
    from importlib.metadata import PackageNotFoundError, distribution  # slow to import: a no-op build needs none

    try:
        path = Path(str(distribution("cpca").locate_file("cpca/resources/adcodes.csv")))
    except PackageNotFoundError as exc:
        raise GovstatsError(Path("cpca"), "the division codes need the cpca package (pip install cpca)") from exc
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["adcode"][:6]: row["name"] for row in csv.DictReader(fh) if row["adcode"].endswith("000000")}


def _inside(child: str, parent: str) -> bool:
    """Whether code child lies in code parent (a province's 2 digits, a prefecture's 4)."""
    if parent.endswith("0000"):
        return child[:2] == parent[:2] and child != parent
    return child[:4] == parent[:4] and child != parent and parent.endswith("00")


def code(path: str) -> str:
    """The 6-digit code of the division the path names; GovstatsError when the dataset does not hold it.

    A municipality's districts sit directly below it (`上海市/浦东新区`), as in the code table.
    """
    table, found = _table(), ""
    for name in path.split(SEPARATOR):
        matches = [c for c, n in table.items() if n == name and (not found or _inside(c, found))]
        if not found:
            matches = [c for c in matches if c.endswith("0000")]
        if len(matches) != 1:
            raise GovstatsError(Path(path), f"{name!r} is {'ambiguous' if matches else 'not a division'} "
                                            f"in {DATASET} at this point of the path")
        found = matches[0]
    return found


def name(division_code: str) -> str | None:
    """The division's name for a 6-digit code, or None when the dataset does not hold it."""
    return _table().get(division_code)
