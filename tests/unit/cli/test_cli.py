"""The command line: cheap to start (no data library until a command needs one), helpful --help,
plain errors for the usual mistakes, and a build with nothing to do that loads no data library.

Import checks run in fresh interpreters and look at sys.modules: deterministic, unlike timings
(those are benchmarks/bench_startup.py's).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from govstats import cli
from govstats.testing import synthetic

HEAVY = ("pandas", "pyarrow", "duckdb", "openpyxl")


def run_python(code: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], check=False, cwd=cwd, capture_output=True, text=True, timeout=120)


def heavy_after(statement: str) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after running statement."""
    probe = f"import sys, json\n{statement}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = run_python(probe)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("statement", [
    "import govstats",
    "import govstats.cli",
    "import govstats.dataset",
    "from govstats.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    "from govstats.cli import main\ntry:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass",
])
def test_starting_up_loads_no_data_library(statement):
    assert heavy_after(statement) == []


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_has_examples_and_every_positional_argument_help():
    commands = _subcommands()
    assert set(commands) == {m.__name__.rsplit(".", 1)[1] for m in cli.COMMANDS}
    for name, p in commands.items():
        assert p.epilog.startswith("examples:\n") and f"govstats {name}" in p.epilog, name
        assert "examples:\n  govstats" in p.format_help(), name  # kept as written, not rewrapped
        for action in p._actions:
            if not action.option_strings:
                assert action.help, f"{name} {action.dest}"


def test_read_of_a_directory_is_a_plain_error(tmp_path, capsys):
    assert cli.main(["read", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"govstats: {tmp_path}: is a directory; `govstats demo DIR` reads every report below one\n"


def test_read_into_a_closed_pipe_stops_quietly(tmp_path):
    report = tmp_path / "r.html"
    report.write_text(synthetic.render_html(synthetic.make_report(1, "临江市人民政府", 2022)), "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "govstats.cli", "read", str(report)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as `| head` does once it has its lines: every write now meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 1
    assert err == ""


def test_a_build_with_nothing_to_do_loads_no_data_library(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for k, year in enumerate((2021, 2022)):
        rep = synthetic.make_report(k, "临江市人民政府", year)
        (raw / f"{year}.html").write_text(synthetic.render_html(rep), "utf-8")
    command = f"from govstats.cli import main\ncode = main(['build', {str(raw)!r}, '--out', {str(out)!r}])"
    first = run_python(command + "\nprint('exit', code)")
    again = run_python(command + f"\nimport sys\nprint('exit', code, [m for m in {HEAVY!r} if m in sys.modules])")
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert "2 read, 0 from the cache" in first.stdout.splitlines()[0]
    assert "0 read, 2 from the cache" in again.stdout.splitlines()[0]
    assert first.stdout.splitlines()[1:-1] == again.stdout.splitlines()[1:-1]  # the same summary
    assert again.stdout.splitlines()[-1] == "exit 0 []"
