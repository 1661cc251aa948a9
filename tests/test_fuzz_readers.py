"""Fuzz target (issue 17): random bytes and structured-ish text fed to every reader through
``callreview.formats.load_calls`` with each format. Only callreview's own errors
(:class:`~callreview.errors.CallreviewError`) may escape, and what is read can be shown
as ``inspect`` shows it. Bounded for CI (about 200 examples per reader); the longer run
is ``benchmarks/fuzz_readers.py``.
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callreview.cli.inspect import call_header, passage_table
from callreview.corpora import dumps_call
from callreview.errors import CallreviewError
from callreview.formats import FORMATS, load_calls

DATA = Path(__file__).parent / "data" / "formats"
READERS = ("auto", *FORMATS)
SUFFIXES = (".txt", ".vtt", ".srt", ".csv", ".jsonl", ".docx", ".md", "")
FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

_DIR = tempfile.mkdtemp(prefix="callreview-fuzz-test-")
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)


def read_and_show(data: bytes, fmt: str, suffix: str) -> None:
    path = Path(_DIR) / f"input{suffix}"
    path.write_bytes(data)
    try:
        calls = load_calls(path, format=fmt)
    except CallreviewError as exc:
        assert exc.message and "\n" not in exc.render().split("\nhint: ")[0]
        return
    assert calls and all(c.passages for c in calls)
    for call in calls:  # what inspect prints, and its --json line, encode as UTF-8
        "\n".join([*call_header(call, 80), *passage_table(call, 80)]).encode("utf-8")
        dumps_call(call).encode("utf-8")


# ---------------------------------------------------------------------------------------
# Structured-ish text: the pieces each reader looks for, with odd numbers and characters

numbers = st.one_of(st.integers(0, 99).map(str), st.integers(0, 10 ** 500).map(str),
                    st.sampled_from(["9" * 400, "0" * 300 + "1", "", "-1", "1e400", "٣", "１"]))
two_digits = st.integers(0, 59).map("{:02d}".format)
clock = st.builds(lambda h, m, s, f: f"{h}:{m}:{s}{f}", st.one_of(numbers, st.just("9" * 400)),
                  st.one_of(two_digits, two_digits, numbers), st.one_of(two_digits, two_digits, numbers),
                  st.sampled_from(["", ".000", ",500", "." + "9" * 300]))
names = st.one_of(st.sampled_from(["Dana Ortiz", "Sam Lee", "Speaker 1", "Ortiz, Dana (Contoso)", "Note"]),
                  st.text(min_size=1, max_size=12))
odd = st.sampled_from(["\x1b]0;x\x07", "\x1b[2J", "\u2028", "\u0085", "\ufeff", "\x00", "\r", "\t", "\u202e",
                       "&amp;", "&#0;", "<v ", "</v>", "<i>", "{\\an8}", "\\ud800", "\ud800", "[" * 300, "é"])
line = st.one_of(
    st.builds(lambda a, b, tail: f"{a} --> {b}{tail}", clock, clock, st.sampled_from(["", " align:start"])),
    st.builds(lambda n, t: f"{n}: {t}", names, st.text(max_size=30)),
    st.builds(lambda n, c: f"{n}  {c}", names, clock),
    st.builds(lambda c, n, t: f"[{c}] {n}: {t}", clock, names, st.text(max_size=20)),
    st.builds(lambda n, t: f"<v {n}>{t}</v>", names, st.text(max_size=20)),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["Title", "Seller", "Outcome", "Date", "Customer"]),
              st.text(max_size=15)),
    st.builds(lambda t: f"- {t}", st.text(max_size=30)),
    st.builds(lambda cells: ",".join(cells), st.lists(st.one_of(numbers, st.text(max_size=8),
                                                               st.sampled_from(["text", "speaker", "start", "end",
                                                                                "call_id", "role", '"', '""'])),
                                                     max_size=6)),
    st.sampled_from(["WEBVTT", "NOTE x", "", "", "1", "2", "Transcribed by https://otter.ai"]),
    numbers, odd, st.text(max_size=40),
)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1"])


@st.composite
def texts(draw) -> bytes:
    lines = draw(st.lists(line, max_size=30))
    if draw(st.booleans()):
        lines.insert(0, "WEBVTT\n")
    text = "\n".join(lines)
    enc = draw(encodings)
    if draw(st.integers(0, 9)) == 0:  # a mixed file: a cp1252 line inside UTF-8
        return text.encode("utf-8", "surrogatepass") + b"\nSam Lee: caf\xe9 \x80\n"
    return text.encode(enc, "surrogatepass" if enc.startswith("utf-8") else "replace")


# JSON corpus lines: valid shapes with odd values
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 500), 10 ** 500), st.floats(allow_nan=True),
              st.text(max_size=20), st.sampled_from(["\ud800", "a\u2028b", "\x1b[2J", "seller", "notes"])),
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)),
    max_leaves=10)
passage = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=30), json_values)},
    optional={"speaker": json_values, "role": st.one_of(st.sampled_from(["seller", "buyer", "other"]), json_values),
              "start": st.one_of(st.floats(), st.integers(-(10 ** 400), 10 ** 400), json_values),
              "end": json_values, "behavior": json_values, "stage": json_values,
              "predictions": st.one_of(json_values, st.dictionaries(
                  st.sampled_from(["behavior", "stage"]),
                  st.fixed_dictionaries({"label": json_values, "probability": st.one_of(
                      st.floats(), st.integers(-(10 ** 400), 10 ** 400))},
                      optional={"alternatives": st.one_of(json_values, st.lists(st.tuples(
                          st.text(max_size=5), st.one_of(st.floats(), st.integers(0, 10 ** 400)))))})))})
call = st.fixed_dictionaries(
    {"call_id": st.one_of(st.text(min_size=1, max_size=8), json_values),
     "passages": st.one_of(st.lists(passage, min_size=1, max_size=4), json_values)},
    optional={"title": json_values, "kind": st.one_of(st.sampled_from(["transcript", "notes"]), json_values),
              "outcome": json_values, "seller": json_values, "extra": json_values})


@st.composite
def corpora(draw) -> bytes:
    lines = [json.dumps(c, ensure_ascii=draw(st.booleans())) for c in draw(st.lists(call, min_size=1, max_size=3))]
    text = "\n".join(lines)
    depth = draw(st.sampled_from([0, 0, 0, 99, 101, 5000, 100_000]))
    if depth:  # the last call gets a field nested this deep
        text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    if draw(st.integers(0, 4)) == 0:  # and one a number of 5,000 digits
        text = text[:-1] + ', "big": ' + "1" * 5000 + "}"
    return text.encode("utf-8", "surrogatepass" if draw(st.booleans()) else "backslashreplace")


# Teams .docx: a real document whose paragraphs hold odd text, or whose XML is damaged
_BASE_DOCX: bytes | None = None


def _base_docx() -> bytes:
    global _BASE_DOCX
    if _BASE_DOCX is None:
        import docx

        document = docx.Document()
        for p in ("Dana Ortiz   0:03", "Hello there", "Sam Lee   0:09", "Hi"):
            document.add_paragraph(p)
        out = io.BytesIO()
        document.save(out)
        _BASE_DOCX = out.getvalue()
    return _BASE_DOCX


def _docx(paragraphs: list[str] | None = None, damage=None) -> bytes:
    """The base document with these paragraphs in its body (python-docx is slow to build
    one per example), or with ``damage`` applied to its document.xml."""
    from xml.sax.saxutils import escape

    src = zipfile.ZipFile(io.BytesIO(_base_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                if paragraphs is not None:
                    start, end = body.index(b"<w:body>") + len(b"<w:body>"), body.index(b"<w:sectPr")
                    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>'
                                    for p in paragraphs)
                    body = body[:start] + paras.encode("utf-8") + body[end:]
                if damage is not None:
                    body = damage(body)
            z.writestr(item, body)
    return out.getvalue()


_XML_OK = st.characters(blacklist_categories=("Cs", "Cc"))
docx_paragraph = st.one_of(
    st.builds(lambda n, c: f"{n}   {c}", st.sampled_from(["Dana Ortiz", "Sam Lee"]), clock),
    st.builds(lambda a, b: f"{a} --> {b}", clock, clock), st.text(_XML_OK, max_size=30))
@st.composite
def documents(draw) -> bytes:
    if draw(st.booleans()):
        return _docx(draw(st.lists(docx_paragraph, min_size=1, max_size=8)))
    how = draw(st.integers(0, 3))
    if how == 0:  # the root element renamed
        return _docx(damage=lambda b: b.replace(b"<w:document ", b"<w:documentx ").replace(b"</w:document>",
                                                                                        b"</w:documentx>"))
    if how == 1:
        return _docx(damage=lambda b: b.replace(b"<w:body>", b"<w:bodyx>").replace(b"</w:body>", b"</w:bodyx>"))
    at, cut, junk = draw(st.integers(0, 3000)), draw(st.integers(0, 20)), draw(st.binary(max_size=20))
    return _docx(damage=lambda b: b[:at] + junk + b[at + cut:])


# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", READERS)
@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_raise_only_callreview_errors(fmt, data, suffix):
    read_and_show(data, fmt, suffix)


@pytest.mark.parametrize("fmt", READERS)
@FUZZ
@given(data=st.one_of(texts(), texts(), corpora(), documents()), suffix=st.sampled_from(SUFFIXES))
def test_structured_text_raises_only_callreview_errors(fmt, data, suffix):
    read_and_show(data, fmt, suffix)


@settings(FUZZ, max_examples=60)
@given(data=corpora())
def test_corpus_lines_with_odd_values_raise_only_callreview_errors(data):
    read_and_show(data, "jsonl", ".jsonl")
