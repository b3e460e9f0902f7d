"""Checks: the report's own identities, completeness, and consistency across reports."""

from .rules import CHECK_COLUMNS, TOLERANCE, run_checks

__all__ = ["CHECK_COLUMNS", "TOLERANCE", "run_checks"]
