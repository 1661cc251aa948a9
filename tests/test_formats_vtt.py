"""WebVTT from Microsoft Teams, Zoom and caption tools."""

from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import load_calls

DATA = Path(__file__).parent / "data" / "formats"


def read(name, **kw):
    warnings = []
    calls = load_calls(DATA / name, warn=warnings.append, **kw)
    assert len(calls) == 1
    return calls[0], warnings


def test_teams_voice_tags_with_commas_and_parentheses_are_speakers():
    call, _ = read("teams_discovery.vtt")
    assert call.speakers == ["Ortiz, Dana (Contoso)", "Sam Lee (Guest)", "Priya Raman (Guest)",
                             "Kai Müller (Contoso)"]


def test_teams_cues_of_one_speaker_become_one_passage_with_first_start_and_last_end():
    call, _ = read("teams_discovery.vtt")
    first = call.passages[0]
    assert first.speaker == "Ortiz, Dana (Contoso)"
    assert first.text == ("Morning Sam, morning Priya. Thanks for making the time on a Friday. "
                          "I'd like to spend twenty minutes on how returns & refunds work today.")
    assert (first.start, first.end) == (3.12, 11.9)
    priya = call.passages[3]
    assert priya.text.endswith("if the label prints. Which it usually doesn't.")
    assert (priya.start, priya.end) == (22.01, 30.0)
    assert len(call.passages) == 7


def test_teams_entities_are_decoded_and_unclosed_voice_tags_keep_their_text():
    call, _ = read("teams_discovery.vtt")
    texts = [p.text for p in call.passages]
    assert "Sure. Returns are a mess, honestly." in texts  # &nbsp; became a space
    assert any("400 > 350 last year. Each one takes <10 minutes" in t for t in texts)
    assert not any("&" in t and ";" in t.split("&", 1)[1][:6] for t in texts)


def test_note_and_style_blocks_are_not_passages():
    call, _ = read("teams_discovery.vtt")
    text = " ".join(p.text for p in call.passages)
    assert "Microsoft Teams" not in text and "confidence" not in text and "::cue" not in text


def test_zoom_name_prefix_gives_speakers_and_a_note_inside_the_text_stays_text():
    call, _ = read("zoom_demo.vtt")
    assert call.speakers == ["Marisol Vega", "Tom Kowalczyk", "Aisha Bello"]
    assert call.passages[2].text == "Great. Note: I'm recording this for my notes, is that okay?"
    assert call.passages[2].start == 6.6  # cue settings after the timing are ignored
    assert call.passages[4].text == ("Today I'll show the dispatch board and then the mobile app "
                                     "your techs would use.")


def test_captions_without_speakers_keep_one_passage_per_cue_and_no_roles():
    call, _ = read("lecture_captions.vtt")
    assert [p.text for p in call.passages] == [
        "Welcome back, everyone, to part two",
        "of the warehouse automation series.",
        "Today: pick rates and what slows them down.",
        "That's all for today.",
    ]
    assert all(p.speaker is None and p.role is None for p in call.passages)
    assert not call.roles_inferred


def test_hourless_timings_and_hour_timings_are_seconds():
    call, _ = read("lecture_captions.vtt")
    assert [(p.start, p.end) for p in call.passages] == [
        (1.0, 4.2), (4.2, 8.9), (62.5, 66.0), (3600.0, 3603.5)]


def test_broken_timing_line_is_an_error_with_file_line_and_hint():
    with pytest.raises(InputError) as err:
        load_calls(DATA / "broken_timing.vtt")
    assert err.value.path.endswith("broken_timing.vtt")
    assert err.value.line == 8
    assert "00:01:02.500 --> 00:01:05.000" in err.value.hint


def test_cue_without_text_and_unknown_speaker_are_read_with_warnings_naming_file_and_line():
    call, warnings = read("gaps.vtt")
    assert [p.text for p in call.passages] == ["Can everyone hear me?", "Yes, loud and clear.", "Yes, go ahead."]
    assert any("gaps.vtt:6:" in w and "no text" in w for w in warnings)
    assert any("gaps.vtt:9:" in w and "Unknown" in w for w in warnings)
    assert call.roles["Unknown"] == "other"


def test_two_voices_in_one_cue_are_two_passages(tmp_path):
    f = tmp_path / "two.vtt"
    f.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana Ortiz>Ready?</v> <v Sam Lee>Ready.</v>\n")
    call = load_calls(f)[0]
    assert [(p.speaker, p.text) for p in call.passages] == [("Dana Ortiz", "Ready?"), ("Sam Lee", "Ready.")]


def test_missing_header_is_a_warning_not_an_error(tmp_path):
    f = tmp_path / "noheader.vtt"
    f.write_text("00:00:01.000 --> 00:00:02.000\n<v Dana Ortiz>Hello.\n")
    warnings = []
    call = load_calls(f, warn=warnings.append)[0]
    assert call.passages[0].text == "Hello."
    assert any("WEBVTT" in w for w in warnings)


def test_one_hour_transcript_of_a_thousand_cues_is_read_completely(tmp_path):
    lines = ["WEBVTT", ""]
    for i in range(1000):
        s = i * 3.6
        stamp = lambda t: f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"  # noqa: E731
        speaker = "Dana Ortiz" if i % 2 else "Sam Lee"
        lines += [f"f00d/{i}-0", f"{stamp(s)} --> {stamp(s + 3.4)}", f"<v {speaker}>cue{i} was said here.</v>", ""]
    f = tmp_path / "hour.vtt"
    f.write_text("\n".join(lines))
    call = load_calls(f)[0]
    assert len(call.passages) == 1000
    assert call.passages[-1].end == pytest.approx(999 * 3.6 + 3.4)
    assert " ".join(p.text for p in call.passages).count("was said here.") == 1000
