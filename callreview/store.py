"""The review store: a manager's review work, kept safely in one SQLite file.

What it keeps
    each imported call (the full call as corpus v1 JSON, found again by a content hash
    so adding the same file twice finds its review instead of duplicating it); the
    model predictions shown (one *prediction set* per annotation, the latest is
    current); and the review history: every decision (accept / relabel / skip per
    passage and task), comment, call-level feedback, outcome, status and seller change,
    with the reviewer's name and the UTC time.

How it keeps it
    History is append-only. Current state (the label shown, the outcome, the feedback)
    is derived from the latest event per key that no later ``undo`` event took back.
    Rows are never UPDATEd or DELETEd: triggers in the schema refuse it. Every write is
    one transaction committed before the call returns (``BEGIN IMMEDIATE``, WAL
    journal, ``synchronous=FULL``), so a crash or a kill loses at most the write in
    flight, and two processes writing at once both succeed (``busy_timeout``).

The schema is versioned with ``PRAGMA user_version`` and upgraded by the ordered
:data:`MIGRATIONS`. A file made by a newer callreview, a damaged file or a file
that is not a callreview store is refused with a :class:`~callreview.errors.StoreError`
and left exactly as it was.

Only the standard library is used (``sqlite3``), so opening a store is cheap.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
import threading
import urllib.parse
from collections import Counter, OrderedDict
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .corpora import call_from_json, dumps_call
from .errors import InputError, StoreError
from .locations import STORE_ENV as ENV_VAR
from .locations import STORE_FILE as FILENAME
from .records import TASKS, Call, Passage, Prediction
from .review import (
    ACTIONS,
    DECIDABLE,
    EDIT_KINDS,
    FEEDBACK_FIELDS,
    PROGRESS_KINDS,
    STATUSES,
    UNSURE_MARGIN,
    CallReview,
    CallSummary,
    Comment,
    Decision,
    Event,
    Feedback,
    QueueItem,
    Ratings,
    StoredCall,
    passage_reviewed,
    review_status,
)

__all__ = ["Store", "default_store_path", "store_path", "content_hash", "default_reviewer",
           "SCHEMA_VERSION", "MIGRATIONS", "ENV_VAR"]

#: environment variable naming the store file (used when ``--store`` is not given)
#: environment variable naming the reviewer (else the login name)
REVIEWER_ENV_VAR = "CALLREVIEW_REVIEWER"
#: ``PRAGMA application_id`` of a callreview store ("CRvw"), so a foreign database is recognised
APPLICATION_ID = 0x43527677
#: seconds a write waits for another process's write to finish
BUSY_TIMEOUT = 30.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LOCATION_HINT = ("choose a writable place for the store with --store PATH "
                  "or the CALLREVIEW_STORE environment variable")
#: how many calls' stored data and current predictions a Store keeps parsed (see Store.review)
_BASES_KEPT = 8

_V1 = """
CREATE TABLE calls (
    id              INTEGER PRIMARY KEY,
    call_id         TEXT NOT NULL UNIQUE,
    content_sha256  TEXT NOT NULL UNIQUE,
    title           TEXT,
    seller          TEXT,              -- as imported; later changes are 'seller' events
    outcome         TEXT,              -- as imported; later changes are 'outcome' events
    n_passages      INTEGER NOT NULL CHECK (n_passages > 0),
    source          TEXT,
    roles_inferred  INTEGER NOT NULL DEFAULT 0,
    data            TEXT NOT NULL,     -- the call as corpus v1 JSON, without predictions
    added_at        TEXT NOT NULL
);
CREATE TABLE prediction_sets (
    id        INTEGER PRIMARY KEY,     -- the highest id of a call is its current set
    call_id   TEXT NOT NULL REFERENCES calls(call_id),
    model_id  TEXT,
    added_at  TEXT NOT NULL
);
CREATE TABLE predictions (
    set_id   INTEGER NOT NULL REFERENCES prediction_sets(id),
    passage  INTEGER NOT NULL,
    task     TEXT NOT NULL,
    label    TEXT NOT NULL,
    margin   REAL NOT NULL,            -- probability gap to the runner-up
    data     TEXT NOT NULL,            -- the Prediction as JSON
    PRIMARY KEY (set_id, passage, task)
) WITHOUT ROWID;
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    call_id   TEXT NOT NULL REFERENCES calls(call_id),
    kind      TEXT NOT NULL CHECK (kind IN
                ('decision', 'comment', 'feedback', 'outcome', 'status', 'seller', 'undo')),
    passage   INTEGER,
    task      TEXT,
    action    TEXT CHECK (action IS NULL OR action IN ('accept', 'relabel', 'skip')),
    value     TEXT,
    reviewer  TEXT,
    at        TEXT NOT NULL,
    undoes    INTEGER UNIQUE REFERENCES events(id),
    CHECK ((kind = 'undo') = (undoes IS NOT NULL)),
    CHECK ((kind = 'decision') = (action IS NOT NULL))
);
CREATE VIEW live_events AS
    SELECT * FROM events AS e
    WHERE e.kind != 'undo' AND NOT EXISTS (SELECT 1 FROM events AS u WHERE u.undoes = e.id);
