"""Issue 17, "Readers crash or hang" and JSON Lines read back: every hostile file a manager
can be handed is either refused through ``callreview inspect`` with one ``error:`` line, a
``hint:`` line, exit status 2 and no traceback, or read correctly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import call_from_json, read_corpus, write_corpus
from callreview.errors import InputError
from callreview.formats import load_calls
from callreview.formats._base import parse_clock, parse_seconds
from callreview.records import Prediction
from callreview.text_safety import for_terminal

DATA = Path(__file__).parent / "data" / "formats"
BIG = "9" * 400  # hundreds of digits: more than a float holds

#: characters that must never reach a terminal from the human-readable output
CONTROL = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]]


def inspect(*args, columns=100):
    # color=True: print as to a terminal (click strips some escape sequences from other output)
    return CliRunner().invoke(cli, ["inspect", *map(str, args)], env={"COLUMNS": str(columns)}, color=True)


def program(*args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """The real program, with a strict UTF-8 stdout (as on a UTF-8 terminal)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8", "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "callreview", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=env, timeout=timeout, **kw)


def assert_refused(result, *needles: str, line: int | None = None) -> None:
    """One error line naming the file (and line), one hint line, exit 2, no traceback."""
    stderr = result.stderr
    output = getattr(result, "output", "") + getattr(result, "stdout", "")
    code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert code == 2, (code, stderr, output)
    assert "Traceback" not in stderr and "Traceback" not in output
    if hasattr(result, "exception"):
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = stderr.strip("\n").split("\n")
    errors = [x for x in lines if x.startswith("error: ")]
    assert len(errors) == 1 and lines[-1].startswith("hint: ") and lines[-2] == errors[0], stderr
    if line is not None:
        assert f":{line}: " in errors[0], errors[0]
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------------------------------
# Timings with hundreds of digits


def test_a_clock_with_hundreds_of_digits_is_not_a_time():
    assert parse_clock(f"{BIG}:00:01.000") is None
    assert parse_clock("0" * 300 + "1:00:00") == 3600.0  # leading zeros are still one hour
    assert parse_clock("999999:00:00") == 999999 * 3600.0
    assert parse_seconds(f"{BIG}:00:00") is None and parse_seconds(BIG) is None
    assert parse_seconds("1e400") is None and parse_seconds("nan") is None


@pytest.mark.parametrize("name, text, line", [
    ("hours.vtt", f"WEBVTT\n\n{BIG}:00:01.000 --> 00:00:02.000\nhello\n", 3),
    ("end.vtt", f"WEBVTT\n\n00:00:01.000 --> {BIG}:00:02.000\nhello\n", 3),
    ("hours.srt", f"1\n{BIG}:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:03,000 --> 00:00:04,000\nbye\n", 2),
])
def test_caption_timing_with_hundreds_of_digits_is_refused_at_its_line(tmp_path, name, text, line):
    assert_refused(inspect(write(tmp_path / name, text)), name, "broken cue timing line", line=line)


def test_csv_time_cell_with_hundreds_of_digits_is_left_empty_with_a_warning(tmp_path):
    f = write(tmp_path / "times.csv", f"text,start,end\nhello,{BIG}:00:00,{BIG}\nbye,3,4\n")
    result = inspect(f, "--json")
    assert result.exit_code == 0, result.output
    call = call_from_json(json.loads(result.stdout))
    assert [(p.start, p.end) for p in call.passages] == [(None, None), (3.0, 4.0)]
    assert "times.csv:2: start time" in result.stderr and "left empty" in result.stderr


# ---------------------------------------------------------------------------------------
# JSON Lines: huge numbers, deep nesting, lone surrogates


def jsonl(tmp_path: Path, line: str, name: str = "corpus.jsonl") -> Path:
    return write(tmp_path / name, '{"call_id": "c1", "passages": [{"text": "hi"}]}\n' + line + "\n")


@pytest.mark.parametrize("value", [BIG, "-" + BIG, "1e400"])
def test_jsonl_time_that_is_a_huge_number_is_refused(tmp_path, value):
    f = jsonl(tmp_path, '{"call_id": "c2", "passages": [{"text": "hi", "start": %s}]}' % value)
    assert_refused(inspect(f), "corpus.jsonl", "start must be a non-negative number", line=2)


