"""govstats: China's 政府信息公开工作年度报告 as tidy, checked data."""

from .errors import GovstatsError
from .export import export_csv, export_excel
from .report import Report, read_report
from .dataset import Dataset, build, load

__version__ = "0.1.0"
PARSER_VERSION = "1"  # bump when parsing changes: incremental builds re-read everything

__all__ = ["Dataset", "GovstatsError", "Report", "build", "export_csv", "export_excel", "load", "read_report",
           "__version__", "PARSER_VERSION"]
