"""SRT captions."""

from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import load_calls

DATA = Path(__file__).parent / "data" / "formats"


def test_srt_with_crlf_odd_arrow_spacing_and_name_prefixes_reads_every_turn():
    call = load_calls(DATA / "cold_call.srt")[0]
    assert [(p.speaker, p.text) for p in call.passages] == [
        ("Nadia Haddad", "Good afternoon, is this Luis?"),
        ("Luis Ferreira", "Speaking."),
        ("Nadia Haddad", "I'm calling from Brightpath about your fleet renewal next month. Do you have two minutes?"),
        ("Luis Ferreira", "Two. We already renewed with Fleetco, to be honest."),
        ("Nadia Haddad", "Understood. What made you pick them?"),
    ]


def test_srt_comma_milliseconds_are_seconds_and_merged_cues_span_both():
    call = load_calls(DATA / "cold_call.srt")[0]
    assert (call.passages[0].start, call.passages[0].end) == (0.5, 3.2)
    assert (call.passages[1].start, call.passages[1].end) == (3.4, 5.0)
    assert (call.passages[2].start, call.passages[2].end) == (5.1, 12.0)


def test_srt_italic_tags_are_removed_but_their_words_kept():
    call = load_calls(DATA / "cold_call.srt")[0]
    assert "<i>" not in call.passages[2].text and "renewal" in call.passages[2].text


def test_srt_broken_timing_is_an_error_at_its_line():
    with pytest.raises(InputError) as err:
        load_calls(DATA / "broken_timing.srt")
    assert err.value.line == 6 and "broken cue timing" in err.value.message


def test_srt_without_names_keeps_each_cue(tmp_path):
    f = tmp_path / "movie.srt"
    f.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:02,500 --> 00:00:04,000\nHi there.\n")
    call = load_calls(f)[0]
    assert [p.text for p in call.passages] == ["Hello.", "Hi there."]
    assert call.speakers == []
