"""The output contract (govstats.schema.outputs): it is what the frames, files, headers and SCHEMA.md say."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pytest
from helpers import ROOT

import govstats
from govstats.dataset import store
from govstats.export.labels import PEER_COLUMNS
from govstats.schema import outputs
from govstats.schema.enums import Flag, Severity, Status, Template
from govstats.testing import synthetic


def test_schema_md_is_generated_from_the_contract():
    text = (ROOT / "docs" / "SCHEMA.md").read_text("utf-8")
    assert outputs.with_fields(text) == text, "run `python -m govstats.schema.outputs`"
    for output in outputs.OUTPUTS:
        assert all(f"| `{f.name}` |" in text for f in output.fields)


def test_with_fields_keeps_the_rest_of_the_document_and_needs_the_markers():
    doc = f"# Title\n\nbefore\n\n{outputs.BEGIN}\nstale\n{outputs.END}\n\nafter\n"
    new = outputs.with_fields(doc)
    assert new.startswith("# Title\n\nbefore\n\n") and new.endswith(f"{outputs.END}\n\nafter\n")
    assert "stale" not in new and "| `related_report_id` |" in new
    with pytest.raises(ValueError, match="markers"):
        outputs.with_fields("# no markers\n")


def test_importing_the_contract_imports_neither_pandas_nor_pyarrow():
    code = ("import sys, govstats.schema, govstats.schema.outputs, govstats.schema.enums; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_report_frames_have_the_contract_columns_and_dtypes(write):
    rep = synthetic.make_report(5, "某某县交通运输局", 2022)
    report = govstats.read_report(write("r.html", synthetic.render_html(rep)))
    for frame, output in ((report.cells, outputs.CELLS), (report.checks, outputs.CHECKS)):
        assert list(frame.columns) == [f.name for f in output.report_fields]
        assert {c: str(t) for c, t in frame.dtypes.items()} == {f.name: f.pandas for f in output.report_fields}
    assert govstats.report.CELL_COLUMNS == outputs.CELLS.names


def test_parquet_schemas_are_the_contract():
    for output, schema in ((outputs.CELLS, store.CELLS), (outputs.CHECKS, store.CHECKS),
                           (outputs.REPORTS, store.REPORTS)):
        assert schema.names == output.names
        plain = output.arrow(plain=True)
        assert plain.metadata is None and pa.dictionary(pa.int32(), pa.string()) not in plain.types
        for f in output.fields:
            want = pa.dictionary(pa.int32(), pa.string()) if f.dtype == "category" else plain.field(f.name).type
            assert schema.field(f.name).type == want
    empty = store.CELLS.empty_table().to_pandas()  # the pandas metadata gives back categories and Int64
    assert str(empty["agency"].dtype) == "category" and str(empty["year"].dtype) == "Int64"


def test_every_output_column_has_one_header():
    names = {f.name for o in outputs.OUTPUTS for f in o.fields}
    assert set(outputs.HEADERS) == names and not names & set(PEER_COLUMNS)
    for output in outputs.OUTPUTS:  # a name shared by two outputs has one header
        assert all(outputs.HEADERS[f.name] == f.header for f in output.fields)
    assert len(set(outputs.HEADERS.values())) == len(outputs.HEADERS)


def test_unknown_dtype_is_refused():
    with pytest.raises(ValueError, match="unknown dtype"):
        outputs.Field("x", "decimal", "某", "a column")


def test_enums_are_the_strings_of_the_outputs():
    assert [*Severity] == ["error", "warning", "info"] and Severity.ERROR == "error"
    assert [*Flag] == ["", "blank", "unreadable", "missing", "inferred", "prose", "corrected"] and f"{Flag.BLANK}" == "blank"
    assert [*Template] == ["2019", "2021", "legacy"] and "2021" in {Template.T2021}
    assert {"ok", "no_tables", "not_a_report", "error", "failed", "timeout", "crashed", "duplicate"} == set(Status)
    from govstats import schema
    assert {t for r in schema.REQUEST_ROWS for t in r.templates} | {"legacy"} == set(Template)


def test_duckdb_tables_carry_the_contract_descriptions(tmp_path):
    import duckdb
    import pyarrow.parquet as pq

    for name, schema in (("cells", store.CELLS), ("checks", store.CHECKS), ("reports", store.REPORTS),
                         ("panel", outputs.PANEL.arrow())):
        pq.write_table(schema.empty_table(), tmp_path / f"{name}.parquet")
    store.write_duckdb(tmp_path / "db.duckdb", tmp_path)
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    try:
        got = {(t, c): d for t, c, d in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = 'db'").fetchall()}
    finally:
        con.close()
    assert got == {(o.name, f.name): f.description for o in outputs.OUTPUTS for f in o.fields}