@pytest.mark.parametrize("pred", [
    '{"label": "ask", "probability": %s}' % BIG,
    '{"label": "ask", "probability": 0.5, "alternatives": [["tell", %s]]}' % BIG,
    '{"label": "ask", "probability": 1.5}',
])
def test_jsonl_probability_that_is_a_huge_number_is_refused(tmp_path, pred):
    f = jsonl(tmp_path, '{"call_id": "c2", "passages": [{"text": "hi", "predictions": {"behavior": %s}}]}' % pred)
    assert_refused(inspect(f), "predictions are malformed", line=2)


def test_prediction_from_json_raises_value_error_not_overflow():
    for bad in (int(BIG), float("nan"), -0.1, 1.01):
        with pytest.raises(ValueError):
            Prediction.from_json({"label": "ask", "probability": bad})
    assert Prediction.from_json({"label": "ask", "probability": 1}).probability == 1.0


def test_a_json_number_of_5000_digits_is_refused(tmp_path):
    f = jsonl(tmp_path, '{"call_id": "c2", "size": %s, "passages": [{"text": "hi"}]}' % ("1" * 5000))
    assert_refused(inspect(f), "a number too long", line=2)


@pytest.mark.parametrize("depth", [101, 900, 100_000])
def test_json_nested_deeply_is_refused(tmp_path, depth):
    f = jsonl(tmp_path, '{"call_id": "c2", "x": %s%s, "passages": [{"text": "hi"}]}' % ("[" * depth, "]" * depth))
    assert_refused(inspect(f), "nested more than 100 levels deep", line=2)


def test_json_nested_100_levels_reads_and_prints_back(tmp_path):
    f = jsonl(tmp_path, '{"call_id": "c2", "x": %s%s, "passages": [{"text": "hi"}]}' % ("[" * 98, "]" * 98))
    result = inspect(f, "--json")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.split("\n")) == 3


@pytest.mark.parametrize("name", ["deep.vtt", "deep.txt"])
def test_json_nested_100000_deep_in_a_file_being_sniffed_is_not_a_recursion_error(tmp_path, name):
    f = write(tmp_path / name, '{"a": %s%s}\n' % ("[" * 100_000, "]" * 100_000))
    assert_refused(inspect(f), name)


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ude00\\ud83d"])
def test_a_lone_surrogate_in_jsonl_is_refused_at_read_time(tmp_path, escape):
    f = jsonl(tmp_path, '{"call_id": "c2", "passages": [{"speaker": "Dana", "text": "hi %s there"}]}' % escape)
    assert_refused(inspect(f), "lone surrogate", line=2)
    with pytest.raises(InputError, match="lone surrogate"):
        read_corpus(f)
    # the real program (strict UTF-8 output) says so too, rather than UnicodeEncodeError
    proc = program("inspect", str(f))
    assert_refused(proc, "lone surrogate", line=2)


def test_a_lone_surrogate_in_a_key_is_refused_and_a_pair_is_read(tmp_path):
    f = jsonl(tmp_path, '{"call_id": "c2", "\\ud800": 1, "passages": [{"text": "hi"}]}')
    assert_refused(inspect(f), "lone surrogate", line=2)
    ok = jsonl(tmp_path, '{"call_id": "c2", "passages": [{"text": "smile \\ud83d\\ude00"}]}', "ok.jsonl")
    assert read_corpus(ok)[1].passages[0].text == "smile \U0001F600"


# ---------------------------------------------------------------------------------------
# JSON Lines are split at "\n" only


SEPARATORS = "\u2028\u2029\u0085\x0c\x0b\x1c\x1d\x1e"