CREATE TRIGGER calls_append_only_u BEFORE UPDATE ON calls
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER calls_append_only_d BEFORE DELETE ON calls
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER prediction_sets_append_only_u BEFORE UPDATE ON prediction_sets
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER prediction_sets_append_only_d BEFORE DELETE ON prediction_sets
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER predictions_append_only_u BEFORE UPDATE ON predictions
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER predictions_append_only_d BEFORE DELETE ON predictions
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the review store is append-only'); END;
PRAGMA application_id = {app_id};
""".format(app_id=APPLICATION_ID)

# v2: indexes for deriving current state (latest event per key, current prediction
# set) without scanning the whole history; list and queue stay fast at thousands of calls.
_V2 = """
CREATE INDEX events_by_key ON events(call_id, kind, passage, task);
CREATE INDEX prediction_sets_by_call ON prediction_sets(call_id, id);
"""

#: ``MIGRATIONS[i]`` takes a store from schema version ``i`` to ``i + 1``. Append only.
MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def default_store_path() -> Path:
    """Where the review store is when no ``--store PATH`` is given: ``$CALLREVIEW_STORE``,
    else ``reviews.sqlite3`` in the user data folder (:mod:`callreview.locations`; on Linux
    ``~/.local/share/callreview/reviews.sqlite3``). An explicit path passed to
    :meth:`Store.open` (the ``--store`` option) comes before both."""
    from .locations import default_store_path as where

    return where()


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store file to use: ``path`` if given, else :func:`default_store_path`."""
    return Path(path).expanduser() if path else default_store_path()


