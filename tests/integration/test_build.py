"""`govstats build` / `govstats.load`: incremental, atomic, nothing lost, same on Dask.

Builds run on small generated corpora in tmp_path. Worker processes are forked, so a
`read_report` patched here is the one the workers call (that is how reads are counted
and how a file is made to hang or crash).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import ROOT

import govstats
import govstats._version
from govstats import cli
from govstats.dataset import cache as cache_module
from govstats.limits import time_limit
from govstats.testing import synthetic
from govstats.testing.sample import carry_over, write_sample

AGENCIES = ("临江市人民政府", "东海省交通运输厅")
YEARS = (2021, 2022, 2023)
QUERY = """SELECT year, sum(value) AS total FROM cells
           WHERE "table"='requests' AND "row"='new_received' AND "column"='total' GROUP BY year ORDER BY year"""


def write_corpus(raw: Path, mismatch: bool = False) -> dict[str, synthetic.SyntheticReport]:
    """Two agencies × three years; agency a is HTML below a `.synthetic` marker, b is text with a manifest row."""
    written = {}
    for k, agency in enumerate(AGENCIES):
        previous = None
        for year in YEARS:
            rep = synthetic.make_report(100 * k + year, agency, year)
            if previous is not None:
                carry_over(rep, previous, {"natural_person": 2} if mismatch and (k, year) == (0, 2022) else None)
            previous = rep
            name = f"a/{year}.html" if k == 0 else f"b/{year}.txt"
            (raw / name).parent.mkdir(parents=True, exist_ok=True)
            (raw / name).write_text(synthetic.render_html(rep) if k == 0 else synthetic.render_text(rep), "utf-8")
            written[name] = rep
    (raw / "a" / ".synthetic").touch()
    (raw / "manifest.csv").write_text(
        "url,final_url,status,content_type,bytes,sha256,fetched_at,agency,year,title,path,error\n"
        "http://example.gov.cn/b2022.html,,200,text/plain,,,,,2022,东海省交通运输厅2022年报,b/2022.txt,\n", "utf-8")
    return written


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    write_corpus(root)
    return root


@pytest.fixture
def reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log with one line per file the workers parse. Names with 'hang' sleep (read_report's alarm stops
    them), with 'stuck' sleep deaf to the alarm (as in C code: the worker is killed), 'crash' kill the worker."""
    log = tmp_path / "reads.log"
    log.touch()
    real = cache_module.read_report

    def counted(path: Path, **kw) -> govstats.Report:
        name = Path(path).name
        with open(log, "a") as fh:
            fh.write(f"{name}\n")
        if "hang" in name:
            with time_limit(path, kw["timeout"]):  # as read_report does
                time.sleep(60)
        if "stuck" in name:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            with time_limit(path, kw["timeout"]):
                time.sleep(60)
        if "crash" in name:
            os._exit(3)
        return real(path, **kw)

    monkeypatch.setattr(cache_module, "read_report", counted)
    return log


def build(raw: Path, out: Path, **kw) -> govstats.BuildResult:
    return govstats.build(raw, out, progress=False, **kw)


