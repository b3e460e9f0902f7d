"""govstats uses libraries through their public API only: no private module, class or attribute of another package.

Read from the source (AST), so a private name used anywhere — in a reader, the Excel writer, a type
hint — fails here, with the file and line.
"""

from __future__ import annotations

import ast

from helpers import ROOT

PACKAGE = ROOT / "govstats"
# Underscore names that a library documents as its public API.
DOCUMENTED = {
    "_Element": "lxml documents lxml.etree._Element as its element class (the lxml.etree API reference)",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in DOCUMENTED


def _uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every private name of another package that the module reaches."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if any(_private(part) for part in node.module.split(".")):
                found.append((node.lineno, f"from {node.module} import"))
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names
                      if any(_private(part) for part in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            # self._x, cls._x and the module's own private names are its own business
            if not (isinstance(base, ast.Name) and (base.id in ("self", "cls") or base.id.startswith("_"))):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_private_name_of_a_library_is_used() -> None:
    offences = [f"{path.relative_to(ROOT)}:{line}: {what}"
                for path in sorted(PACKAGE.rglob("*.py"))
                for line, what in _uses(ast.parse(path.read_text("utf-8")))]
    assert not offences, "\n".join(offences)


def test_the_check_itself_finds_private_use() -> None:
    sample = "import openpyxl\nfrom openpyxl.worksheet._write_only import W\nws._writer.out\nself._ok\n"
    assert [line for line, _ in _uses(ast.parse(sample))] == [2, 3]
