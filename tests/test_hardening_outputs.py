"""Hostile stores and output paths (issue 17, "Stores and outputs"): each is refused with
one error line, a hint and exit status 2, or handled correctly; none gives a traceback."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus
from callreview.errors import ExportError
from callreview.files import write_atomic
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "store"
NORTHWIND, ACME = "northwind-0412", "acme-0101"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: "), result.stderr
    assert "Traceback" not in result.output
    for w in words:
        assert w in lines[0], lines[0]


@pytest.fixture
def store_file(tmp_path) -> Path:
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        st.decide(NORTHWIND, 0, "behavior", "accept", reviewer="ana")
        st.set_outcome(NORTHWIND, "advance")
    return path


def tamper(path: Path, *sql: str) -> None:
    """What a damaged disk or a hand edit could leave: the append-only triggers are
    dropped so the rows can be changed."""
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    for stmt in sql:
        conn.execute(stmt)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", [
    "UPDATE calls SET data = '{broken' WHERE call_id = 'northwind-0412'",
    "UPDATE calls SET data = '[1, 2]' WHERE call_id = 'northwind-0412'",
    "UPDATE calls SET data = '" + "[" * 100_000 + "' WHERE call_id = 'northwind-0412'",
    "UPDATE predictions SET data = '{\"label\": 3' WHERE passage = 0",
    "UPDATE predictions SET data = '{\"probability\": 7}' WHERE passage = 0",
])
@pytest.mark.parametrize("command", [
    ["export", "--all", "--format", "jsonl"],
    ["queue"],
    ["reviews", "export"],
    ["export", NORTHWIND, "--format", "md"],
])
def test_damaged_json_in_the_store_is_one_error_naming_the_call(store_file, damage, command):
    if command == ["reviews", "export"] and "predictions" in damage:
        pytest.skip("the training export reads the manager's labels, not the predictions")
    tamper(store_file, damage)
    result = run(*command, "--store", str(store_file))
    one_error(result, "damaged")


def test_a_dropped_view_is_an_error_with_a_hint(store_file):
    tamper(store_file, "DROP VIEW live_events")
    for command in (["reviews", "list"], ["queue"], ["export", "--all", "--format", "csv"]):
        one_error(run(*command, "--store", str(store_file)), "damaged")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root may write a read-only file; the permission cannot be tested as root")
def test_a_read_only_store_can_be_listed_and_exported(store_file, tmp_path):
    _read_only_checks(store_file, tmp_path)


def test_a_store_on_a_read_only_folder_can_be_listed_and_exported(store_file, tmp_path, monkeypatch):
    # os.access answers "no" as it would for a non-root user on a read-only disk
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    _read_only_checks(store_file, tmp_path)


def _read_only_checks(store_file: Path, tmp_path: Path) -> None:
    before = store_file.read_bytes()
    listed = run("reviews", "list", "--store", str(store_file))
    assert listed.exit_code == 0 and NORTHWIND in listed.stdout
    exported = run("reviews", "export", "--store", str(store_file))
    assert exported.exit_code == 0 and json.loads(exported.stdout.splitlines()[0])["call_id"] == NORTHWIND
    data = run("export", "--all", "--format", "jsonl", "--store", str(store_file))
    assert data.exit_code == 0 and NORTHWIND in data.stdout
    assert store_file.read_bytes() == before


def test_a_300_character_file_name_is_one_error(store_file, tmp_path):
    out = tmp_path / ("x" * 300 + ".jsonl")
    one_error(run("reviews", "export", "--store", str(store_file), "-o", str(out)), "cannot write")
    one_error(run("export", "--all", "--format", "jsonl", "--store", str(store_file), "-o", str(out)), "cannot write")


def test_a_name_near_the_limit_is_written(tmp_path):
    out = tmp_path / ("y" * 240 + ".csv")
    write_atomic(out, "a,b\n")
    assert out.read_text() == "a,b\n"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_writing_onto_a_symlink_replaces_the_file_it_points_to(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_and_left_as_it_is(store_file, tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    one_error(run("reviews", "export", "--store", str(store_file), "-o", str(fifo)), "not a regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused():
    with pytest.raises(ExportError, match="not a regular file"):
        write_atomic("/dev/null", "data")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, sys
        from callreview.files import open_atomic
        with open_atomic({str(tmp_path / 'out.jsonl')!r}) as out:
            out.write("partial")
            sys.stdout.write("writing\\n"); sys.stdout.flush()
            signal.pause()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "writing\n"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []
