"""Export: every format renders the one ReportData of a reviewed call.

The calls (tests/data/export/calls.jsonl) carry hand-written predictions of a pretend
model "test-model-1"; the review (tests/data/export/review.json: decisions, comments,
feedback) is applied through the Store API in a temporary store. No model is run.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from callreview.corpora import call_from_json, read_corpus
from callreview.errors import ExportError
from callreview.export import (
    from_call,
    from_store,
    render,
    write_atomic,
)
from callreview.export.data import CSV_COLUMNS
from callreview.metrics import ESTIMATED, MEASURED
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "export"
CALL = "bluewater-0412"
HOSTILE = "hostile-0001"


def fill_store(path: Path) -> Path:
    """A store holding the two test calls with the review of review.json applied."""
    script = json.loads((DATA / "review.json").read_text(encoding="utf-8"))
    with Store.open(path) as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        for cid, r in script.items():
            who = r["reviewer"]
            for d in r["decisions"]:
                st.decide(cid, d["index"], d["task"], d["action"], d.get("label"), reviewer=who)
            for c in r["comments"]:
                st.comment(cid, c["index"], c["text"], reviewer=who)
            st.set_feedback(cid, reviewer=who, **r["feedback"])
            if r.get("status"):
                st.set_status(cid, r["status"], reviewer=who)
    return path


@pytest.fixture
def store(tmp_path):
    with Store.open(fill_store(tmp_path / "reviews.sqlite3")) as st:
        yield st


@pytest.fixture
def report(store):
    return from_store(store, CALL)


def docx_text(data: bytes) -> str:
    """Every piece of text in a .docx (body, tables, nested tables), in document order."""
    import docx

    doc = docx.Document(io.BytesIO(data))
    out: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                out.append(block.text)

    walk(doc)
    return "\n".join(out)


FEEDBACK = json.loads((DATA / "review.json").read_text(encoding="utf-8"))[CALL]["feedback"]
COMMENTS = [c["text"] for c in json.loads((DATA / "review.json").read_text(encoding="utf-8"))[CALL]["comments"]]


# ------------------------------------------------------------------ the data


def test_report_data_holds_the_managers_review(report):
    assert report.origin == "review" and report.status == "done" and report.reviewers == ("maria",)
    assert report.feedback.strengths == FEEDBACK["strengths"]
    assert [c.text for c in report.comments] == COMMENTS
    assert report.date == "2025-04-11" and report.seller == "Dana Ortiz"
    assert report.call.passages[9].behavior == "benefit_statement"  # the manager's label, not the model's
    assert report.call.passages[13].stage is None  # skipped


def test_evidence_is_the_passages_commented_on_or_corrected(report):
    ev = report.evidence
    assert [e.passage.index for e in ev] == [9, 11, 13]
    fix = ev[0].corrections[0]
    assert (fix.task, fix.predicted.label, fix.label) == ("behavior", "giving_information", "benefit_statement")
    # an accepted label is not a correction, a skip is not either
    assert all(d.task == "behavior" for e in ev for d in e.corrections)


def test_an_undone_comment_leaves_the_report(store):
    store.comment(CALL, 2, "Say less here.", reviewer="maria")
    assert 2 in [e.passage.index for e in from_store(store, CALL).evidence]
    store.undo(CALL)
    data = from_store(store, CALL)
    assert 2 not in [e.passage.index for e in data.evidence]
    assert "Say less here." not in render([data], "md")


def test_metrics_count_labels_the_manager_decided_as_measured(report, store):
    # two of the three questions are still the model's labels: an estimate
    assert report.metrics["seller_questions"].method == ESTIMATED
    for i in (2, 5, 7, 8):
        store.decide(CALL, i, "behavior", "accept", reviewer="maria")
    # every behavior decided, most of them by accepting the model's label: measured
    assert from_store(store, CALL).metrics["seller_questions"].method == MEASURED


# ------------------------------------------------------------------ reports


def test_markdown_report_holds_header_metrics_timeline_feedback_and_evidence(report):
    md = render([report], "md")
    assert md.startswith("# Coaching report: Bluewater Logistics - returns discovery")
    for fact in ("**Call date:** 2025-04-11", "**Seller:** Dana Ortiz", "**Outcome:** continuation",
                 "**Reviewed by:** maria"):
        assert fact in md
    sections = ["## Key metrics", "## Stage timeline", "## Strengths", "## Things to improve",
                "## Focus for the next call", "## Evidence"]
    positions = [md.index(s) for s in sections]
    assert positions == sorted(positions)  # in the order the seller reads them
    assert "| Seller talk share | 64% | about 43% (Gong Labs, 2016) \\[1\\] |" in md
    assert "| Seller questions | ≈ 3 | 11-14 questions (Gong Labs, 2017)" in md
    assert "| 0:24 | discovery | 37% | 3-8 |" in md
    assert FEEDBACK["focus"] in md
    assert "### 1:16 · Dana Ortiz (seller)" in md
    assert "> Our scanner reads both barcode types" in md
    assert "- **Comment:** Nice: you tied the reprint straight back" in md
    assert "the model said giving information (55%); corrected to benefit statement" in md
    assert "published correlation, not a rule" in md


def test_html_report_is_one_self_contained_file_with_inline_svg(report):
    page = render([report], "html")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert page.count("<svg") == 2  # stage timeline and behavior mix
    assert "<script" not in page.lower()
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and " src=" not in page and "<link" not in page
    assert "@media print" in page and "@page" in page
    assert "Stage timeline: opening 16%, discovery 37%" in page  # the SVG's accessible title


def test_html_and_docx_say_what_the_markdown_says(report):
    page = render([report], "html")
    word = docx_text(render([report], "docx"))  # type: ignore[arg-type]
    for text in [*FEEDBACK.values(), *COMMENTS, "Our scanner reads both barcode types",
                 "Seller talk share", "about 43% (Gong Labs, 2016)", "Bluewater Logistics - returns discovery",
                 "the model said giving information (55%); corrected to benefit statement"]:
        assert text.replace("'", "&#x27;") in page, text
        assert text in word, text


def test_docx_is_a_word_document_with_the_report_title(report):
    data = render([report], "docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/document.xml" in z.namelist()
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "Coaching report: Bluewater Logistics" in core
    assert "python-docx" not in core


def test_docx_properties_come_in_the_order_word_requires(report):
    # Word refuses a document whose property children are out of schema order
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(render([report], "docx"))) as z:  # type: ignore[arg-type]
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tcpr = ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"]
    ppr = ["pStyle", "keepNext", "keepLines", "pBdr", "shd", "spacing", "ind", "jc", "rPr"]
    for tag, order in (("tcPr", tcpr), ("pPr", ppr)):
        for el in root.iter(f"{w}{tag}"):
            names = [c.tag.replace(w, "") for c in el if c.tag.replace(w, "") in order]
            assert names == sorted(names, key=order.index), names
            assert len(names) == len(set(names))


def test_several_calls_make_one_document(store):
    both = [from_store(store, CALL), from_store(store, HOSTILE)]
    assert render(both, "md").count("# Coaching report:") == 2
    assert render(both, "html").count('<article class="report">') == 2
    assert docx_text(render(both, "docx")).count("Coaching report") == 2  # type: ignore[arg-type]


def test_coaching_points_come_from_a_team_corpus_when_given(store):
    team = read_corpus(DATA / "team.jsonl")
    data = from_store(store, CALL, team=team)
    assert data.coaching is not None and data.coaching.points
    md = render([data], "md")
    assert "## What the team's calls suggest" in md
    assert "Compared with 6 successful and 4 other calls" in md
    assert "What the team's calls suggest" not in render([from_store(store, CALL)], "md")


def test_report_of_a_call_nobody_reviewed_says_so(store):
    call = store.get_call(CALL)
    data = from_call(call)
    md = render([data], "md")
    assert "**Reviewed by:** not reviewed" in md
    assert "No manager has commented on or corrected this call yet." in md
    assert "## Feedback\n\nNo feedback yet: nobody has reviewed this call." in md
    assert "## Strengths" not in md


# ------------------------------------------------------------------ data


def test_csv_has_one_row_per_passage_with_predictions_and_the_managers_labels(store):
    text = render([from_store(store, CALL), from_store(store, HOSTILE)], "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 14 + 6
    r9 = rows[9]
    assert (r9["call_id"], r9["index"], r9["time"], r9["speaker"], r9["role"]) == (CALL, "9", "1:16", "Dana Ortiz", "seller")
    assert (r9["predicted_behavior"], r9["behavior_confidence"]) == ("giving_information", "0.550")
    assert (r9["manager_behavior"], r9["behavior_decision"], r9["behavior"]) == ("benefit_statement", "relabel",
                                                                                 "benefit_statement")
    assert r9["comment"].startswith("Nice: you tied")
    r13 = rows[13]
    assert (r13["stage_decision"], r13["manager_stage"], r13["stage"]) == ("skip", "", "")
    assert rows[2]["behavior_decision"] == "" and rows[2]["behavior"] == "buyer_info"  # the model's, undecided


def test_json_holds_the_full_review(report, store):
    doc = json.loads(render([report], "json"))
    assert (doc["format"], doc["version"]) == ("callreview-export", 1)
    (call,) = doc["calls"]
    assert call["feedback"]["improve"] == FEEDBACK["improve"]
    assert [c["text"] for c in call["comments"]] == COMMENTS
    assert {(d["index"], d["task"]): d["action"] for d in call["decisions"]}[(13, "stage")] == "skip"
    assert [e["index"] for e in call["evidence"]] == [9, 11, 13]
    assert {m["name"] for m in call["metrics"]["metrics"]} >= {"talk_ratio", "seller_questions"}
    assert call_from_json(call["call"]).passages == store.get_call(CALL).passages


def test_jsonl_round_trips_through_the_corpus_reader_into_the_reviewed_labels(store, tmp_path):
    out = tmp_path / "reviewed.jsonl"
    write_atomic(out, render([from_store(store, CALL), from_store(store, HOSTILE)], "jsonl"))
    back = {c.call_id: c for c in read_corpus(out)}
    for expected in store.reviewed_calls():
        got = back[expected.call_id]
        assert [(p.behavior, p.stage) for p in got.passages] == [(p.behavior, p.stage) for p in expected.passages]
        assert [p.text for p in got.passages] == [p.text for p in expected.passages]
    # undecided passages carry no label but keep the model's prediction
    assert back[CALL].passages[2].behavior is None
    assert back[CALL].passages[2].predictions["behavior"].label == "buyer_info"


def test_jsonl_of_a_file_keeps_the_labels_the_file_came_with(store):
    labeled = read_corpus(DATA / "team.jsonl")[0]
    back = call_from_json(json.loads(render([from_call(labeled)], "jsonl")))
    assert [p.behavior for p in back.passages] == [p.behavior for p in labeled.passages]


def test_an_empty_export_is_still_a_valid_file_of_its_format():
    assert render([], "csv").splitlines() == [",".join(CSV_COLUMNS)]
    assert json.loads(render([], "json"))["calls"] == []
    assert render([], "jsonl") == "" and render([], "md") == ""
    assert "No calls to report." in render([], "html")
    assert "No calls to report." in docx_text(render([], "docx"))  # type: ignore[arg-type]


# ------------------------------------------------------------------ writing


def test_write_atomic_replaces_the_file_whole(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new é")
    assert target.read_text(encoding="utf-8") == "new é"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_csv_written_to_a_file_starts_with_a_byte_order_mark_for_excel(tmp_path):
    target = tmp_path / "x.csv"
    write_atomic(target, "a,b\r\n", bom=True)
    assert target.read_bytes() == b"\xef\xbb\xbfa,b\r\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    import os

    target = tmp_path / "report.html"
    target.write_text("the report from yesterday", encoding="utf-8")

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ExportError) as err:
        write_atomic(target, "<html>" + "x" * 100_000)
    assert "No space left on device" in str(err.value) and err.value.path == str(target)
    assert target.read_text(encoding="utf-8") == "the report from yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("where", ["missing/report.md", "a-file/report.md", "."])
def test_writing_where_no_file_can_be_gives_an_export_error_with_a_hint(tmp_path, where):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = tmp_path / where
    with pytest.raises(ExportError) as err:
        write_atomic(target, "data")
    assert err.value.hint
    assert not (tmp_path / "missing").exists()
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "x"


def test_call_notes_without_times_or_labels_still_make_a_report():
    from callreview.formats import load_calls

    notes = from_call(load_calls(DATA / "pinecrest_notes.md")[0])
    md = render([notes], "md")
    assert "**Call date:** 2025-05-14" in md and "**Seller:** Will Grant" in md
    # one line per reason, not one per metric
    assert "Call length and pause before answering (written call notes have no times)" in md
    assert md.count("written call notes have no times") == 1
    assert "No stage labels, so no timeline." in md
    assert "Tom said reminders still go out by hand" not in md  # not evidence: nobody commented
    assert "No stage labels, so no timeline." in render([notes], "html")
    assert "No stage labels, so no timeline." in docx_text(render([notes], "docx"))  # type: ignore[arg-type]
