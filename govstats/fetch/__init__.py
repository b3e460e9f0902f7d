"""Fetching reports from agency web sites into data/raw/ (see README, "Fetching reports").

`Fetcher(out, Policy(...))` runs a fetch list (`fetch_list(read_list(csv))`) or a
crawl from a report list page (`crawl(url)`); every outcome is a row of
data/raw/manifest.csv.
"""

from .client import Policy
from .run import Fetcher, Job, Summary, read_list

__all__ = ["Fetcher", "Job", "Policy", "Summary", "read_list"]
