"""The registry of check rules: every rule id that can appear in checks output, with what it means.

A rule is one decorated function (`@rule(id, severity, en=..., zh=...)`) whose findings the
runners stamp with its id and severity; the registry also feeds docs/CHECKS.md and the
Excel glossary, so a rule is documented the moment it exists. Rules the parser reports
while reading the tables (`parse.tables.Problem`) are `declare`d here without a function.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..schema.enums import Severity, Template


class Scope(StrEnum):
    """What a rule looks at: one report, or the whole built dataset (rows name both reports)."""

    REPORT = "report"
    DATASET = "dataset"


@dataclass(frozen=True, slots=True)
class Finding:
    """One evaluation of a rule: a row of checks once the runner adds the rule's id and severity."""

    passed: bool
    table: str = ""
    row: str = ""
    column: str = ""
    expected: float = math.nan
    found: float = math.nan
    message: str = ""
    severity: Severity | None = None  # None: the rule's severity


ALL_TEMPLATES = tuple(Template)
STANDARD = (Template.T2019, Template.T2021)  # the templates with tables to check


@dataclass(frozen=True)
class Rule:
    """A registered rule. `each` (report rules): the items the function is called once per, e.g.
    the columns of table 三; None: once per report. `evaluate` is None for rules the parser reports."""

    id: str
    severity: Severity
    scope: Scope
    en: str
    zh: str
    templates: tuple[Template, ...]
    each: Callable[[Any], Iterable[Any]] | None
    evaluate: Callable[..., Any] | None


RULES: dict[str, Rule] = {}  # in registration order: the order their rows appear in a report's checks


def _register(entry: Rule) -> None:
    if entry.id in RULES:
        raise ValueError(f"check rule {entry.id!r} registered twice")
    RULES[entry.id] = entry


def rule(id: str, severity: Severity, *, en: str, zh: str, scope: Scope = Scope.REPORT,
         templates: tuple[Template, ...] = STANDARD, each: Callable[[Any], Iterable[Any]] | None = None,
         ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as rule `id`.

    A report rule is called `fn(facts)` (or `fn(facts, item)` for each item of `each(facts)`) for
    reports of `templates` and yields `Finding`s; a dataset rule is called `fn(reports, cells)` and
    returns a frame of findings (see `cross.py`). Consecutive rules with the same `each` run item by
    item, so their rows interleave (per column: balance, then outcomes).
    """
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _register(Rule(id, severity, scope, en, zh, templates, each, fn))
        return fn
    return register


def declare(id: str, severity: Severity, *, en: str, zh: str, templates: tuple[Template, ...] = STANDARD) -> None:
    """Register a rule evaluated elsewhere: by the parser while it reads the tables (a `parse.tables.Problem`),
    or by the build for each report (the agency register: govstats.dataset.resolve)."""
    _register(Rule(id, severity, Scope.REPORT, en, zh, templates, None, None))


def rules(scope: Scope) -> list[Rule]:
    """The registered rules of one scope, in registration order."""
    return [r for r in RULES.values() if r.scope == scope]
