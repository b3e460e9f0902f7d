"""govstats: China's 政府信息公开工作年度报告 as tidy, checked data.

The public API is loaded lazily (PEP 562): `import govstats` costs milliseconds, and
pandas, PDFium, Arrow and DuckDB are imported only by the function that needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import PARSER_VERSION, __version__
from .errors import GovstatsError

if TYPE_CHECKING:
    from .dataset import Dataset, build
    from .dataset.load import load  # the function, not its module of the same name (mypy cannot tell them apart)
    from .debug import explain
    from .export import export_csv, export_excel
    from .report import Report, read_report

# public name -> the module that defines it
_LAZY = {
    "Dataset": "dataset", "build": "dataset", "load": "dataset",
    "export_csv": "export", "export_excel": "export",
    "Report": "report", "read_report": "report",
    "explain": "debug",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'govstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = ["Dataset", "GovstatsError", "Report", "build", "explain", "export_csv", "export_excel", "load",
           "read_report", "__version__", "PARSER_VERSION"]
