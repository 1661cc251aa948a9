"""Property tests: no input crashes a reader with anything but InputError, and no spoken
word of a well-formed transcript is lost (vtt, srt, plain, otter)."""

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callreview.errors import InputError
from callreview.formats import FORMATS, load_calls
from callreview.records import Call

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data: bytes, fmt: str, suffix: str = ".txt"):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / f"input{suffix}"
        f.write_bytes(data)
        return load_calls(f, format=fmt)


def _must_not_crash(data: bytes, fmt: str, suffix: str = ".txt") -> None:
    try:
        calls = _load(data, fmt, suffix)
    except InputError as exc:
        assert exc.path and exc.message
        return
    assert calls and all(isinstance(c, Call) and c.passages for c in calls)
    for c in calls:
        assert all(p.text.strip() for p in c.passages)


# text that looks a bit like each format, so the readers get past their first checks
fragments = st.sampled_from([
    "WEBVTT", "\n", "\n\n", "00:00:01.000 --> 00:00:02.000", "00:01,000 --> 00:02,500", "-->", "1",
    "<v Dana Ortiz>", "</v>", "&amp;", "Dana Ortiz: ", "Sam Lee  0:03", "[00:01:23] ", "Note: ",
    "Outcome: advance", "Seller: Dana", "- Asked about ", "{\"call_id\": \"a\", \"passages\": []}",
    "text,speaker\n", "\"", ",", ";", "\t", "NOTE", "Transcribed by https://otter.ai", "\ufeff", "\r\n",
    "01:02.500 --> 01:05.000 align:start", "Ortiz, Dana (Contoso)", "?", "ü", "\x00",
])
texty = st.one_of(st.text(), st.lists(st.one_of(fragments, st.text(max_size=8)), max_size=40).map("".join))


@SETTINGS
@given(texty, st.sampled_from(("auto",) + FORMATS))
def test_no_text_input_crashes_any_reader(text, fmt):
    _must_not_crash(text.encode("utf-8", "surrogatepass"), fmt)


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(("auto",) + FORMATS), st.sampled_from([".txt", ".vtt", ".docx", ".csv"]))
def test_no_bytes_input_crashes_any_reader(data, fmt, suffix):
    _must_not_crash(data, fmt, suffix)


# ---------------------------------------------------------------------------------------
# well-formed transcripts keep every word

NAMES = ["Dana Ortiz", "Sam Lee", "Priya Raman", "Kai Müller", "Speaker 2"]
word = st.from_regex(r"[a-zà-öø-ÿ0-9'’.,?!-]{1,10}", fullmatch=True) | st.sampled_from(["Note:", "10:30", "OK", "Q3"])
turn = st.tuples(st.sampled_from(NAMES), st.lists(word, min_size=1, max_size=25))
transcript = st.lists(turn, min_size=2, max_size=12).filter(lambda ts: len({t[0] for t in ts}) >= 1)


def _clock(t: float, sep: str = ".") -> str:
    return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}".replace(".", sep)


def _chunks(words, n):
    size = max(1, -(-len(words) // n))
    return [words[i:i + size] for i in range(0, len(words), size)]


def render(fmt: str, turns, style: int) -> str:
    out: list[str] = []
    t = 0.0
    if fmt == "vtt":
        out.append("WEBVTT\n")
        for k, (name, words) in enumerate(turns):
            for j, chunk in enumerate(_chunks(words, 1 + (k + style) % 3)):
                cue = f"{_clock(t)} --> {_clock(t + 1.5)}"
                text = " ".join(chunk)
                body = f"<v {name}>{text}" + ("</v>" if style % 2 else "") if style % 3 else f"{name}: {text}"
                out.append(f"id-{k}-{j}\n{cue}\n{body}\n")
                t += 1.6
    elif fmt == "srt":
        n = 1
        for name, words in turns:
            for chunk in _chunks(words, 2 if style % 2 else 1):
                out.append(f"{n}\n{_clock(t, ',')} --> {_clock(t + 1.5, ',')}\n{name}: {' '.join(chunk)}\n")
                n += 1
                t += 1.6
    elif fmt == "plain":
        for name, words in turns:
            first, *rest = _chunks(words, 2 if style % 2 else 1)
            stamp = f"[{_clock(t)[:8]}] " if style % 3 == 0 else ""
            out.append(f"{stamp}{name}: {' '.join(first)}")
            out.extend(" ".join(c) for c in rest)
            t += 4
        return "\n".join(out) + "\n"
    elif fmt == "otter":
        for name, words in turns:
            out.append(f"{name}  {int(t // 60)}:{int(t % 60):02d}\n{' '.join(words)}\n")
            t += 4
        out.append("Transcribed by https://otter.ai\n")
    return "\n".join(out)


def _spoken(calls) -> Counter:
    return Counter(w for c in calls for p in c.passages for w in p.text.split())


@SETTINGS
@given(transcript, st.sampled_from(["vtt", "srt", "plain", "otter"]), st.integers(0, 5), st.booleans())
def test_every_spoken_word_of_a_wellformed_transcript_is_in_its_passages(turns, fmt, style, auto):
    text = render(fmt, turns, style)
    calls = _load(text.encode("utf-8"), "auto" if auto else fmt, f".{fmt if fmt != 'otter' else 'txt'}")
    expected = Counter(w for _, words in turns for w in words)
    got = _spoken(calls)
    assert not expected - got, (expected - got, text)
