"""``callreview export``: stored reviews and transcript files out as reports and data.

The store is filled through the API from tests/data/export (hand-written predictions,
no model). The one test that exports a transcript file with predictions uses a tiny
model trained once per session on tests/data/export/team.jsonl.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "export"
CALL, HOSTILE = "bluewater-0412", "hostile-0001"
VTT = DATA / "lakeview_call.vtt"


@pytest.fixture
def store_file(tmp_path) -> Path:
    script = json.loads((DATA / "review.json").read_text(encoding="utf-8"))
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        for cid, r in script.items():
            for d in r["decisions"]:
                st.decide(cid, d["index"], d["task"], d["action"], d.get("label"), reviewer=r["reviewer"])
            for c in r["comments"]:
                st.comment(cid, c["index"], c["text"], reviewer=r["reviewer"])
            st.set_feedback(cid, reviewer=r["reviewer"], **r["feedback"])
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    from callreview.artifacts import save_model
    from callreview.train import train

    out = tmp_path_factory.mktemp("model") / "tiny"
    save_model(train(read_corpus(DATA / "team.jsonl"), cv_folds=0), out)
    return out


def run(*args: str, env: dict | None = None):
    return CliRunner(env={"CALLREVIEW_STORE": "", **(env or {})}).invoke(cli, list(args), catch_exceptions=False)


def assert_clean_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and "\nhint: " in result.stderr
    assert "Traceback" not in result.output + result.stderr
    for w in words:
        assert w in result.stderr


# ------------------------------------------------------------------ stored reviews


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "csv", "json", "jsonl"])
def test_a_stored_review_exports_to_every_format(store_file, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run("export", CALL, "--format", fmt, "-o", str(out), "--store", str(store_file))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote 1 call as {fmt} to {out}"
    data = out.read_bytes()
    assert data.startswith({"md": b"# Coaching report", "html": b"<!DOCTYPE html>", "docx": b"PK",
                            "csv": b"\xef\xbb\xbfcall_id,", "json": b"{", "jsonl": b'{"call_id": "bluewater-0412"'}[fmt])


def test_the_format_follows_the_file_name(store_file, tmp_path):
    out = tmp_path / "bluewater.html"
    assert run("export", CALL, "-o", str(out), "--store", str(store_file)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_text_formats_go_to_standard_output_without_o(store_file):
    result = run("export", CALL, "--format", "md", "--store", str(store_file))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Coaching report: Bluewater Logistics")
    dash = run("export", CALL, "--format", "csv", "-o", "-", "--store", str(store_file))
    assert dash.stdout.startswith("call_id,index,")  # no byte order mark on a terminal


def test_all_exports_every_stored_review_for_the_team(store_file, tmp_path):
    out = tmp_path / "team.csv"
    result = run("export", "--all", "--format", "csv", "-o", str(out), "--store", str(store_file))
    assert result.exit_code == 0 and "wrote 2 calls as csv" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["call_id"] for r in rows} == {CALL, HOSTILE} and len(rows) == 20
    jsonl = run("export", "--all", "--format", "jsonl", "--store", str(store_file))
    assert [json.loads(line)["call_id"] for line in jsonl.stdout.splitlines()] == [CALL, HOSTILE]


def test_redact_applies_to_the_command_line_export(store_file):
    result = run("export", CALL, "--format", "md", "--redact", "--store", str(store_file))
    assert result.exit_code == 0
    assert "Dana" not in result.stdout and "Priya" not in result.stdout and "555-0132" not in result.stdout
    assert "**Seller:** Seller 1" in result.stdout


# ------------------------------------------------------------------ files


def test_a_transcript_file_is_labeled_by_the_model_and_exported(tiny_model, tmp_path):
    out = tmp_path / "lakeview.csv"
    result = run("export", str(VTT), "--format", "csv", "-o", str(out), "--model", str(tiny_model),
                 "--store", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 10 and all(r["predicted_behavior"] and r["stage_confidence"] for r in rows)
    assert all(r["manager_behavior"] == "" for r in rows)
    assert not (tmp_path / "none.sqlite3").exists()  # exporting a file does not create a store


def test_a_transcript_file_whose_call_is_stored_is_exported_with_its_review(tiny_model, tmp_path):
    from callreview.artifacts import load_model
    from callreview.classify import annotate
    from callreview.formats import load_calls

    store = tmp_path / "s.sqlite3"
    with Store.open(store) as st:
        call = annotate(load_calls(VTT), load_model(tiny_model))[0]
        cid = st.add_call(call).call_id
        st.set_feedback(cid, focus="Ask what overtime costs per week.")
    result = run("export", str(VTT), "--format", "md", "--model", str(tiny_model), "--store", str(store))
    assert result.exit_code == 0
    assert "Ask what overtime costs per week." in result.stdout
    assert f"reporting the review of stored call {cid}" in result.stderr


def test_a_labeled_file_exports_without_a_model(tmp_path):
    result = run("export", str(DATA / "team.jsonl"), "--format", "jsonl", "--model", str(tmp_path / "no-model"),
                 "--store", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 0, result.output
    assert "the report uses the labels the files came with" in result.stderr
    back = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["call_id"] for c in back] == [c.call_id for c in read_corpus(DATA / "team.jsonl")]


def test_an_unlabeled_file_without_a_model_is_an_error_not_a_traceback(tmp_path):
    result = run("export", str(VTT), "--format", "md", "--model", str(tmp_path / "no-model"),
                 "--store", str(tmp_path / "none.sqlite3"))
    assert_clean_error(result)


# ------------------------------------------------------------------ mistakes


def test_writing_where_it_cannot_gives_error_exit_2_and_no_file(store_file, tmp_path):
    (tmp_path / "a-file").write_text("keep me", encoding="utf-8")
    for target in (tmp_path / "missing" / "r.html", tmp_path / "a-file" / "r.html", tmp_path):
        result = run("export", CALL, "--format", "html", "-o", str(target), "--store", str(store_file))
        assert_clean_error(result, str(target))
    assert not (tmp_path / "missing").exists()
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep me"


def test_a_write_that_fails_half_way_leaves_no_half_written_file(store_file, tmp_path, monkeypatch):
    import os

    target = tmp_path / "report.html"
    target.write_text("yesterday's report", encoding="utf-8")

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = run("export", CALL, "-o", str(target), "--store", str(store_file))
    assert_clean_error(result, "No space left on device")
    assert target.read_text(encoding="utf-8") == "yesterday's report"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args, words", [
    (["export", CALL, "--format", "docx"], ["cannot go to the terminal", "-o report.docx"]),
    (["export", CALL, "--format", "pdf"], ["unknown export format 'pdf'"]),
    (["export", CALL], ["which format?"]),
    (["export", "--all", "--format", "html"], ["--all writes team data"]),
    (["export", CALL, "--all", "--format", "csv"], ["give no TARGET"]),
    (["export", "--format", "md"], ["nothing to export"]),
    (["export", "no-such-call", "--format", "md"], ["'no-such-call' is neither a file nor a call"]),
    (["export", "missing/call.vtt", "--format", "md"], ["missing/call.vtt: no such file"]),
])
def test_mistakes_are_one_line_errors_with_exit_2(store_file, args, words):
    assert_clean_error(run(*args, "--store", str(store_file)), *words)


def test_all_without_a_store_says_how_to_make_one(tmp_path):
    assert_clean_error(run("export", "--all", "--format", "csv", "--store", str(tmp_path / "none.sqlite3")),
                       "no review store yet")
    assert not (tmp_path / "none.sqlite3").exists()


def test_export_is_listed_in_the_help():
    result = run("--help")
    assert "export" in result.stdout
    assert "--redact" in run("export", "--help").stdout