def frames(out: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables, without the one column that measures time."""
    d = govstats.load(out)
    return d.cells, d.reports.drop(columns="seconds"), d.checks


def assert_same(a: Path, b: Path) -> None:
    for x, y in zip(frames(a), frames(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


def test_build_writes_every_table_with_sources_flags_and_duckdb(raw, tmp_path):
    out = tmp_path / "out"
    result = build(raw, out, jobs=2)
    assert (result.read, result.cached, result.failed) == (6, 0, 0)
    d = govstats.load(out)
    assert list(d.reports["path"]) == ["a/2021.html", "a/2022.html", "a/2023.html", "b/2021.txt", "b/2022.txt",
                                       "b/2023.txt"]
    assert set(d.reports["status"]) == {"ok"} and d.reports["report_id"].is_unique
    assert list(d.reports["synthetic"]) == [True] * 3 + [False] * 3
    row = d.reports.set_index("path").loc["b/2022.txt"]
    assert (row["url"], row["title"]) == ("http://example.gov.cn/b2022.html", "东海省交通运输厅2022年报")
    assert pd.isna(d.reports.set_index("path").loc["a/2022.html", "url"])
    assert len(d.cells) == 6 * 200 and d.cells["report_id"].nunique() == 6
    for col in ("report_id", "agency", "table", "row", "column", "flag"):
        assert isinstance(d.cells[col].dtype, pd.CategoricalDtype), col
    assert d.cells["year"].dtype == "Int64"
    assert d.checks["report_id"].notna().all() and not d.checks["related_report_id"].isna().all()

    con = duckdb.connect(str(out / "govstats.duckdb"), read_only=True)
    got = dict(con.execute(QUERY).fetchall())
    con.close()
    received = d.requests_wide().groupby("year")["new_received"].sum()
    assert got == {int(y): float(v) for y, v in received.items()}
    assert set(got) == set(YEARS)


def test_wide_views_one_row_per_report(raw, tmp_path):
    written = write_corpus(raw)
    build(raw, tmp_path / "out")
    d = govstats.load(tmp_path / "out")
    wide = d.requests_wide().set_index("path")
    assert len(wide) == 6
    for name, rep in written.items():
        assert wide.loc[name, "granted"] == rep.values[("requests", "granted", "total")]
        assert wide.loc[name, "carried_forward"] == rep.values[("requests", "carried_forward", "total")]
    review = d.wide("review").set_index("path")
    assert review.loc["a/2021.html", "admin_review.total"] == written["a/2021.html"].values[
        ("review", "admin_review", "total")]


def test_rebuild_reads_nothing_and_a_changed_file_is_read_again(raw, tmp_path, reads):
    out = tmp_path / "out"
    build(raw, out)
    assert len(reads.read_text().split()) == 6
    first = (out / ".current").resolve()

    again = build(raw, out)
    assert len(reads.read_text().split()) == 6  # not one more read
    assert (again.read, again.cached) == (0, 6)
    assert (out / ".current").resolve() == first  # nothing to write either

    rep = synthetic.make_report(7, AGENCIES[1], 2022)
    (raw / "b" / "2022.txt").write_text(synthetic.render_text(rep), "utf-8")
    changed = build(raw, out)
    assert reads.read_text().split()[6:] == ["2022.txt"]
    assert (changed.read, changed.cached) == (1, 5)
    wide = govstats.load(out).requests_wide().set_index("path")
    assert wide.loc["b/2022.txt", "granted"] == rep.values[("requests", "granted", "total")]


def test_a_new_parser_version_reads_everything_again(raw, tmp_path, reads, monkeypatch):
    out = tmp_path / "out"
    build(raw, out)
    monkeypatch.setattr(govstats._version, "PARSER_VERSION", "test-next")
    result = build(raw, out)
    assert result.read == 6 and len(reads.read_text().split()) == 12
    assert [p.name for p in (out / ".cache").iterdir()] == ["vtest-next"]  # the old version's entries are gone


def test_failures_are_rows_and_the_build_goes_on(raw, tmp_path, reads, capsys):
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.txt").write_text("会议纪要：本周工作安排如下。\n", "utf-8")
    for name in ("hang.txt", "stuck.txt", "crash.txt"):
        (raw / name).write_text(name, "utf-8")
    out = tmp_path / "out"
    start = time.monotonic()
    result = build(raw, out, jobs=2, timeout=5)
    assert time.monotonic() - start < 40
    reports = govstats.load(out).reports.set_index("path")
    assert reports.loc["hang.txt", ["status", "error"]].tolist() == ["timeout", "reading took longer than 5 s"]
    assert reports.loc["stuck.txt", ["status", "error"]].tolist() == [
        "timeout", "reading took longer than the 5 s limit"]  # killed
    assert reports.loc["crash.txt", "status"] == "crashed" and "exit code 3" in reports.loc["crash.txt", "error"]
    assert reports.loc["empty.txt", ["status", "error"]].tolist() == ["error", "CorruptFileError: the file is empty"]
    assert reports.loc["notes.txt", "error"].startswith("NotAReportError")
    assert reports.loc["notes.txt", "status"] == "not_a_report"  # was "error": a non-report is no failure
    assert reports.loc["broken.pdf", "status"] == "error"
    assert (reports["status"] == "ok").sum() == 6 and result.failed == 5  # was 6: notes.txt counted as an error
    assert "5 files failed" in result.summary and "hang.txt: timeout" in result.summary

    # document errors are kept; a crash (or a timeout) is tried again next time
    (raw / "hang.txt").unlink()
    (raw / "stuck.txt").unlink()
    again = build(raw, out, jobs=2)
    assert again.read == 1 and reads.read_text().split().count("crash.txt") == 2

    (raw / "crash.txt").unlink()
    assert cli.main(["build", str(raw), "--out", str(out)]) == 0
    assert cli.main(["build", str(raw), "--out", str(out), "--strict"]) == 1
    assert "2 files failed" in capsys.readouterr().out  # was 3: notes.txt is not_a_report, not a failure


def test_same_content_twice_is_one_report_listed_twice(raw, tmp_path):
    (raw / "copy.html").write_bytes((raw / "a" / "2021.html").read_bytes())
    build(raw, tmp_path / "out")
    d = govstats.load(tmp_path / "out")
    row = d.reports.set_index("path").loc["copy.html"]
    assert row["status"] == "duplicate" and row["error"] == "same content as a/2021.html" and pd.isna(row["report_id"])
    assert len(d.cells) == 6 * 200


def test_two_builds_give_identical_outputs_in_the_same_order(raw, tmp_path):
    build(raw, tmp_path / "one", jobs=2)
    build(raw, tmp_path / "two", jobs=1)
    assert_same(tmp_path / "one", tmp_path / "two")
    for name in ("cells.parquet", "checks.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@pytest.mark.parametrize("pause_in", ["write_duckdb", "publish"])
def test_a_killed_build_leaves_the_previous_outputs(raw, tmp_path, pause_in):
    out = tmp_path / "out"
    build(raw, out)
    before = frames(out)
    # the next build has other content: one file changed, one added
    write_corpus(raw, mismatch=True)
    (raw / "c.html").write_text(synthetic.render_html(synthetic.make_report(3, "临江市青山区人民政府", 2023)), "utf-8")
    ready = tmp_path / "paused"
    script = (
        "import sys, time, pathlib, govstats\n"
        "from govstats.dataset import store\n"
        f"def pause(*a, **k):\n    pathlib.Path({str(ready)!r}).touch()\n    time.sleep(600)\n"
        f"setattr(store, {pause_in!r}, pause)\n"
        f"govstats.build({str(raw)!r}, {str(out)!r}, progress=False)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the build never reached the pause"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for x, y in zip(before, frames(out), strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert len(pd.read_parquet(out / "reports.parquet")) == 6  # the plain file names still read the old build
    con = duckdb.connect(str(out / "govstats.duckdb"), read_only=True)
    assert con.execute(QUERY).fetchall()
    con.close()

    # the next build takes what the killed one parsed from the cache and publishes
    result = build(raw, out)
    assert result.read == 0 and len(govstats.load(out).reports) == 7
    assert len(list((out / ".builds").iterdir())) == 2  # the current and the previous generation


def test_cross_year_mismatch_is_a_check_naming_both_reports(raw, tmp_path):
    write_corpus(raw, mismatch=True)
    result = build(raw, tmp_path / "out")
    d = govstats.load(tmp_path / "out")
    ids = d.reports.set_index("path")["report_id"]
    carried = d.checks[d.checks["rule"] == "dataset.carried_over"]
    assert len(carried) == 2 * 2 * 7  # two agencies, two pairs of years, seven columns
    failed = carried[~carried["passed"]]
    assert set(failed["column"]) == {"natural_person", "total"}
    assert set(failed["report_id"]) == {ids["a/2022.html"]} and set(failed["related_report_id"]) == {ids["a/2021.html"]}
    assert (failed["found"] - failed["expected"] == 2).all()
    assert "a/2021.html" in failed["message"].iloc[0] and "a/2022.html" in failed["message"].iloc[0]
    assert "dataset.carried_over" in result.summary


def test_bundled_sample_is_current_and_shows_the_comparisons(tmp_path):
    sample = ROOT / "data" / "raw" / "synthetic"
    written = write_sample(tmp_path / "synthetic")
    committed = sorted(p.name for p in sample.iterdir())
    assert committed == sorted(p.name for p in (tmp_path / "synthetic").iterdir())
    assert all((sample / p.name).read_bytes() == p.read_bytes() for p in written), "run: govstats synth"

    result = build(sample, tmp_path / "out")
    d = govstats.load(tmp_path / "out")
    # The folder's README.md is read like every Markdown file, and recorded as not a report (it is not hidden).
    other = d.reports[d.reports["status"] != "ok"]
    assert result.failed == 0 and list(other["path"]) == ["README.md"] and list(other["status"]) == ["not_a_report"]
    assert other["error"].iloc[0].startswith("NotAReportError") and "README.md" in result.summary
    ok = d.reports[d.reports["status"] == "ok"]
    assert d.reports["synthetic"].all()
    assert ok["agency"].nunique() == 5 and set(ok["year"]) == set(range(2019, 2025))
    layouts = set(zip(ok["template"], ok["year"], strict=True))
    assert layouts >= {("2019", 2020), ("2019", 2021), ("2021", 2021)}
    failed = d.checks[~d.checks["passed"]]
    crossyear = failed[failed["rule"] == "dataset.carried_over"]
    paths = d.reports.set_index("report_id")["path"]
    assert set(paths[crossyear["report_id"]]) == {"qingshan-district-2022.txt"}
    same = failed[failed["rule"] == "dataset.same_agency_year"]
    assert set(paths[same["report_id"]]) == {"donghai-transport-2023.txt", "donghai-transport-2023-attachment.html"}
    assert not failed["rule"].str.startswith(("requests.", "review.", "completeness.")).any()


def test_dask_build_equals_the_local_build(raw, tmp_path):
    distributed = pytest.importorskip("distributed")
    build(raw, tmp_path / "local")
    with distributed.LocalCluster(host="127.0.0.1", protocol="tcp", n_workers=1, threads_per_worker=2,
                                  processes=False, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        result = build(raw, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert result.read == 6
    assert_same(tmp_path / "local", tmp_path / "dask")
