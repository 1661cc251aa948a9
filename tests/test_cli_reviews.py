"""``callreview reviews list|export|add``, ``queue`` and ``agreement`` on a store filled
through the API (no model is run: calls carry hand-written predictions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import call_from_json, read_corpus
from callreview.store import SCHEMA_VERSION, Store

DATA = Path(__file__).parent / "data" / "store"
NORTHWIND, ACME, GLOBEX = "northwind-0412", "acme-0101", "globex-notes"


@pytest.fixture
def store_file(tmp_path) -> Path:
    """Three calls; ana and ben both reviewed northwind's behaviors, ana also acme's."""
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        # ana: agenda, buyer_info, situation_question, buyer_info; ben agrees on 3 of 4
        st.decide(NORTHWIND, 0, "behavior", "accept", reviewer="ana")
        st.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ana")
        st.decide(NORTHWIND, 2, "behavior", "accept", reviewer="ana")
        st.decide(NORTHWIND, 3, "behavior", "accept", reviewer="ana")
        st.decide(NORTHWIND, 0, "behavior", "accept", reviewer="ben")
        st.decide(NORTHWIND, 1, "behavior", "accept", reviewer="ben")  # buyer_need
        st.decide(NORTHWIND, 2, "behavior", "accept", reviewer="ben")
        st.decide(NORTHWIND, 3, "behavior", "accept", reviewer="ben")
        st.decide(NORTHWIND, 1, "stage", "skip", reviewer="ben")
        st.decide(ACME, 0, "behavior", "relabel", "buyer_objection", reviewer="ana")
        st.set_outcome(ACME, "no_sale")
        st.set_status(ACME, "done")
    return path


def run(*args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


# ------------------------------------------------------------------- list

def test_list_shows_each_calls_review_progress(store_file):
    result = run("reviews", "list", "--store", str(store_file))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["CALL", "STATUS", "DECIDED", "UNSURE", "OUTCOME"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows[NORTHWIND][1:4] == ["in_progress", "4/4", "0"]
    assert rows[ACME][1:5] == ["done", "1/3", "1", "no_sale"]
    assert rows[GLOBEX][1:4] == ["new", "0/3", "0"]


def test_list_json_gives_every_field(store_file):
    result = run("reviews", "list", "--json", "--store", str(store_file))
    data = {row["call_id"]: row for row in json.loads(result.stdout)}
    assert data[ACME] | {"added_at": None} == {
        "call_id": ACME, "title": "Acme Billing - follow-up", "seller": None, "added_at": None,
        "outcome": "no_sale", "status": "done", "n_passages": 3, "n_unsure": 1, "n_decided": 1,
        "n_reviewed": 0, "model_id": "test-model-1", "kind": "transcript", "activity": None}


def test_list_of_an_empty_store_says_how_to_add_calls(tmp_path):
    result = run("reviews", "list", "--store", str(tmp_path / "new.sqlite3"))
    assert result.exit_code == 0 and result.stdout == ""
    assert "callreview reviews add" in result.stderr


def test_the_store_comes_from_the_environment_without_store_option(store_file):
    result = run("reviews", "list", "--json", env={"CALLREVIEW_STORE": str(store_file)})
    assert [row["call_id"] for row in json.loads(result.stdout)] == [NORTHWIND, ACME, GLOBEX]


# ----------------------------------------------------------------- export

def test_export_writes_reviewed_calls_as_a_training_corpus(store_file, tmp_path):
    out = tmp_path / "reviewed.jsonl"
    result = run("reviews", "export", "--format", "jsonl", "-o", str(out), "--store", str(store_file))
    assert result.exit_code == 0
    assert "wrote 2 reviewed calls" in result.stderr
    calls = {c.call_id: c for c in read_corpus(out)}
    assert list(calls) == [NORTHWIND, ACME]  # globex has no decisions
    # the latest decision per passage counts (ben's came after ana's)
    assert [p.behavior for p in calls[NORTHWIND].passages] == [
        "agenda", "buyer_need", "situation_question", "buyer_info"]
    assert [p.stage for p in calls[NORTHWIND].passages] == [None, None, None, None]
    assert [p.behavior for p in calls[ACME].passages] == ["buyer_objection", None, None]
    assert calls[ACME].outcome == "no_sale"
    assert not any(p.predictions for c in calls.values() for p in c.passages)


def test_export_to_standard_output(store_file):
    result = run("reviews", "export", "--store", str(store_file))
    lines = result.stdout.splitlines()
    assert [call_from_json(json.loads(line)).call_id for line in lines] == [NORTHWIND, ACME]


def test_export_with_nothing_reviewed_warns_and_writes_nothing(tmp_path):
    result = run("reviews", "export", "--store", str(tmp_path / "new.sqlite3"))
    assert result.exit_code == 0 and result.stdout == ""
    assert "warning: no reviewed calls yet" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--format", "csv"], "unknown export format 'csv'"),
    (["-o", "."], "not a file"),
    (["-o", "no/such/folder/out.jsonl"], "the folder does not exist"),
])
def test_export_problems_are_one_line_errors(store_file, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("reviews", "export", *args, "--store", str(store_file))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "hint: " in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ queue

def test_queue_lists_the_least_certain_undecided_passages_first(store_file):
    result = run("queue", "--store", str(store_file))
    assert result.exit_code == 0
    heads = [line.split()[:4] for line in result.stdout.splitlines() if not line.startswith(" ")]
    # every northwind behavior and passage 1's stage (skipped) are decided; acme is done
    assert heads == [
        ["0.75", NORTHWIND, "#3", "stage:"],
        ["0.85", NORTHWIND, "#0", "stage:"],
        ["0.92", NORTHWIND, "#2", "stage:"],
    ]
    assert "Sam Lee: About four hundred, more after the holidays." in result.stdout
    assert "stage: discovery 85% vs presentation 10%" in result.stdout


def test_queue_json_with_a_limit(store_file):
    result = run("queue", "--limit", "1", "--json", "--store", str(store_file))
    (item,) = json.loads(result.stdout)
    assert (item["call_id"], item["index"], item["task"], item["margin"]) == (NORTHWIND, 3, "stage", 0.75)
    assert item["predictions"]["stage"]["label"] == "discovery"


def test_queue_rejects_a_bad_limit(store_file):
    result = run("queue", "--limit", "0", "--store", str(store_file))
    assert result.exit_code == 2 and result.stderr.startswith("error: --limit must be")


# -------------------------------------------------------------- agreement

def test_agreement_reports_kappa_for_two_reviewers(store_file):
    # behavior, 4 passages both labeled, 3 agree: raw 0.75.
    # ana: agenda, buyer_info x2, situation_question; ben: agenda, buyer_need, situation_question,
    # buyer_info. p_e = (1*1 + 2*1 + 1*1 + 0*1) / 16 = 0.25, kappa = (0.75 - 0.25) / 0.75 = 2/3
    result = run("agreement", "--json", "--store", str(store_file))
    data = json.loads(result.stdout)
    behavior = data["behavior"]
    assert behavior["reviewers"] == ["ana", "ben"]
    assert behavior["n_items"] == 5 and behavior["n_compared"] == 4  # acme 0: ana only
    assert behavior["raw"] == pytest.approx(0.75)
    assert behavior["kappa"] == pytest.approx(2 / 3)
    assert data["stage"]["n_items"] == 0  # ben's only stage decision was a skip
    text = run("agreement", "--store", str(store_file)).stdout
    assert "raw agreement 0.75   Cohen's kappa 0.67" in text


# ------------------------------------------------------------------- add

class FakeModel:
    id = "test-model-1"


def test_add_keeps_calls_once_and_reports_what_it_did(tmp_path, monkeypatch):
    import callreview.artifacts
    import callreview.classify

    # calls.jsonl already carries predictions: "annotating" returns them as they are
    monkeypatch.setattr(callreview.artifacts, "load_model", lambda path=None: FakeModel())
    monkeypatch.setattr(callreview.classify, "annotate", lambda calls, model, **kw: list(calls))
    store = tmp_path / "reviews.sqlite3"
    first = run("reviews", "add", str(DATA / "calls.jsonl"), "--seller", "Dana Ortiz", "--store", str(store))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"added {NORTHWIND} (4 passages)", f"added {ACME} (3 passages)", f"added {GLOBEX} (3 passages)"]
    again = run("reviews", "add", str(DATA / "calls.jsonl"), "--store", str(store))
    assert again.stdout.splitlines()[0] == f"already in the store: {NORTHWIND} (review kept)"
    with Store.open(store) as st:
        assert [(s.call_id, s.seller) for s in st.list_calls()] == [
            (NORTHWIND, "Dana Ortiz"), (ACME, "Dana Ortiz"), (GLOBEX, "Dana Ortiz")]


def test_add_of_a_missing_file_is_an_error_and_adds_nothing(tmp_path):
    store = tmp_path / "reviews.sqlite3"
    result = run("reviews", "add", str(tmp_path / "nope.vtt"), "--store", str(store))
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    with Store.open(store) as st:
        assert st.list_calls() == []


# ---------------------------------------------------------- store problems

@pytest.mark.parametrize("command", [["reviews", "list"], ["reviews", "export"], ["queue"], ["agreement"]])
def test_a_bad_store_file_is_a_one_line_error_and_left_untouched(tmp_path, command):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a store\n", encoding="utf-8")
    result = run(*command, "--store", str(bad))
    assert result.exit_code == 2
    first, second = result.stderr.splitlines()[:2]
    assert first.startswith(f"error: {bad}: ") and "not a SQLite database" in first
    assert second.startswith("hint: ")
    assert bad.read_text(encoding="utf-8") == "not a store\n"


def test_a_store_from_a_newer_callreview_says_to_upgrade(tmp_path):
    import sqlite3

    path = tmp_path / "reviews.sqlite3"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    result = run("reviews", "list", "--store", str(path))
    assert result.exit_code == 2
    assert "made by a newer callreview" in result.stderr and "upgrade callreview" in result.stderr


def test_every_review_command_has_help():
    for args in (["reviews", "add"], ["reviews", "list"], ["reviews", "export"], ["queue"], ["agreement"]):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "--store" in result.stdout
