"""Otter.ai TXT exports."""

from pathlib import Path

from callreview.formats import load_calls

DATA = Path(__file__).parent / "data" / "formats"


def test_otter_headers_give_speakers_and_start_times_and_the_footer_is_dropped():
    call = load_calls(DATA / "otter_export.txt")[0]
    assert [(p.speaker, p.start) for p in call.passages] == [
        ("Fernando Ruiz", 2), ("Claire Dubois", 7), ("Fernando Ruiz", 12),
        ("Unknown Speaker", 20), ("Claire Dubois", 23), ("Fernando Ruiz", 3735)]
    assert not any("otter.ai" in p.text for p in call.passages)


def test_otter_turn_text_over_several_lines_is_one_passage():
    call = load_calls(DATA / "otter_export.txt")[0]
    assert call.passages[2].text == ("Nice. So I wanted to pick up where we left off on the "
                                     "pricing for the second warehouse.")


def test_otter_unknown_speaker_is_other_and_warned():
    warnings = []
    call = load_calls(DATA / "otter_export.txt", warn=warnings.append)[0]
    assert call.roles["Unknown Speaker"] == "other"
    assert any("otter_export.txt:11:" in w for w in warnings)


def test_otter_title_line_before_the_first_turn_becomes_the_title(tmp_path):
    f = tmp_path / "otter.txt"
    f.write_text("Weekly sync with Stackwise\n\nSpeaker 1  0:00\nHello.\n\nSpeaker 2  0:04\nHi.\n\n"
                 "Transcribed by https://otter.ai\n")
    call = load_calls(f)[0]
    assert call.title == "Weekly sync with Stackwise"
    assert call.speakers == ["Speaker 1", "Speaker 2"]
