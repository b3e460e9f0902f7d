"""Excel workbooks and CSV files for researchers who do not use pandas.

`tables` computes the sheets from a built dataset; `xlsx` writes them safely and fast.
"""

from .tables import Selection, export_csv, export_excel, select, tables

__all__ = ["Selection", "export_csv", "export_excel", "select", "tables"]