def default_reviewer() -> str:
    """The reviewer recorded when none is named: ``CALLREVIEW_REVIEWER``, else the login name."""
    name = os.environ.get(REVIEWER_ENV_VAR, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"


def content_hash(call: Call) -> str:
    """What identifies a call in the store: the SHA-256 of its passages' texts in order,
    combined with ``extra["content_sha256"]`` when the loader set one.

    The loaders set ``content_sha256`` to the hash of the *file's* bytes, and a corpus
    or CSV file holds many calls, so that hash alone would make all of a file's calls
    one; combined with the text it still finds the same call of the same file again.
    """
    texts = json.dumps([p.text for p in call.passages], ensure_ascii=False)
    text_hash = hashlib.sha256(texts.encode("utf-8")).hexdigest()
    given = call.extra.get("content_sha256")
    if isinstance(given, str) and given:
        return hashlib.sha256(f"{given}:{text_hash}".encode("ascii", "replace")).hexdigest()
    return text_hash


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _statements(script: str) -> Iterator[str]:
    """Split a SQL script into statements (triggers keep their inner semicolons)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _error_from_sqlite(exc: BaseException, path: Path) -> StoreError:
    msg = str(exc)
    low = msg.lower()
    where = str(path)
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StoreError(f"the store file is damaged or not a database ({msg})", path=where,
                          hint="callreview left the file untouched; move it aside to start a new store, "
                               "or use another one with --store PATH")
    if "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        return StoreError(f"cannot write the review store here ({msg})", path=where, hint=_LOCATION_HINT)
    if "no such table" in low or "no such view" in low or "no such column" in low:
        return StoreError(f"the store file is damaged: part of it is missing ({msg})", path=where,
                          hint="callreview left the file untouched; restore it from a backup, or move it aside "
                               "to start a new store")
    if "locked" in low or "busy" in low:
        return StoreError("the review store stayed busy: another callreview kept writing to it",
                          path=where, hint="try again when the other callreview has finished")
    if "disk" in low and ("full" in low or "i/o" in low):
        return StoreError(f"cannot write the review store ({msg})", path=where,
                          hint="free disk space or move the store with --store PATH")
    return StoreError(f"review store error: {msg}", path=where)


class Store:
    """An open review store. Use :meth:`open`; close it (or use ``with``) when done.

    Every method that changes something commits before it returns and returns the id
    of the event it recorded. A method may be called from any thread; calls are
    serialized.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        #: call_id -> (current prediction set, the call parsed with those predictions), for
        #: the calls read last: a call's data and a prediction set never change once written
        self._bases: OrderedDict[str, tuple[int | None, Call]] = OrderedDict()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, timeout: float = BUSY_TIMEOUT,
             read_only: bool = False) -> "Store":
        """Open (creating or upgrading it if needed) the store at ``path``.

        ``path`` None means :func:`default_store_path`. Raises :class:`StoreError`
        for a file that is not a callreview store, is damaged, was made by a newer
        callreview (these files are never written to), or a place that cannot be written.

        ``read_only``: for commands that only read (listing, exporting): a store on a
        write-protected disk or folder is read as it is (without the upgrade an older
        schema would need, which is refused with the fix).
        """
        p = store_path(path)
        if p.is_dir():
            raise StoreError("this is a folder, not a store file", path=str(p),
                             hint=f"name a file, e.g. --store {p / FILENAME}")
        if read_only:
            return cls._open_read_only(p, timeout)
        if p.exists():
            _check_header(p)
        else:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for the review store ({exc.strerror or exc})",
                                 path=str(p), hint=_LOCATION_HINT) from None
        # SQLite would open a write-protected file read-only and leave -wal/-shm files
        # beside it; find out first. (_check_writable below catches what this misses.)
        if p.exists() and not os.access(p, os.W_OK):
            raise StoreError("cannot write the review store here (the file is read-only)",
                             path=str(p), hint=_LOCATION_HINT)
        if not os.access(p.parent, os.W_OK | os.X_OK):
            raise StoreError("cannot write the review store here (the folder is read-only)",
                             path=str(p), hint=_LOCATION_HINT)
        try:
            conn = sqlite3.connect(str(p), timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _error_from_sqlite(exc, p) from None
        try:
            _check_schema(conn, p)
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"the store cannot use write-ahead logging here (journal mode {mode})",
                                 path=str(p), hint="keep the store on a local disk: " + _LOCATION_HINT)
            conn.execute("PRAGMA synchronous = FULL")
            _migrate(conn, p)
            _check_writable(conn)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise _error_from_sqlite(exc, p) from None
        return cls(conn, p)

    @classmethod
    def _open_read_only(cls, p: Path, timeout: float) -> "Store":
        if not p.exists():
            return cls.open(p, timeout=timeout)  # an empty store, as any command makes
        _check_header(p)
        if os.access(p, os.W_OK) and os.access(p.parent, os.W_OK | os.X_OK):
            return cls.open(p, timeout=timeout)  # writable: the usual way (upgrades an old schema)
        uri = "file:" + urllib.parse.quote(str(p.resolve()))
        conn = None
        for mode in ("?mode=ro", "?mode=ro&immutable=1"):  # WAL needs its -shm file; a read-only folder has none
            try:
                conn = sqlite3.connect(uri + mode, uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
                _check_schema(conn, p)
                conn.execute("SELECT COUNT(*) FROM calls").fetchone()
                break
            except StoreError:
                conn.close()
                raise
            except sqlite3.Error as exc:
                conn and conn.close()
                conn = None
                error = exc
        if conn is None:
            raise _error_from_sqlite(error, p) from None
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            conn.close()
            raise StoreError("this store was made by an older callreview and needs an upgrade, which "
                             "cannot be written here (the file or its folder is read-only)", path=str(p),
                             hint="copy the store to a folder you may write and pass it with --store PATH")
        return cls(conn, p)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------- transactions

    @contextmanager
    def _tx(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute(begin)
            except sqlite3.Error as exc:
                raise _error_from_sqlite(exc, self.path) from None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _error_from_sqlite(exc, self.path) from None
                raise

    def _write(self) -> Any:
        """One write transaction; it takes the write lock up front (no upgrade deadlocks)."""
        return self._tx("BEGIN IMMEDIATE")

    def _read(self) -> Any:
        """A read transaction: several queries see one consistent snapshot."""
        return self._tx("BEGIN")

    # ----------------------------------------------------------------- calls

    def add_call(self, call: Call, *, seller: str | None = None, model_id: str | None = None) -> StoredCall:
        """Keep a call for review. Idempotent: the same content finds its existing review.

        If the call's passages carry predictions they are recorded as a prediction set
        (``model_id`` defaults to the predictions' own). Adding a known call again with
        predictions from another model records them as the new current set; a new
        ``seller`` is recorded as a seller change.
        """
        sha = content_hash(call)
        mid = model_id or _model_id_of(call)
        has_predictions = any(p.predictions for p in call.passages)
        with self._write() as db:
            row = db.execute("SELECT call_id, n_passages FROM calls WHERE content_sha256 = ?", (sha,)).fetchone()
            if row is not None:
                cid, n = row
                set_id = None
                if has_predictions:
                    current = _current_set(db, cid)
                    if current is None or current[1] != mid:
                        _check_same_passages(n, call, cid, self.path)
                        set_id = _insert_predictions(db, cid, call, mid)
                if seller and seller != _current_seller(db, cid):
                    _insert_event(db, cid, "seller", value=seller, reviewer=default_reviewer())
                return StoredCall(cid, sha, created=False, prediction_set=set_id)
            cid = _free_call_id(db, call.call_id)
            stored = replace(call, call_id=cid, seller=seller or call.seller)
            db.execute(
                "INSERT INTO calls (call_id, content_sha256, title, seller, outcome, n_passages, source,"
                " roles_inferred, data, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, sha, stored.title, stored.seller, stored.outcome, len(stored.passages), stored.source,
                 int(stored.roles_inferred), dumps_call(stored, predictions=False), _now()),
            )
            set_id = _insert_predictions(db, cid, call, mid) if has_predictions else None
        return StoredCall(cid, sha, created=True, prediction_set=set_id)

    def find(self, call: Call) -> str | None:
        """The store id of a call with this content, or None."""
        with self._lock:
            row = self._conn.execute("SELECT call_id FROM calls WHERE content_sha256 = ?",
                                     (content_hash(call),)).fetchone()
        return row[0] if row else None

    def set_predictions(self, call_id: str, call: Call, *, model_id: str | None = None) -> int:
        """Record a new prediction set for a stored call (it becomes the current one).

        ``call`` is the stored call annotated again (e.g. ``annotate([store.get_call(id)], model)[0]``).
        Returns the id of the prediction set.
        """
        with self._write() as db:
            n = self._n_passages(db, call_id)
            if not any(p.predictions for p in call.passages):
                raise StoreError(f"call {call_id!r}: the call given carries no predictions",
                                 path=str(self.path), hint="annotate it with a model first")
            _check_same_passages(n, call, call_id, self.path)
            return _insert_predictions(db, call_id, call, model_id or _model_id_of(call))

    def get_call(self, call_id: str) -> Call:
        """The call as the manager sees it now.

        Passages carry the current predictions. A passage's behavior/stage is the
        manager's label where one was decided (accept: the label accepted; relabel: the
        new label; skip: None), else the current prediction's label, else the label the
        call was imported with. Seller and outcome are the latest set, else as imported.
        It is the ``call`` of :meth:`review`.
        """
        return self.review(call_id).call

    def review(self, call_id: str) -> CallReview:
        """The call's review as the store holds it now: the call as :meth:`get_call`
        describes it, the current decision per passage and task, the comments, the
        feedback, the status (:func:`~callreview.review.review_status`), who edited it
        and when. This is the one place the review state is derived from the history;
        after an edit, ask for it again.

        Reading a call again is cheap: the call's text and its current predictions are
        kept parsed for the last few calls read, so only its events are read.
        """
        with self._read() as db:
            base = self._base(db, call_id)
            rows = db.execute(f"SELECT {_EVENT_COLUMNS} FROM live_events WHERE call_id = ? ORDER BY id",
                              (call_id,)).fetchall()
        return _review_of(base, [_event(r) for r in rows])

    def _base(self, db: sqlite3.Connection, call_id: str) -> Call:
        """The stored call with its current predictions and their labels, before any edit."""
        current = _current_set(db, call_id)
        set_id = current[0] if current is not None else None
        kept = self._bases.get(call_id)
        if kept is not None and kept[0] == set_id:
            self._bases.move_to_end(call_id)
            return kept[1]
        row = _call_row(db, call_id, self.path)
        base = _base_call(row, _current_predictions(db, [call_id]).get(call_id, {}), reviewed=False)
        self._bases[call_id] = (set_id, base)
        while len(self._bases) > _BASES_KEPT:
            self._bases.popitem(last=False)
        return base

    def list_calls(self, *, unsure_below: float = UNSURE_MARGIN) -> list[CallSummary]:
        """Every stored call, in the order they were added, with its review progress."""
        with self._read() as db:
            rows = db.execute(
                "SELECT call_id, title, seller, outcome, n_passages, added_at, json_extract(data, '$.kind'),"
                " json_extract(data, '$.activity') FROM calls ORDER BY id"
            ).fetchall()
            latest = _latest_call_values(db)
            edited = dict(db.execute(
                f"SELECT call_id, COUNT(*) FROM live_events WHERE kind IN {_sql_list(PROGRESS_KINDS)}"
                " GROUP BY call_id").fetchall())
            # the passages with a decision and their tasks decided; a passage with every task
            # decided is reviewed whatever the model labeled (passage_reviewed), so the
            # tasks the model labeled are read only for the others
            n_decided: Counter[str] = Counter()
            n_reviewed: Counter[str] = Counter()
            partly: dict[tuple[str, int], set[str]] = {}
            decided: dict[tuple[str, int], set[str]] = {}
            for cid, passage, task in db.execute(
                    "SELECT call_id, passage, task FROM live_events WHERE kind = 'decision'"):
                decided.setdefault((cid, passage), set()).add(task)
            for (cid, passage), tasks in decided.items():
                n_decided[cid] += 1
                if passage_reviewed((), tasks):
                    n_reviewed[cid] += 1
                else:
                    partly[(cid, passage)] = tasks
            predicted = _predicted_tasks(db, list(partly))
            for (cid, passage), tasks in partly.items():
                n_reviewed[cid] += passage_reviewed(predicted.get((cid, passage), ()), tasks)
            unsure = dict(db.execute(
                _CURRENT_SETS + """
                SELECT cur.call_id, COUNT(DISTINCT p.passage)
                FROM cur JOIN predictions AS p ON p.set_id = cur.set_id
                WHERE p.margin < ? AND p.task IN {_TASK_LIST}
                  AND NOT EXISTS (SELECT 1 FROM live_events AS e WHERE e.call_id = cur.call_id
                                  AND e.kind = 'decision' AND e.passage = p.passage AND e.task = p.task)
                GROUP BY cur.call_id""".format(_TASK_LIST=_TASK_LIST),
                (unsure_below,),
            ).fetchall())
            models = dict(db.execute(
                _CURRENT_SETS + "SELECT cur.call_id, s.model_id FROM cur JOIN prediction_sets AS s"
                " ON s.id = cur.set_id").fetchall())
        out = []
        for cid, title, seller, outcome, n, added, kind, activity in rows:
            values = latest.get(cid, {})
            out.append(CallSummary(
                call_id=cid, title=title, kind=kind if isinstance(kind, str) else "transcript",
                activity=activity if isinstance(activity, str) else None,
                seller=values["seller"] if "seller" in values else seller,
                added_at=added,
                outcome=values["outcome"] if "outcome" in values else outcome,
                status=review_status(values.get("status"), bool(edited.get(cid))),
                n_passages=n, n_unsure=unsure.get(cid, 0),
                n_decided=n_decided[cid], n_reviewed=n_reviewed[cid], model_id=models.get(cid),
            ))
        return out

    # --------------------------------------------------------------- decisions

    def decide(self, call_id: str, index: int, task: str, action: str, label: str | None = None,
               reviewer: str | None = None) -> int:
        """Record a manager's decision on one passage and task; returns the event id.

        ``action`` is "accept" (the current prediction's label), "relabel" (to
        ``label``) or "skip" (no label for this task on this passage).
        """
        if action not in ACTIONS:
            raise StoreError(f"unknown action {action!r}", hint="use one of: " + ", ".join(ACTIONS))
        if task not in DECIDABLE:
            raise StoreError(f"unknown task {task!r}", hint="use one of: " + ", ".join(DECIDABLE))
        if action == "relabel" and not (label and label.strip()):
            raise StoreError("relabel needs the new label", hint="pass label=...")
        if action == "skip" and label is not None:
            raise StoreError("skip takes no label", hint="use relabel to set a label")
        with self._write() as db:
            self._check_passage(db, call_id, index)
            if action == "accept":
                row = db.execute(
                    _CURRENT_SETS + "SELECT p.label FROM cur JOIN predictions AS p ON p.set_id = cur.set_id"
                    " WHERE cur.call_id = ? AND p.passage = ? AND p.task = ?",
                    (call_id, index, task),
                ).fetchone()
                if row is None:
                    raise StoreError(f"call {call_id!r} passage {index}: no {task} prediction to accept",
                                     path=str(self.path), hint="relabel it, or annotate the call with a model")
                if label is not None and label != row[0]:
                    raise StoreError(f"accept takes the predicted {task} {row[0]!r}, not {label!r}",
                                     path=str(self.path), hint="use relabel to set another label")
                label = row[0]
            return _insert_event(db, call_id, "decision", passage=index, task=task, action=action,
                                 value=label.strip() if label else None,
                                 reviewer=reviewer or default_reviewer())

    def comment(self, call_id: str, index: int, text: str, reviewer: str | None = None) -> int:
        """Add a comment on one passage; returns the event id."""
        if not text or not text.strip():
            raise StoreError("a comment needs some text")
        with self._write() as db:
            self._check_passage(db, call_id, index)
            return _insert_event(db, call_id, "comment", passage=index, value=text.strip(),
                                 reviewer=reviewer or default_reviewer())

    def comments(self, call_id: str) -> list[Comment]:
        """The comments of a call that were not undone, oldest first."""
        with self._read() as db:
            _call_row(db, call_id, self.path)
            rows = db.execute("SELECT id, passage, value, reviewer, at FROM live_events"
                              " WHERE call_id = ? AND kind = 'comment' ORDER BY id", (call_id,)).fetchall()
        return [Comment(id=i, call_id=call_id, index=p, text=t, reviewer=r, at=a) for i, p, t, r, a in rows]

    def set_feedback(self, call_id: str, *, reviewer: str | None = None, **fields: str | None) -> int:
        """Set some call-level feedback fields (strengths, improve, focus, notes).

        Fields not named keep their value; None clears one. One undo takes back the
        whole call of this method.
        """
        unknown = sorted(set(fields) - set(FEEDBACK_FIELDS))
        if unknown or not fields:
            raise StoreError(f"unknown feedback field {', '.join(unknown)}" if unknown else "no feedback given",
                             hint="feedback fields are: " + ", ".join(FEEDBACK_FIELDS))
        clean = {k: (v.strip() or None) if isinstance(v, str) else None for k, v in fields.items()}
        with self._write() as db:
            self._n_passages(db, call_id)
            return _insert_event(db, call_id, "feedback", value=json.dumps(clean, ensure_ascii=False),
                                 reviewer=reviewer or default_reviewer())

    def feedback(self, call_id: str) -> Feedback:
        """The call's current feedback (each field from the latest change not undone)."""
        with self._read() as db:
            _call_row(db, call_id, self.path)
            rows = db.execute("SELECT value FROM live_events WHERE call_id = ? AND kind = 'feedback'"
                              " ORDER BY id", (call_id,)).fetchall()
        return _merged_feedback(value for (value,) in rows)

    def set_outcome(self, call_id: str, outcome: str | None, reviewer: str | None = None) -> int:
        """Set the call's outcome label (None: unknown); returns the event id."""
        return self._set_value(call_id, "outcome", (outcome or "").strip() or None, reviewer)

    def set_status(self, call_id: str, status: str, reviewer: str | None = None) -> int:
        """Set the review status ("new", "in_progress", "done"); returns the event id.

        Until it is set, a call's status is "new", or "in_progress" once it has a
        decision, comment, feedback or outcome (:func:`~callreview.review.review_status`).
        """
        if status not in STATUSES:
            raise StoreError(f"unknown review status {status!r}", hint="use one of: " + ", ".join(STATUSES))
        return self._set_value(call_id, "status", status, reviewer)

    def set_seller(self, call_id: str, seller: str | None, reviewer: str | None = None) -> int:
        """Name the seller being coached on this call; returns the event id."""
        return self._set_value(call_id, "seller", (seller or "").strip() or None, reviewer)

    def _set_value(self, call_id: str, kind: str, value: str | None, reviewer: str | None) -> int:
        with self._write() as db:
            self._n_passages(db, call_id)
            return _insert_event(db, call_id, kind, value=value, reviewer=reviewer or default_reviewer())

    # ----------------------------------------------------------------- history

    def undo(self, call_id: str | None = None, reviewer: str | None = None) -> Event | None:
        """Take back the latest edit not yet undone (of one call, or of any call).

        Appends an ``undo`` event; returns the event taken back (``undone=True``),
        or None when there is nothing left to undo. Undo events are not themselves undone.
        """
        with self._write() as db:
            if call_id is not None:
                self._n_passages(db, call_id)
            row = db.execute(
                f"SELECT {_EVENT_COLUMNS} FROM live_events WHERE (?1 IS NULL OR call_id = ?1)"
                " ORDER BY id DESC LIMIT 1", (call_id,)).fetchone()
            if row is None:
                return None
            _insert_event(db, row[1], "undo", undoes=row[0], reviewer=reviewer or default_reviewer())
        return replace(_event(row), undone=True)

    def history(self, call_id: str) -> list[Event]:
        """Every event of a call, oldest first, including undo events; undone ones are marked."""
        with self._read() as db:
            _call_row(db, call_id, self.path)
            rows = db.execute(
                f"SELECT {_EVENT_COLUMNS}, EXISTS (SELECT 1 FROM events AS u WHERE u.undoes = events.id)"
                " FROM events WHERE call_id = ? ORDER BY id", (call_id,)).fetchall()
        return [replace(_event(r[:-1]), undone=bool(r[-1])) for r in rows]

    def event_ids(self) -> set[int]:
        """The ids of all recorded events (for checks and tools)."""
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT id FROM events")}

    # -------------------------------------------------------- review results

    def reviewed_calls(self) -> list[Call]:
        """The reviewed calls as training data, in the order they were added.

        Only passages with a decision keep a label for that task (accept: the label
        accepted; relabel: the manager's label); skipped and undecided tasks have no
        label. Calls without any decision are left out. Seller and outcome are current.
        """
        with self._read() as db:
            rows = db.execute(
                "SELECT call_id, data, source, roles_inferred FROM calls AS c WHERE EXISTS"
                " (SELECT 1 FROM live_events AS e WHERE e.call_id = c.call_id AND e.kind = 'decision')"
                " ORDER BY c.id").fetchall()
            events = db.execute(
                "SELECT call_id, kind, passage, task, action, value FROM live_events"
                " WHERE kind IN ('decision', 'seller', 'outcome') ORDER BY id").fetchall()
        labels: dict[str, dict[tuple[int, str], str | None]] = {}
        values: dict[str, dict[str, str | None]] = {}
        for cid, kind, passage, task, _action, value in events:
            if kind == "decision":
                labels.setdefault(cid, {})[(passage, task)] = value  # accept/relabel: the label; skip: None
            else:
                values.setdefault(cid, {})[kind] = value
        return [_decided(_base_call(row, {}, reviewed=True), labels.get(row[0], {}), values.get(row[0], {}))
                for row in rows]

    def decisions_by_reviewer(self) -> Ratings:
        """Each reviewer's current decision per passage and task, for agreement:
        ``{task: {reviewer: {(call_id, index): label or None (skipped)}}}``."""
        with self._read() as db:
            rows = db.execute("SELECT call_id, passage, task, value, reviewer FROM live_events"
                              " WHERE kind = 'decision' ORDER BY id").fetchall()
        out: Ratings = {}
        for cid, passage, task, value, reviewer in rows:
            out.setdefault(task, {}).setdefault(reviewer or "unknown", {})[(cid, passage)] = value
        return out

    def queue(self, limit: int | None = 20, *, include_done: bool = False) -> list[QueueItem]:
        """Undecided passages across calls, the model's least certain first.

        A passage is queued while one of its tasks has a current prediction and no
        decision; its margin is the smallest margin among those tasks. Ties go by the
        order calls were added, then passage order. Calls marked done are left out
        unless ``include_done``. Passages the model has not scored are not queued.
        """
        with self._read() as db:
            rows = db.execute(
                _CURRENT_SETS + """,
                open_tasks AS (
                    SELECT c.id AS seq, cur.call_id AS call_id, p.passage AS passage, p.task AS task,
                           p.margin AS margin
                    FROM cur JOIN calls AS c ON c.call_id = cur.call_id
                    JOIN predictions AS p ON p.set_id = cur.set_id
                    WHERE p.task IN {_TASK_LIST}
                      AND (?1 OR cur.call_id NOT IN ({_DONE_CALLS}))
                      AND NOT EXISTS (SELECT 1 FROM live_events AS e WHERE e.call_id = cur.call_id
                                      AND e.kind = 'decision' AND e.passage = p.passage AND e.task = p.task))
                SELECT call_id, passage, task, MIN(margin) AS m, seq FROM open_tasks
                GROUP BY call_id, passage ORDER BY m, seq, passage LIMIT ?2""".format(
                    _TASK_LIST=_TASK_LIST, _DONE_CALLS=_DONE_CALLS),
                (int(include_done), -1 if limit is None else max(0, limit)),
            ).fetchall()
            ids = sorted({r[0] for r in rows})
            data = {}
            for chunk in _chunks(ids):
                data.update((cid, _stored_json(d, cid, self.path)) for cid, d in db.execute(
                    f"SELECT call_id, data FROM calls WHERE call_id IN ({_marks(chunk)})", chunk))
            preds = _current_predictions(db, ids)
        items = []
        for cid, passage, task, margin, _seq in rows:
            try:
                pd = data[cid]["passages"][passage]
                str(pd["text"])
            except (KeyError, IndexError, TypeError):
                raise _damaged(cid, self.path) from None
            items.append(QueueItem(call_id=cid, index=passage, task=task, margin=float(margin),
                                   text=pd["text"], speaker=pd.get("speaker"), role=pd.get("role"),
                                   predictions=preds.get(cid, {}).get(passage, {})))
        return items

    # ----------------------------------------------------------------- helpers

    def _n_passages(self, db: sqlite3.Connection, call_id: str) -> int:
        row = db.execute("SELECT n_passages FROM calls WHERE call_id = ?", (call_id,)).fetchone()
        if row is None:
            raise _no_call(call_id, self.path)
        return int(row[0])

    def _check_passage(self, db: sqlite3.Connection, call_id: str, index: int) -> None:
        n = self._n_passages(db, call_id)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
            raise StoreError(f"call {call_id!r} has no passage {index!r} (it has passages 0 to {n - 1})",
                             path=str(self.path))


# --------------------------------------------------------------------- schema

def _check_header(p: Path) -> None:
    """Refuse, without opening it with SQLite, a file that is not a SQLite database."""
    try:
        with p.open("rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot read the store file ({exc.strerror or exc})", path=str(p),
                         hint=_LOCATION_HINT) from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError("this file is not a callreview store (not a SQLite database)", path=str(p),
                         hint="callreview left it untouched; pass the right file with --store PATH, "
                              "or move this one aside to start a new store")


def _check_schema(conn: sqlite3.Connection, p: Path) -> None:
    """Refuse a foreign database or one from a newer callreview before anything is written."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        n_tables = conn.execute("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _error_from_sqlite(exc, p) from None
    if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or n_tables):
        raise StoreError("this SQLite database is not a callreview store", path=str(p),
                         hint="callreview left it untouched; pass the right file with --store PATH")
    if version > SCHEMA_VERSION:
        raise StoreError(f"this store was made by a newer callreview (schema {version}; "
                         f"this callreview reads up to {SCHEMA_VERSION})", path=str(p),
                         hint="upgrade callreview (pip install -U callreview); the store was left untouched")


def _check_writable(conn: sqlite3.Connection) -> None:
    """Fail now, not at the manager's first decision, if the store cannot be written.

    SQLite silently opens a write-protected file read-only; a no-op header write in a
    transaction that is rolled back finds out without changing the file.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {version:d}")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _migrate(conn: sqlite3.Connection, p: Path) -> None:
    """Bring the schema up to :data:`SCHEMA_VERSION`, all steps in one transaction."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for stmt in _statements(MIGRATIONS[target - 1]):
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {target:d}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# ---------------------------------------------------------------- row helpers

_CURRENT_SETS = "WITH cur AS (SELECT call_id, MAX(id) AS set_id FROM prediction_sets GROUP BY call_id)\n"
# the tasks a manager decides, as an SQL list (constants, not user input)
def _sql_list(names: Iterable[str]) -> str:
    """Constant names (not user input) as an SQL list: ``('a', 'b')``."""
    return "(" + ", ".join("'" + n.replace("'", "''") + "'" for n in names) + ")"


_TASK_LIST = _sql_list(TASKS)
# calls whose latest status (not undone) is "done"
_DONE_CALLS = ("SELECT s.call_id FROM live_events AS s WHERE s.kind = 'status' AND s.value = 'done'"
               " AND s.id = (SELECT MAX(s2.id) FROM live_events AS s2"
               " WHERE s2.call_id = s.call_id AND s2.kind = 'status')")
_EVENT_COLUMNS = "id, call_id, kind, at, reviewer, passage, task, action, value, undoes"


def _event(row: tuple) -> Event:
    return Event(id=row[0], call_id=row[1], kind=row[2], at=row[3], reviewer=row[4], index=row[5],
                 task=row[6], action=row[7], value=row[8], undoes=row[9])


def _no_call(call_id: str, path: Path) -> StoreError:
    return StoreError(f"no call {call_id!r} in the review store", path=str(path),
                      hint="see the stored calls with: callreview reviews list")


def _call_row(db: sqlite3.Connection, call_id: str, path: Path) -> tuple:
    row = db.execute("SELECT call_id, data, source, roles_inferred FROM calls WHERE call_id = ?",
                     (call_id,)).fetchone()
    if row is None:
        raise _no_call(call_id, path)
    return row


def _insert_event(db: sqlite3.Connection, call_id: str, kind: str, *, passage: int | None = None,
                  task: str | None = None, action: str | None = None, value: str | None = None,
                  reviewer: str | None = None, undoes: int | None = None) -> int:
    cur = db.execute(
        "INSERT INTO events (call_id, kind, passage, task, action, value, reviewer, at, undoes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (call_id, kind, passage, task, action, value, reviewer, _now(), undoes),
    )
    return int(cur.lastrowid)


def _model_id_of(call: Call) -> str | None:
    for p in call.passages:
        for pred in p.predictions.values():
            if pred.model_id:
                return pred.model_id
    return None


def _check_same_passages(n: int, call: Call, call_id: str, path: Path) -> None:
    if len(call.passages) != n:
        raise StoreError(f"call {call_id!r}: the predictions are for {len(call.passages)} passages, "
                         f"the stored call has {n}", path=str(path),
                         hint="annotate the stored call (store.get_call) rather than another version of it")


def _insert_predictions(db: sqlite3.Connection, call_id: str, call: Call, model_id: str | None) -> int:
    set_id = int(db.execute("INSERT INTO prediction_sets (call_id, model_id, added_at) VALUES (?, ?, ?)",
                            (call_id, model_id, _now())).lastrowid)
    db.executemany(
        "INSERT INTO predictions (set_id, passage, task, label, margin, data) VALUES (?, ?, ?, ?, ?, ?)",
        [(set_id, i, task, pred.label, round(float(pred.margin), 6), json.dumps(pred.to_json(), ensure_ascii=False))
         for i, p in enumerate(call.passages) for task, pred in p.predictions.items()],
    )
    return set_id


def _current_set(db: sqlite3.Connection, call_id: str) -> tuple[int, str | None] | None:
    row = db.execute("SELECT id, model_id FROM prediction_sets WHERE call_id = ? ORDER BY id DESC LIMIT 1",
                     (call_id,)).fetchone()
    return (row[0], row[1]) if row else None


def _current_seller(db: sqlite3.Connection, call_id: str) -> str | None:
    row = db.execute("SELECT value FROM live_events WHERE call_id = ? AND kind = 'seller'"
                     " ORDER BY id DESC LIMIT 1", (call_id,)).fetchone()
    if row is not None:
        return row[0]
    return db.execute("SELECT seller FROM calls WHERE call_id = ?", (call_id,)).fetchone()[0]


def _damaged(call_id: str, path: Path | None, what: str = "its text") -> StoreError:
    return StoreError(f"the stored call {call_id!r} is damaged ({what} cannot be read)",
                      path=str(path) if path else None,
                      hint="callreview left the store untouched; restore it from a backup, or move it aside "
                           "and add the calls again with: callreview reviews add FILE")


def _stored_json(data: Any, call_id: str, path: Path | None) -> Any:
    """JSON written by this store, read back; damage (bad JSON, absurd nesting, wrong
    type) is a :class:`StoreError` naming the call, never a traceback."""
    try:
        return json.loads(data)
    except (ValueError, TypeError, RecursionError):
        raise _damaged(call_id, path) from None


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(items: list[Any]) -> str:
    return ", ".join("?" * len(items))


def _current_predictions(db: sqlite3.Connection, call_ids: list[str]) -> dict[str, dict[int, dict[str, Prediction]]]:
    rows: list[tuple] = []
    for chunk in _chunks(call_ids):
        rows += db.execute(
            _CURRENT_SETS + "SELECT cur.call_id, p.passage, p.task, p.data FROM cur"
            f" JOIN predictions AS p ON p.set_id = cur.set_id WHERE cur.call_id IN ({_marks(chunk)})"
            " ORDER BY p.passage", chunk,
        ).fetchall()
    out: dict[str, dict[int, dict[str, Prediction]]] = {}
    for cid, passage, task, data in rows:
        try:
            pred = Prediction.from_json(_stored_json(data, cid, None))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise _damaged(cid, None, f"the prediction of passage {passage}") from None
        out.setdefault(cid, {}).setdefault(passage, {})[task] = pred
    return out


def _predicted_tasks(db: sqlite3.Connection, passages: list[tuple[str, int]]) -> dict[tuple[str, int], set[str]]:
    """(call_id, passage) -> the tasks the call's current predictions label on it."""
    by_call: dict[str, list[int]] = {}
    for cid, passage in passages:
        by_call.setdefault(cid, []).append(passage)
    out: dict[tuple[str, int], set[str]] = {}
    for cid, indexes in by_call.items():
        for chunk in _chunks(indexes):
            for passage, task in db.execute(
                    "SELECT passage, task FROM predictions WHERE set_id ="
                    " (SELECT MAX(id) FROM prediction_sets WHERE call_id = ?)"
                    f" AND passage IN ({_marks(chunk)})", (cid, *chunk)):
                out.setdefault((cid, passage), set()).add(task)
    return out


def _latest_call_values(db: sqlite3.Connection) -> dict[str, dict[str, str | None]]:
    """call_id -> {"seller"/"outcome"/"status": latest value not undone}."""
    out: dict[str, dict[str, str | None]] = {}
    for cid, kind, value in db.execute("SELECT call_id, kind, value FROM live_events"
                                       " WHERE kind IN ('seller', 'outcome', 'status') ORDER BY id"):
        out.setdefault(cid, {})[kind] = value
    return out


def _free_call_id(db: sqlite3.Connection, wanted: str) -> str:
    """The call's own id, or ``id-2``, ``id-3``... when another call already has it."""
    candidate, n = wanted, 1
    while db.execute("SELECT 1 FROM calls WHERE call_id = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def _base_call(row: tuple, preds: Mapping[int, Mapping[str, Prediction]], *, reviewed: bool) -> Call:
    """A stored call before any edit: with ``preds`` (its current predictions) and their
    labels, else the labels it was imported with. ``reviewed``: with no labels at all."""
    cid, data, source, roles_inferred = row
    try:
        call = call_from_json(_stored_json(data, cid, None))
    except InputError:
        raise _damaged(cid, None) from None
    passages: list[Passage] = []
    for i, p in enumerate(call.passages):
        pp = preds.get(i, {})
        new: dict[str, Any] = {"index": i, "predictions": dict(pp)}
        for task in TASKS:
            if reviewed:
                new[task] = None
            elif task in pp:
                new[task] = pp[task].label
        if call.is_plan and ("element" in pp or reviewed):  # a plan line's element, as the tasks above
            extra = {k: v for k, v in p.extra.items() if k != "element"}
            if not reviewed:
                extra["element"] = pp["element"].label
            new["extra"] = extra
        passages.append(replace(p, **new))
    return replace(call, call_id=cid, passages=tuple(passages), source=source, roles_inferred=bool(roles_inferred))


def _decided(base: Call, labels: Mapping[tuple[int, str], str | None], values: Mapping[str, str | None]) -> Call:
    """The call with the manager's labels, ``(index, task) -> label`` (accept/relabel: the
    label; skip: None), and the latest ``values`` of seller and outcome."""
    by_passage: dict[int, dict[str, Any]] = {}  # passage -> {task: label}
    for (i, task), label in labels.items():
        by_passage.setdefault(i, {})[task] = label
    passages = list(base.passages)
    for i, new in by_passage.items():
        extra = {t: v for t, v in new.items() if t not in TASKS}  # a plan line's element lives in extra
        fields = {t: v for t, v in new.items() if t in TASKS}
        if extra:
            kept = {k: v for k, v in passages[i].extra.items() if k not in extra}
            fields["extra"] = {**kept, **{k: v for k, v in extra.items() if v is not None}}
        passages[i] = replace(passages[i], **fields)
    return replace(
        base,
        passages=tuple(passages),
        seller=values["seller"] if "seller" in values else base.seller,
        outcome=values["outcome"] if "outcome" in values else base.outcome,
    )


def _merged_feedback(values: Iterable[str]) -> Feedback:
    """The feedback from its events' JSON, oldest first: each field from the latest that set it."""
    merged: dict[str, str | None] = {}
    for value in values:
        try:
            merged.update(json.loads(value))
        except (ValueError, TypeError, RecursionError):
            continue  # a damaged feedback event: the others still count
    return Feedback(**{k: v for k, v in merged.items() if k in FEEDBACK_FIELDS})


def _review_of(base: Call, events: Iterable[Event]) -> CallReview:
    """A call's review from its live events, oldest first (see :meth:`Store.review`)."""
    decisions: dict[tuple[int, str], Decision] = {}
    comments: dict[int, list[Comment]] = {}
    feedback: list[str] = []
    latest: dict[str, str | None] = {}  # outcome, status, seller
    reviewers: dict[str, None] = {}
    reviewed_at: str | None = None
    edited = False
    n = len(base.passages)
    for e in events:
        if e.kind not in EDIT_KINDS:
            continue
        if e.kind == "decision" and e.index is not None and e.task and e.action:
            pred = base.passages[e.index].predictions.get(e.task) if 0 <= e.index < n else None
            decisions[(e.index, e.task)] = Decision(e.index, e.task, e.action, e.value, pred, e.reviewer, e.at)
        elif e.kind == "comment" and e.index is not None:
            comments.setdefault(e.index, []).append(
                Comment(id=e.id, call_id=base.call_id, index=e.index, text=e.value or "", reviewer=e.reviewer,
                        at=e.at))
        elif e.kind == "feedback" and e.value:
            feedback.append(e.value)
        elif e.kind in ("outcome", "status", "seller"):
            latest[e.kind] = e.value
        edited = edited or e.kind in PROGRESS_KINDS
        if e.reviewer:
            reviewers.setdefault(e.reviewer, None)
        if reviewed_at is None or e.at > reviewed_at:
            reviewed_at = e.at
    return CallReview(
        call=_decided(base, {k: d.label for k, d in decisions.items()}, latest),
        decisions=decisions,
        comments={i: tuple(cs) for i, cs in comments.items()},
        feedback=_merged_feedback(feedback),
        status=review_status(latest.get("status"), edited),
        reviewers=tuple(reviewers),
        reviewed_at=reviewed_at,
    )
