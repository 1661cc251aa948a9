"""Microsoft Teams .docx transcripts, built with python-docx by tests/data/formats/build_docx.py."""

import importlib.util
import zipfile
from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import load_calls, sniff

DATA = Path(__file__).parent / "data" / "formats"
_spec = importlib.util.spec_from_file_location("build_docx", DATA / "build_docx.py")
build_docx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_docx)


@pytest.mark.parametrize("line_breaks", [True, False], ids=["one-paragraph-per-turn", "two-paragraphs-per-turn"])
def test_current_teams_layout_reads_speakers_times_and_text(tmp_path, line_breaks):
    path = build_docx.current_layout(tmp_path / "northwind.docx", line_breaks=line_breaks)
    assert sniff(path) == "docx"
    call = load_calls(path)[0]
    assert call.title == "Returns discovery - Northwind"
    assert call.call_id == "northwind"
    assert [(p.speaker, p.start) for p in call.passages] == [
        ("Dana Ortiz", 3), ("Sam Lee", 11), ("Dana Ortiz", 19), ("Sam Lee", 3725)]
    assert call.passages[2].text == "Where does the week go? Is it the labels, or the refunds?"
    assert call.passages[3].text == "Mostly refunds & chasing approvals."
    assert not any("transcription" in p.text for p in call.passages)
    assert call.extra["docx_header"] == ["October 14, 2024, 3:02PM", "1h 2m 30s"]


def test_older_teams_layout_with_cue_timings_merges_one_speakers_cues(tmp_path):
    call = load_calls(build_docx.cue_layout(tmp_path / "cues.docx"))[0]
    assert [(p.speaker, p.start, p.end) for p in call.passages] == [
        ("Dana Ortiz", 3.12, 10.5), ("Sam Lee", 11.0, 18.25), ("Dana Ortiz", 19.0, 21.0)]
    assert call.passages[0].text == "Thanks for making the time, Sam. I'd like to hear how returns work today."


def test_word_document_that_is_not_a_transcript_is_an_error(tmp_path):
    with pytest.raises(InputError) as err:
        load_calls(build_docx.not_a_transcript(tmp_path / "qbr.docx"))
    assert "no Teams transcript turns" in err.value.message and err.value.hint


def test_docx_named_file_that_is_not_a_zip_is_an_error(tmp_path):
    f = tmp_path / "fake.docx"
    f.write_text("Dana Ortiz   0:03\nHello\n")
    with pytest.raises(InputError) as err:
        load_calls(f)
    assert err.value.path.endswith("fake.docx")


def test_zip_that_is_not_a_word_document_is_an_error(tmp_path):
    f = tmp_path / "archive.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(InputError) as err:
        load_calls(f)
    assert "zip" in err.value.message
    with pytest.raises(InputError):
        load_calls(f, format="docx")