def test_jsonl_text_with_unicode_line_separators_reads_back_identical(tmp_path):
    texts = [f"one{sep}two" for sep in SEPARATORS] + ["a\u2028b\u0085c\u2029"]
    src = tmp_path / "seps.jsonl"
    with src.open("w", encoding="utf-8", newline="") as out:
        for k, text in enumerate(texts):
            out.write(json.dumps({"call_id": f"c{k}", "passages": [{"text": text}]}, ensure_ascii=False) + "\n")
    assert [c.passages[0].text for c in read_corpus(src)] == texts
    first = inspect(src, "--json")
    assert first.exit_code == 0, first.output
    again = write(tmp_path / "again.jsonl", first.stdout)
    assert [c.passages[0].text for c in read_corpus(again)] == texts
    second = inspect(again, "--json")
    assert [json.loads(x)["passages"] for x in second.stdout.split("\n") if x] == \
           [json.loads(x)["passages"] for x in first.stdout.split("\n") if x]


def test_write_corpus_output_reads_back_identical(tmp_path):
    calls = read_corpus(DATA / "corpus_two_calls.jsonl")
    from dataclasses import replace

    odd = [replace(c, passages=tuple(replace(p, text=p.text + " \u2028 next\u0085line") for p in c.passages))
           for c in calls]
    f = tmp_path / "out.jsonl"
    with f.open("w", encoding="utf-8", newline="") as out:
        write_corpus(odd, out)
    back = read_corpus(f)
    assert [[p.text for p in c.passages] for c in back] == [[p.text for p in c.passages] for c in odd]


def test_jsonl_with_windows_line_ends_still_reads(tmp_path):
    f = tmp_path / "crlf.jsonl"
    f.write_bytes(b'{"call_id": "a", "passages": [{"text": "hi"}]}\r\n{"call_id": "b", "passages": [{"text": "yo"}]}\r\n')
    assert [c.call_id for c in load_calls(f)] == ["a", "b"]


# ---------------------------------------------------------------------------------------
# DOCX, folders, FIFOs


def test_docx_with_a_renamed_root_element_is_refused(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_docx", DATA / "build_docx.py")
    build_docx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_docx)
    good = build_docx.current_layout(tmp_path / "good.docx")
    bad = tmp_path / "renamed.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:document ", b"<w:documentx ").replace(b"</w:document>", b"</w:documentx>")
            zout.writestr(item, data)
    assert_refused(inspect(bad), "renamed.docx", "not a readable Word document")


def test_a_file_in_a_folder_that_may_not_be_read_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    f = shutil.copy(DATA / "zoom_demo.vtt", folder / "call.vtt")
    corpus = shutil.copy(DATA / "corpus_two_calls.jsonl", folder / "c.jsonl")
    if os.geteuid() == 0:
        pytest.skip("root may read any folder (the next test raises the same PermissionError)")
    folder.chmod(0)
    try:
        assert_refused(inspect(f), "call.vtt", "cannot read file", "ermission denied")
        assert_refused(inspect(corpus), "c.jsonl", "ermission denied")
        with pytest.raises(InputError, match="ermission denied"):
            read_corpus(corpus)
    finally:
        folder.chmod(0o755)


def test_permission_error_from_stat_is_an_input_error(tmp_path, monkeypatch):
    """The same in-process, for whoever runs the tests (root may read any folder)."""
    f = shutil.copy(DATA / "zoom_demo.vtt", tmp_path / "call.vtt")
    real_stat = os.stat

    def stat(path, *a, **kw):
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *a, **kw)

    monkeypatch.setattr(os, "stat", stat)
    assert_refused(inspect(f), "call.vtt", "Permission denied")
    with pytest.raises(InputError, match="Permission denied"):
        read_corpus(tmp_path / "corpus.jsonl")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["pipe.vtt", "pipe.jsonl"])
