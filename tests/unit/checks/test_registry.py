"""The check registry: every rule that can appear in checks is registered, documented, and one function."""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator

import pytest
from helpers import CORPUS, ROOT

import govstats
from govstats.checks import RULES, Finding, Scope, docs, registry, rule, run_checks
from govstats.documents import load_document
from govstats.export.labels import EXPORT_GLOSSARY
from govstats.parse.tables import extract_tables
from govstats.schema.enums import Severity
from govstats.testing import synthetic


def _problem_rules() -> set[str]:
    """The rule ids the parser can report: the first argument of every Problem(...) in govstats/."""
    ids = set()
    for path in (ROOT / "govstats").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path}: a Problem's rule must be a literal id"
                ids.add(first.value)
    return ids


def test_every_rule_id_the_parser_reports_is_registered():
    found = _problem_rules()
    assert found == {"row_values", "duplicate_row", "unmapped_row"}
    assert found <= {r.id for r in RULES.values() if r.evaluate is None}


def test_every_rule_id_in_checks_output_is_registered_and_documented():
    seen = set()
    for path in sorted(CORPUS.rglob("*.txt")) + sorted(CORPUS.rglob("*.pdf")):
        seen |= set(govstats.read_report(path).checks["rule"])
    assert seen <= set(RULES)
    assert {"requests.balance", "completeness.row", "template.legacy", "unmapped_row"} <= seen
    text = (ROOT / "docs" / "CHECKS.md").read_text("utf-8")
    glossary = next(t for _s, header, t in EXPORT_GLOSSARY if header == "规则")
    for r in RULES.values():
        assert f"| `{r.id}` | {r.severity} |" in text and f"{r.id} {r.zh}" in glossary
        assert r.en and r.zh


def test_checks_md_is_generated_from_the_registry():
    assert (ROOT / "docs" / "CHECKS.md").read_text("utf-8") == docs.markdown(), \
        "run `python -m govstats.checks.docs`"


def test_both_scopes_live_in_one_registry():
    assert {r.id for r in registry.rules(Scope.DATASET)} == {
        "dataset.unplaced", "dataset.same_agency_year", "dataset.alternate_disagrees", "dataset.carried_over"}
    assert all(r.id.startswith("dataset.") == (r.scope == Scope.DATASET) for r in RULES.values())


def test_a_rule_id_is_registered_once():
    with pytest.raises(ValueError, match="twice"):
        registry.declare("requests.balance", Severity.ERROR, en="again", zh="重复")


@pytest.fixture
def extra_rule():
    """A rule added the documented way (one decorated function), removed again afterwards."""
    def _tables(facts):
        return ("requests",)

    @rule("requests.received_positive", Severity.WARNING, each=_tables,
          en="new_received total is positive", zh="本年新收总计大于0")
    def _positive(facts, table: str) -> Iterator[Finding]:
        total = facts.numbers.get((table, "new_received", "total"), math.nan)
        yield Finding(total > 0, table, "new_received", "total", found=total,
                      message="" if total > 0 else "no request received")

    yield "requests.received_positive"
    del RULES["requests.received_positive"]


def test_adding_a_check_is_one_registered_function(extra_rule, write):
    rep = synthetic.make_report(3, "某某县交通运输局", 2022)
    ex = extract_tables(load_document(write("r.txt", synthetic.render_text(rep))).cells, rep.template)
    checks = run_checks(ex.values, ex.problems, rep.template, rep.agency, rep.year)
    row = checks[checks["rule"] == extra_rule]
    assert len(row) == 1 and row.iloc[0]["severity"] == "warning" and bool(row.iloc[0]["passed"])
    assert not ex.problems and checks["rule"].iloc[-1] == extra_rule  # rules run in registration order
    assert f"| `{extra_rule}` | warning | 2019, 2021 |" in docs.markdown()
