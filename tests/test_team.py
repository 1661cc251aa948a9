"""One team: the calls ``coach``, ``report``, the review app and the exports compare a call
with come from callreview.team, and they agree on it and its size."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus, write_corpus
from callreview.store import Store
from callreview.team import FILES, SHIPPED, STORE, Team, load_team

DATA = Path(__file__).parent / "data" / "insights"
TEAM = DATA / "team.jsonl"  # 10 successful, 10 other, 1 without outcome
TIMED = DATA / "timed.jsonl"


def run(*args, env: dict | None = None):
    return CliRunner(env=env).invoke(cli, [str(a) for a in args])


@pytest.fixture
def fake_model(monkeypatch):
    """The model, replaced: it gives every unlabeled passage the label the team file had."""
    truth = {(c.call_id, p.index): p.behavior for c in read_corpus(TEAM) for p in c.passages}
    seen: list[str] = []

    def annotate(calls, model, *, keep_labels=True):
        seen.extend(c.call_id for c in calls)
        return [c.with_passages(replace(p, behavior=p.behavior or truth.get((c.call_id, p.index), "other"))
                                for p in c.passages) for c in calls]

    monkeypatch.setitem(sys.modules, "callreview.artifacts",
                        types.SimpleNamespace(load_model=lambda path=None: object()))
    monkeypatch.setitem(sys.modules, "callreview.classify", types.SimpleNamespace(annotate=annotate))
    return seen


def _store_with_reviews(path: Path, *, undecided: int = 0) -> Path:
    """The team file's calls in a review store, every behavior decided (relabeled to the
    file's label) except the first ``undecided`` passages of the first call; the manager
    set two outcomes to other values than the file's."""
    with Store.open(path) as st:
        for call in read_corpus(TEAM):
            st.add_call(call)
            for p in call.passages:
                if call.call_id == "team-0000" and p.index < undecided:
                    continue
                st.decide(call.call_id, p.index, "behavior", "relabel", p.behavior, reviewer="ana")
        st.set_outcome("team-0000", "no_sale")     # was advance
        st.set_outcome("team-0020", "order")       # had no outcome
    return path


# ----------------------------------------------------------------- the definition


def test_the_team_comes_from_files_then_the_store_then_the_shipped_corpus(tmp_path, monkeypatch):
    import callreview.corpora as corpora

    files = load_team([TEAM])
    assert files.kind == FILES and files.source == "team.jsonl" and files.size() == (10, 10)
    shipped = load_team()
    assert shipped.kind == SHIPPED and len(shipped.calls) >= 90
    with Store.open(_store_with_reviews(tmp_path / "r.sqlite3")) as store:
        asked = load_team(store=store, use_store=True)
        assert asked.kind == STORE and asked.source == "the review store"
        assert load_team(store=store).kind == SHIPPED  # the shipped corpus before the store when not asked
        monkeypatch.setattr(corpora, "default_corpus_dir", lambda: None)
        assert load_team(store=store).kind == STORE   # the app without a shipped corpus
    with pytest.raises(Exception) as err:
        load_team()
    assert "--against" in getattr(err.value, "hint", "")


def test_the_coached_call_is_left_out_of_its_own_team():
    team = load_team([TEAM])
    call = team.calls[0]
    assert call not in team.against(call) and len(team.against(call)) == len(team.calls) - 1
    assert team.size(call) == (9, 10)
    assert team.describe(call) == "9 successful and 10 other calls from team.jsonl"


def test_a_store_team_is_the_reviewed_calls_with_the_outcomes_the_manager_set(tmp_path):
    with Store.open(_store_with_reviews(tmp_path / "r.sqlite3")) as store:
        team = load_team(store=store, use_store=True)
    by = {c.call_id: c for c in team.calls}
    assert by["team-0000"].outcome == "no_sale" and by["team-0020"].outcome == "order"
    assert team.size() == (10, 11)


# ----------------------------------------------------------------- report --store


def test_report_on_the_store_gives_the_table_of_its_export(tmp_path, fake_model):
    store = _store_with_reviews(tmp_path / "r.sqlite3", undecided=3)
    exported = tmp_path / "reviews.jsonl"
    res = run("reviews", "export", "--store", store, "-o", exported)
    assert res.exit_code == 0, res.output
    from_store = run("report", "--store", store, "--json")
    from_file = run("report", exported, "--json")
    assert from_store.exit_code == 0 and from_file.exit_code == 0, from_store.output + from_file.output
    a, b = json.loads(from_store.output), json.loads(from_file.output)
    assert a.pop("team") == "the review store" and b.pop("team") == "reviews.jsonl"
    assert a == b
    assert (a["n_success"], a["n_other"], a["annotated_by_model"]) == (10, 11, 1)  # the manager's outcomes
    text_store = run("report", "--store", store).output
    text_file = run("report", exported).output
    assert text_store == text_file and "implication_question" in text_store


def test_report_store_without_reviewed_calls_says_what_to_do(tmp_path):
    res = run("report", "--store", tmp_path / "empty.sqlite3")
    assert res.exit_code == 2 and "error:" in res.output and "outcome" in res.output
    assert "Traceback" not in res.output


def test_report_needs_files_or_the_store():
    res = run("report")
    assert res.exit_code == 2 and "--store" in res.output


def test_report_store_reads_the_store_from_the_environment(tmp_path):
    store = _store_with_reviews(tmp_path / "r.sqlite3")
    res = run("report", "--store", "--json", env={"CALLREVIEW_STORE": str(store)})
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["n_other"] == 11


# ----------------------------------------------------------------- everyone agrees


def _unlabeled_team(tmp_path) -> Path:
    """The team file with one passage of every call unlabeled: it needs the model."""
    calls = [c.with_passages(replace(p, behavior=None) if p.index == 2 else p for p in c.passages)
             for c in read_corpus(TEAM)]
    path = tmp_path / "raw-team.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        write_corpus(calls, f)
    return path


def test_coach_the_review_app_and_the_export_agree_on_the_team_and_its_size(tmp_path, fake_model):
    from callreview.session import call_context, team_calls

    team_file = _unlabeled_team(tmp_path)
    coached = json.loads(run("coach", TIMED, "--against", team_file, "--json").output)["calls"][0]
    with Store.open(tmp_path / "app.sqlite3") as store:
        calls, source = team_calls(store, [team_file])
    app = call_context(read_corpus(TIMED)[0], calls).coaching
    exported = run("export", TIMED, "--against", team_file, "--format", "json", "--store",
                   tmp_path / "none.sqlite3")
    assert exported.exit_code == 0, exported.output
    export = json.loads(exported.stdout)["calls"][0]
    sizes = {(coached["n_team_success"], coached["n_team_other"]),
             (app.n_team_success, app.n_team_other),
             (export["coaching"]["n_team_success"], export["coaching"]["n_team_other"])}
    assert sizes == {(10, 10)}
    assert [p["message"] for p in coached["points"]] == [p.message for p in app.points]
    assert [p["message"] for p in export["coaching"]["points"]] == [p.message for p in app.points]


def test_coach_against_the_store(tmp_path):
    store = _store_with_reviews(tmp_path / "r.sqlite3")
    res = run("coach", TIMED, "--store", store, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["team"]["kind"] == STORE
    assert (data["calls"][0]["n_team_success"], data["calls"][0]["n_team_other"]) == (10, 11)


def test_team_is_a_plain_value():
    t = Team((), "nowhere", FILES)
    assert t.size() == (0, 0) and t.against() == []
