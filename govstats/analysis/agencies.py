"""Agency metadata — region and level — for peer comparisons.

A name often says what an agency is (…街道办事处 is a township-level body, …省财政厅 a
department in a province), but not always (高平市 is a county-level city; 拱墅区 does not
print its province). So an agency the register knows (govstats/schema/data/agencies.csv, by canonical
name or alias: the level and province of its division) is taken from there; any other is inferred from
the name by the rules in `AGENCY_LEVEL_RULES` / `REGION_PATTERN`; and an override table that analysts
edit (govstats/analysis/data/agencies.csv: agency,region,level; an empty cell keeps the value found
before) wins over both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from ..normalize import normalize_label
from ..schema.agencies import Level, register
from ..schema.metadata import AGENCY_LEVEL_RULES, REGION_PATTERN
from .labels import LEVEL_LABELS

OVERRIDES = resources.files(__package__).joinpath("data/agencies.csv")  # package data: present after a wheel install
COLUMNS = ["agency", "region", "level", "level_label", "source"]
# register level → peer level: a prefecture is a city here; a central ministry is an organ, like a department
PEER_LEVELS = {Level.CENTRAL: "department", Level.PROVINCE: "province", Level.PREFECTURE: "city",
               Level.COUNTY: "county", Level.TOWNSHIP: "township", Level.DEPARTMENT: "department"}


def infer_level(agency: str) -> str:
    """Level key from the name: the first matching rule, else `department` (an organ, not a government)."""
    name = normalize_label(agency)
    return next((level for level, pattern in AGENCY_LEVEL_RULES if re.search(pattern, name)), "department")


def infer_region(agency: str) -> str | None:
    """The provincial-level division the name starts with (浙江省…, 广西壮族自治区…, 上海市…), if any."""
    found = re.match(REGION_PATTERN, normalize_label(agency))
    return found.group(0) if found else None


def read_overrides(path: str | Path | None = None) -> pd.DataFrame:
    """The analysts' table (agency, region, level); empty when the file does not exist."""
    source: Traversable | Path = Path(path) if path is not None else OVERRIDES
    if not source.is_file():
        return pd.DataFrame(columns=["agency", "region", "level"], dtype=object)
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False).replace({"": None})
    unknown = set(table["level"].dropna()) - set(LEVEL_LABELS)
    if unknown:
        raise ValueError(f"{source}: unknown level(s) {sorted(unknown)}; use one of {list(LEVEL_LABELS)}")
    return table[["agency", "region", "level"]]


def known(agency: str) -> tuple[str, str] | None:
    """(region, level) of the register's agency of that name, when exactly one has it and the name says
    where it is (a short name such as 两城镇人民政府 needs the site or a parent: govstats.dataset.resolve)."""
    reg = register()
    found = reg.named(agency)
    if len(found) != 1 or not reg.qualified(found[0], agency):
        return None
    return found[0].region, PEER_LEVELS[found[0].level]


def classify(agencies: Iterable[str | None], overrides: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per distinct agency: region, level, its display label, and where they came from
    (`override`, `register` or `inferred`).

    Names match the overrides after normalisation (traditional/simplified, brackets, spaces).
    `overrides` is a path to a CSV like govstats/analysis/data/agencies.csv (default: that file), or a frame
    with the same columns.
    """
    names = sorted({a for a in agencies if isinstance(a, str) and a})
    table = overrides if isinstance(overrides, pd.DataFrame) else read_overrides(overrides)
    manual = table.assign(key=table["agency"].map(normalize_label)).drop_duplicates("key", keep="last").set_index("key")
    rows = []
    for name in names:
        region, level, source = infer_region(name), infer_level(name), "inferred"
        if (entry := known(name)) is not None:
            (region, level), source = entry, "register"
        if (key := normalize_label(name)) in manual.index:
            entry = manual.loc[key]
            region = entry["region"] if pd.notna(entry["region"]) else region
            level = entry["level"] if pd.notna(entry["level"]) else level
            source = "override"
        rows.append((name, region, level, LEVEL_LABELS[level], source))
    return pd.DataFrame(rows, columns=COLUMNS)
