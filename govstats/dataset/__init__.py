"""A folder of raw reports → one dataset: cells, reports and checks as parquet and DuckDB.

`build` reads every report in parallel (incrementally: a file whose content and parser
version are unchanged is not read again) and publishes the outputs atomically; `load`
returns them for notebooks.
"""

from .load import Dataset, load
from .pipeline import BuildResult, build

__all__ = ["BuildResult", "Dataset", "build", "load"]