def test_a_fifo_is_refused_without_blocking(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    try:
        proc = program("inspect", str(fifo), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a FIFO blocked")
    assert_refused(proc, name, "named pipe")


def test_a_device_is_refused(tmp_path):
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    assert_refused(inspect("/dev/null"), "/dev/null", "is a device")


# ---------------------------------------------------------------------------------------
# Linear time on continuation lines


def _timed_read(path: Path, fmt: str):
    start = time.perf_counter()
    calls = load_calls(path, format=fmt)
    return time.perf_counter() - start, calls


@pytest.mark.parametrize("fmt", ["plain", "otter"])
def test_a_megabyte_of_continuation_lines_is_read_whole(tmp_path, fmt):
    """Every word of a long run of continuation lines is kept (how long it takes is measured
    in benchmarks/, never asserted here: tests do not depend on the machine's speed)."""
    line = "and then we talked about the rollout plan for the next quarter again\n"
    n = 1_000_000 // len(line)
    head = "Dana Ortiz: hello there\nSam Lee: hi\n" if fmt == "plain" else "Dana Ortiz  0:03\nhello there\n\n"
    f = tmp_path / f"long.{'txt'}"
    f.write_text(head + line * n, encoding="utf-8")
    seconds, calls = _timed_read(f, fmt)
    words = sum(len(p.text.split()) for p in calls[0].passages)
    assert words >= n * len(line.split())


def _one_speaker_vtt(path: Path, n: int) -> Path:
    cues = "".join(f"{k // 3600:02d}:{k // 60 % 60:02d}:{k % 60:02d}.000 --> {k // 3600:02d}:{k // 60 % 60:02d}:"
                   f"{k % 60:02d}.500\n<v Dana Ortiz>a few words of cue {k} text here</v>\n\n" for k in range(n))
    return write(path, "WEBVTT\n\n" + cues)


def test_many_cues_of_one_speaker_merge_into_one_turn(tmp_path):
    """120,000 cues of one speaker become one turn holding every cue's words (that this takes
    linear time is measured in benchmarks/, not asserted here)."""
    n = 30_000
    small, _ = _timed_read(_one_speaker_vtt(tmp_path / "small.vtt", n), "vtt")
    large, calls = _timed_read(_one_speaker_vtt(tmp_path / "large.vtt", 4 * n), "vtt")
    assert len(calls[0].passages) == 1 and calls[0].passages[0].text.count("cue") == 4 * n



# ---------------------------------------------------------------------------------------
# UTF-8 and cp1252 lines in one file


def test_a_file_mixing_utf8_and_cp1252_lines_keeps_both(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes("Dana Ortiz: Caf\u00e9 na\u00efve \u2014 \u20ac100, ok?\n".encode("utf-8")
                  + "Sam Lee: R\u00e9sum\u00e9 \u201cdone\u201d \u2013 \u20ac5\n".encode("cp1252")
                  + "Dana Ortiz: \u00fcber gr\u00fc\u00dfe \U0001F600\n".encode("utf-8")
                  + "Sam Lee: plain ascii\n".encode("utf-8"))
    warnings = []
    call = load_calls(f, warn=warnings.append)[0]
    assert [p.text for p in call.passages] == [
        "Caf\u00e9 na\u00efve \u2014 \u20ac100, ok?", "R\u00e9sum\u00e9 \u201cdone\u201d \u2013 \u20ac5",
        "\u00fcber gr\u00fc\u00dfe \U0001F600", "plain ascii"]
    assert len(warnings) == 1 and "mixed.txt" in warnings[0] and "cp1252" in warnings[0]
    assert "line 2" in warnings[0]
    result = inspect(f)
    assert result.exit_code == 0 and "R\u00e9sum\u00e9" in result.stdout and "Caf\u00e9" in result.stdout
    assert result.stderr.count("warning:") == 1


def test_a_cp1252_file_is_still_read_as_cp1252_with_one_warning(tmp_path):
    f = tmp_path / "win.txt"
    f.write_bytes("Dana Ortiz: caf\u00e9 \u20ac5\r\nSam Lee: na\u00efve\r\nDana Ortiz: ok\r\n".encode("cp1252"))
    warnings = []
    call = load_calls(f, warn=warnings.append)[0]
    assert [p.text for p in call.passages] == ["caf\u00e9 \u20ac5", "na\u00efve", "ok"]
    assert len(warnings) == 1 and "not UTF-8; read as cp1252" in warnings[0]


# ---------------------------------------------------------------------------------------
# Control characters never reach the terminal


#: escape sequences (retitle, clear the screen, colour, 8-bit CSI, a bidi override) in a
#: transcript with enough ordinary text not to look like a binary file
HOSTILE = ("Dana Ortiz: hi \x1b]0;pwned\x07 and \x1b[2Jred\x1b[0m \x9b31m and \u202eevil\u202c ok\n"
           "Sam Lee: fine\x1b[H thanks\n"
           + "Dana Ortiz: so tell me how the rollout went for your team last quarter.\n"
           "Sam Lee: it went well, mostly, apart from the training sessions we had to move.\n" * 4)


def assert_no_controls(text: str) -> None:
    bad = sorted({hex(ord(ch)) for ch in text if ch in CONTROL or ch in "\u202a\u202b\u202c\u202d\u202e"})
    assert not bad, bad


def test_for_terminal_strips_controls_and_keeps_the_rest():
    assert for_terminal("caf\u00e9 \U0001F600 ok") == "caf\u00e9 \U0001F600 ok"
    assert for_terminal("a\x1b[2Jb\x07\x9bc") == "a[2Jbc"
    assert for_terminal("one\ntwo\tthree\u2028four") == "one two three four"
    assert for_terminal("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert for_terminal("bad\udcffname") == "bad\ufffdname"
    assert for_terminal("\u202eevil") == "evil"


def test_escape_sequences_in_text_do_not_reach_the_terminal_from_inspect(tmp_path):
    f = write(tmp_path / "hostile.txt", HOSTILE)
    result = inspect(f)
    assert result.exit_code == 0, result.output
    assert_no_controls(result.stdout)
    assert "pwned" in result.stdout and "red" in result.stdout  # the words are still shown
    # the data is unchanged: --json keeps (escaped) what the file holds
    js = inspect(f, "--json")
    assert "\\u001b]0;pwned\\u0007" in js.stdout
    assert "\x1b" in call_from_json(json.loads(js.stdout)).passages[0].text


def test_a_file_name_with_newlines_and_escapes_is_shown_on_one_line(tmp_path):
    f = write(tmp_path / "call\n\x1b[2Jfake line.txt", HOSTILE)
    result = inspect(f)
    assert result.exit_code == 0, result.output
    assert_no_controls(result.stdout)
    assert any(line.startswith("   source: ") and "fake line.txt" in line for line in result.stdout.split("\n"))
    bad = write(tmp_path / "broken\n\x1b]0;x\x07.vtt", "WEBVTT\n\n00:00:01.000 -> nope\nhello\n")
    refused = inspect(bad)
    assert_refused(refused, "broken", ".vtt")
    assert_no_controls(refused.stderr.replace("\n", ""))


def test_warnings_quote_file_names_without_controls(tmp_path):
    f = write(tmp_path / "gaps\x1b[2J.vtt", (DATA / "gaps.vtt").read_text(encoding="utf-8"))
    result = inspect(f)
    assert result.exit_code == 0 and "warning: " in result.stderr
    assert_no_controls(result.stderr.replace("\n", ""))


def test_an_undecodable_file_name_is_shown_not_a_crash(tmp_path):
    name = os.fsdecode(b"caf\xe9-call.txt")  # Latin-1 bytes in a file name: a surrogate in Python
    try:
        f = write(tmp_path / name, HOSTILE)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system wants UTF-8 names")
    proc = program("inspect", str(f))
    assert proc.returncode == 0, proc.stderr
    assert "caf\ufffd-call.txt" in proc.stdout and "Traceback" not in proc.stderr


def test_escape_sequences_do_not_reach_the_terminal_from_annotate(tmp_path, small_model):
    f = write(tmp_path / "hostile\x1b]0;t\x07.txt", HOSTILE)
    result = CliRunner().invoke(cli, ["annotate", str(f), "--explain", "--model", str(small_model.path)],
                                env={"COLUMNS": "120"}, color=True)
    assert result.exit_code == 0, result.output
    assert_no_controls(result.stdout)
    assert "pwned" in result.stdout
    js = CliRunner().invoke(cli, ["annotate", str(f), "--json", "--model", str(small_model.path)])
    assert "\\u001b[2J" in js.stdout
