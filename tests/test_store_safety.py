"""A manager's work survives a killed process and two processes writing at once.

Both tests run real writer processes (tests/data/store/writer.py) against one store file.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "store"
WRITER = DATA / "writer.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


@pytest.fixture
def store_path(tmp_path) -> Path:
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
    return path


def start_writer(path: Path, reviewer: str, count: int, *, wait: bool = False) -> subprocess.Popen:
    args = [sys.executable, str(WRITER), str(path), reviewer, str(count)] + (["--wait"] if wait else [])
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_every_write_reported_committed_survives_a_kill_at_random_points(store_path):
    rng = random.Random(20250110)
    committed: list[int] = []
    for round_no in range(8):
        proc = start_writer(store_path, f"reviewer-{round_no}", 0)
        wanted = rng.randint(1, 80)
        got: list[int] = []
        while len(got) < wanted:
            line = proc.stdout.readline()
            assert line, f"writer stopped early: {proc.stderr.read()}"
            got.append(int(line))
        time.sleep(rng.uniform(0, 0.02))  # land the kill anywhere in the next writes
        proc.send_signal(signal.SIGKILL)
        rest, _err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        got += [int(x) for x in rest.split()]
        committed += got
        assert integrity(store_path) == "ok", f"round {round_no}"
        with Store.open(store_path) as st:
            missing = set(committed) - st.event_ids()
        assert not missing, f"round {round_no}: committed writes lost: {sorted(missing)}"
    assert len(committed) == len(set(committed)) >= 8


def test_two_processes_writing_at_once_both_keep_all_their_decisions(store_path):
    count = 250
    writers = {name: start_writer(store_path, name, count, wait=True) for name in ("ana", "ben")}
    for proc in writers.values():
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in writers.values():  # start both together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    ids: dict[str, set[int]] = {}
    for name, proc in writers.items():
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        ids[name] = {int(x) for x in out.split()}
        assert len(ids[name]) == count
    assert not ids["ana"] & ids["ben"]
    assert integrity(store_path) == "ok"
    with Store.open(store_path) as st:
        assert ids["ana"] | ids["ben"] <= st.event_ids()
        by_reviewer: dict[str, int] = {}
        for summary in st.list_calls():
            for event in st.history(summary.call_id):
                by_reviewer[event.reviewer] = by_reviewer.get(event.reviewer, 0) + 1
    assert by_reviewer == {"ana": count, "ben": count}
