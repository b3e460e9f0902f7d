"""Checks: the report's own identities, completeness, and consistency across reports.

Every rule is registered (`registry.RULES`) with its id, severity and meaning: the report's
own in `rules`, the cross-report ones in `cross`; docs/CHECKS.md is generated from them.
"""

from .cross import dataset_checks
from .registry import RULES, Finding, Rule, Scope, rule
from .rules import CHECK_COLUMNS, TOLERANCE, run_checks

__all__ = ["CHECK_COLUMNS", "RULES", "TOLERANCE", "Finding", "Rule", "Scope", "dataset_checks", "rule", "run_checks"]
