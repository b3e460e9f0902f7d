"""Comparisons across agencies and years: metrics, agency peers, and plots.

`metrics` derives rates with their numerators and denominators; `agencies` classifies an
agency's level and region; `plots` draws them with Chinese that renders.
"""

from .harmonised import harmonised_series
from .measures import (
    harmonised_requests,
    includes_synthetic,
    metrics,
    one_per_agency_year,
    outcomes,
    pivot,
    rank,
    ratio,
    reasons,
    wide,
    yoy,
)

__all__ = [
    "harmonised_requests",
    "harmonised_series",
    "includes_synthetic",
    "metrics",
    "one_per_agency_year",
    "outcomes",
    "pivot",
    "rank",
    "ratio",
    "reasons",
    "wide",
    "yoy",
]
