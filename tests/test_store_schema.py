"""The store's schema upgrades in place, and files it must not own are never touched."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.errors import StoreError
from callreview.review import Feedback
from callreview.store import MIGRATIONS, SCHEMA_VERSION, Store, _statements

DATA = Path(__file__).parent / "data" / "store"


def build_store_at_version(path: Path, version: int) -> None:
    """A store as callreview at schema ``version`` made it, holding one reviewed call."""
    db = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:version]:
        for stmt in _statements(script):
            db.execute(stmt)
    db.execute(f"PRAGMA user_version = {version}")
    db.execute(
        "INSERT INTO calls (call_id, content_sha256, title, n_passages, data, added_at)"
        " VALUES ('old-1', 'sha-old-1', 'Old call', 2, ?, '2024-05-01T10:00:00.000Z')",
        ('{"call_id": "old-1", "title": "Old call", "kind": "transcript", "outcome": null, "passages":'
         ' [{"text": "Hello there", "role": "seller"}, {"text": "Hi", "role": "buyer"}]}',),
    )
    db.execute("INSERT INTO events (call_id, kind, passage, task, action, value, reviewer, at)"
               " VALUES ('old-1', 'decision', 0, 'behavior', 'relabel', 'rapport', 'ana', '2024-05-01T10:01:00.000Z')")
    db.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_schema_list_has_more_than_one_version():
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_store_from_every_earlier_version_is_upgraded_and_keeps_its_reviews(tmp_path, version):
    path = tmp_path / "old.sqlite3"
    build_store_at_version(path, version)
    with Store.open(path) as st:
        assert st.schema_version == SCHEMA_VERSION
        assert st.get_call("old-1").passages[0].behavior == "rapport"
        assert [(s.call_id, s.n_decided, s.status) for s in st.list_calls()] == [("old-1", 1, "in_progress")]
        st.decide("old-1", 1, "behavior", "relabel", "buyer_info", reviewer="ben")  # still writable
    db = sqlite3.connect(path)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert {"events_by_key", "prediction_sets_by_call"} <= indexes  # added by v2


def test_a_version_1_store_file_is_upgraded_with_its_whole_review(tmp_path):
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript((DATA / "v1.sql").read_text(encoding="utf-8"))
    db.close()
    with Store.open(path) as st:
        assert st.schema_version == SCHEMA_VERSION
        (summary,) = st.list_calls()
        assert (summary.call_id, summary.seller, summary.outcome, summary.status) == (
            "northwind-0412", "Dana Ortiz", "order", "done")
        call = st.get_call("northwind-0412")
        assert [p.behavior for p in call.passages] == ["agenda", "buyer_info", "situation_question", "buyer_info"]
        assert call.passages[0].stage == "opening"
        assert st.feedback("northwind-0412") == Feedback(strengths="clear agenda", focus="quantify the pain")
        assert [c.text for c in st.comments("northwind-0412")] == ["Good open question"]
        assert [e.undone for e in st.history("northwind-0412")][3] is True  # the skip that was undone


def test_a_fresh_store_is_created_at_the_current_version(tmp_path):
    with Store.open(tmp_path / "new.sqlite3") as st:
        assert st.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(tmp_path / "new.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


# ----------------------------------------------------- files never touched

def test_a_store_from_a_newer_callreview_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as st:
        st.add_call(read_corpus(DATA / "calls.jsonl")[0])
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert "made by a newer callreview" in err.value.message
    assert "upgrade callreview" in err.value.hint
    assert err.value.path == str(path)
    assert snapshot(tmp_path) == before


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "reviews.sqlite3"
    path.write_text("milk\neggs\nbread\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(StoreError, match="not a SQLite database") as err:
        Store.open(path)
    assert "untouched" in err.value.hint
    assert snapshot(tmp_path) == before


def test_a_damaged_store_is_refused_and_left_untouched(tmp_path):
    good = tmp_path / "good.sqlite3"
    with Store.open(good) as st:
        st.add_call(read_corpus(DATA / "calls.jsonl")[0])
    damaged = tmp_path / "damaged" / "reviews.sqlite3"
    damaged.parent.mkdir()
    raw = bytearray(good.read_bytes())
    raw[16:100] = b"\xff" * 84  # the rest of the database header: page size, counts, schema cookie
    damaged.write_bytes(bytes(raw))
    before = snapshot(damaged.parent)
    with pytest.raises(StoreError, match="damaged or not a database") as err:
        Store.open(damaged)
    assert err.value.path == str(damaged)
    assert snapshot(damaged.parent) == before


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "expenses.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE expenses (day TEXT, amount REAL)")
    db.execute("INSERT INTO expenses VALUES ('2025-01-02', 12.5)")
    db.commit()
    db.close()
    before = snapshot(tmp_path)
    with pytest.raises(StoreError, match="not a callreview store"):
        Store.open(path)
    assert snapshot(tmp_path) == before


def test_an_uncreatable_location_says_how_to_choose_another(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot create the folder") as err:
        Store.open(blocker / "reviews.sqlite3")
    assert "--store" in err.value.hint and "CALLREVIEW_STORE" in err.value.hint
    assert blocker.read_text(encoding="utf-8") == "x"


@contextlib.contextmanager
def write_protected(path: Path, *, folder: bool):
    """Make a file (and its folder) unwritable, also for root (immutable attribute)."""
    if os.geteuid() != 0:
        os.chmod(path, 0o444)
        if folder:
            os.chmod(path.parent, 0o555)
        try:
            yield
        finally:
            os.chmod(path.parent, 0o755)
            os.chmod(path, 0o644)
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: cannot make a file read-only")
    targets = [str(path), str(path.parent)] if folder else [str(path)]
    if subprocess.run(["chattr", "+i", *targets], capture_output=True).returncode != 0:
        subprocess.run(["chattr", "-i", *targets], capture_output=True)
        pytest.skip("running as root on a file system without the immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *targets], check=True)


@pytest.mark.parametrize("protect_folder", [False, True], ids=["file-read-only", "folder-read-only"])
def test_a_read_only_store_is_refused_at_open_with_a_hint_and_left_untouched(tmp_path, protect_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "reviews.sqlite3"
    with Store.open(path) as st:
        st.add_call(read_corpus(DATA / "calls.jsonl")[0])
    before = snapshot(folder)
    with write_protected(path, folder=protect_folder):
        with pytest.raises(StoreError, match="cannot write the review store here") as err:
            Store.open(path)
        assert "--store" in err.value.hint and "CALLREVIEW_STORE" in err.value.hint
    assert snapshot(folder) == before


def test_a_folder_given_as_the_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)
