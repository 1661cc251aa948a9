"""Fuzz every reader: random mutations of the files in tests/data/formats read through
``callreview.formats.load_calls`` with each format, counting what comes out.

    python benchmarks/fuzz_readers.py [--reads 100000] [--seed 17] [--jobs 2] [--timeout 10]

Each read takes one sample file (the text files, two Teams .docx built with
tests/data/formats/build_docx.py, and the JSON Lines corpus; for half the reads one in
the reader's own format), applies 1-4 random mutations (byte flips, insertions and
deletions, spliced pieces of another sample, lines repeated, numbers in the file made
hundreds or thousands of digits long, timing and speaker lines with such numbers, and
"interesting" tokens: timing arrows, speaker labels, JSON nested thousands deep, lone
surrogate escapes, BOMs, NULs, CR, U+2028, escape sequences, invalid UTF-8, cp1252
bytes), writes it under a random suffix and reads it with one format (``auto`` or one of
``FORMATS``; every reader gets the same share). A .docx sample is mutated inside its XML
(the text of its runs, an element renamed, bytes) or as zip bytes; a line of the corpus
has a value replaced (huge numbers, wrong types, surrogates, deep nesting). A read that
takes longer than ``--timeout`` seconds is stopped and counted as a hang.

A file that is read is also shown as ``inspect`` would show it (the table and the corpus
v1 JSON line, encoded as UTF-8). The output: reads per format, how many were read, how
many were refused with the project's own error (``CallreviewError``), and every other
exception by type and the place in callreview it came from, with up to three example
inputs kept under --keep (a folder; default: a temporary one that is printed). Exit
status 1 when anything but an own error escaped. Done when (issue 17): no exception but
the project's own error.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DATA = REPO / "tests" / "data" / "formats"
SUFFIXES = (".vtt", ".srt", ".txt", ".md", ".csv", ".tsv", ".jsonl", ".docx", "")
DEEP = 3000

#: tokens that have broken readers before, or that sit on a parser's edge
TOKENS: tuple[bytes, ...] = (
    b"9" * 400, b"1" * 5000, b"1e400", b"-1", b"NaN", b"Infinity", b"0." + b"9" * 300,
    b"-->", b" --> ", b"->", b"00:00:01.000 --> 00:00:02.000", b"99:59:59,999", b"9" * 300 + b":00:00",
    b"WEBVTT\n\n", b"NOTE ", b"<v ", b"<v Dana Ortiz>", b"</v>", b"<c.x>", b"&amp;", b"&#0;", b"&#x110000;",
    b"Dana Ortiz: ", b"Sam Lee: ", b"Speaker 1  0:03\n", b"Dana Ortiz  1:02:05\n",
    b"Transcribed by https://otter.ai\n", b"Title: ", b"Seller: ", b"Outcome: ", b"- ", b"* ", b"# ",
    b"{", b"}", b"[", b"]", b'"', b",", b";", b"\t", b"|", b'""', b'"\n"',
    b'{"call_id": "x", "passages": [{"text": "hi"}]}\n', b'\\ud800', b'\\udfff', b'\\u0000', b'\\"',
    b"[" * DEEP, b"{\"a\":" * DEEP, b"\x00", b"\r", b"\r\n", b"\n" * 5, b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    "\u2028".encode(), "\u0085".encode(), "\u00a0".encode(), b"\x1b]0;x\x07", b"\x1b[2J", b"\x0c", b"\x0b",
    b"\xed\xa0\x80", b"\xc3", b"\x80\x81\x8d\x8f\x90\x9d", "caf\u00e9".encode("cp1252"), "\U0001F600".encode(),
    b"text,speaker,start,end\n", b"call_id,text,role,behavior,stage,outcome\n",
)


#: what a number in a sample is replaced with
NUMBERS = (b"9" * 400, b"1" * 5000, b"9" * 20, b"0" * 300 + b"1", b"", b"-1", b"00", b"60", b"99", b"1e400",
           b"1.5", b"0x10", b"\xd9\xa3", "\uff11".encode())


def _samples() -> list[tuple[str, bytes]]:
    out = []
    for f in sorted(DATA.iterdir()):
        if f.is_file() and f.suffix != ".py":
            out.append((f.name, f.read_bytes()))
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_docx", DATA / "build_docx.py")
    build_docx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_docx)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("current.docx", build_docx.current_layout), ("cues.docx", build_docx.cue_layout)):
            out.append((name, Path(fn(Path(tmp) / name)).read_bytes()))
    return out


def mutate_bytes(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(11)
        pos = rng.randint(0, len(b))
        if op == 0 and b:  # flip a byte
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
        elif op == 1:  # insert random bytes
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2 and b:  # delete a run
            del b[pos:pos + rng.randint(1, 64)]
        elif op in (3, 4, 5):  # an interesting token
            b[pos:pos] = rng.choice(TOKENS)
        elif op == 6:  # splice a piece of another sample
            other = rng.choice(others)
            if other:
                i = rng.randrange(len(other))
                b[pos:pos] = other[i:i + rng.randint(1, 200)]
        elif op == 7 and b:  # repeat a line
            lines = bytes(b).split(b"\n")
            k = rng.randrange(len(lines))
            lines[k:k] = [lines[k]] * rng.choice((2, 10, 200))
            b = bytearray(b"\n".join(lines))
        elif op == 8 and rng.random() < 0.3:  # truncate
            del b[pos:]
        elif op in (8, 9):  # a number in the file made huge, negative, empty or odd
            runs = [m.span() for m in re.finditer(rb"\d+", bytes(b))]
            if runs:
                i, j = rng.choice(runs)
                b[i:j] = rng.choice(NUMBERS)
        elif op == 10:  # a caption timing or speaker line with odd numbers, at a line start
            starts = [0] + [m.end() for m in re.finditer(rb"\n", bytes(b))]
            at = rng.choice(starts)
            n1, n2 = rng.choice(NUMBERS), rng.choice(NUMBERS)
            b[at:at] = rng.choice((b"%s:00:01.000 --> 00:00:02.000\n" % n1, b"00:00:01,000 --> %s:%s:02,5\n" % (n1, n2),
                                   b"Dana Ortiz  %s:%s\n" % (n1, n2), b"[%s:%s] Sam Lee: hi\n" % (n1, n2),
                                   b"Dana Ortiz [%s:00]: hi\n" % n1, b"%s,%s,text\n" % (n1, n2)))
    return bytes(b[:2_000_000])


#: JSON values put in place of a corpus line's values
JSON_VALUES = (10 ** 400, -(10 ** 400), 10 ** 4000, 1e308, -1, 0, 1.5, -0.0, True, None, "", " ", "\ud800",
               "a\u2028b\u0085c", "\x1b]0;x\x07", "\x00", [], {}, [[[[[]]]]], "9" * 300 + ":00:00",
               "seller", "buyer", "transcript", "notes", {"label": "x", "probability": 10 ** 400},
               {"label": "x", "probability": 0.5, "alternatives": [["y", 10 ** 400]]},
               {"label": "x", "probability": 0.5, "alternatives": "ab"}, {"behavior": {"label": "x"}})


def mutate_json_line(line: bytes, rng: random.Random) -> bytes:
    """A corpus line with one value replaced, a key added or the nesting deepened."""
    import json

    try:
        data = json.loads(line)
    except ValueError:
        return line
    nodes = [data]
    stack = [data]
    while stack:
        item = stack.pop()
        children = list(item.values()) if isinstance(item, dict) else item if isinstance(item, list) else []
        for c in children:
            if isinstance(c, (dict, list)):
                nodes.append(c)
                stack.append(c)
    node = rng.choice(nodes)
    value = rng.choice(JSON_VALUES)
    deep = rng.random() < 0.1
    if deep:  # a value nested this deep, in place of the one chosen below
        depth = rng.choice((50, 99, 101, 990, 5000, 100_000))
        value = "__DEEP__"
    if isinstance(node, dict):
        keys = list(node) or ["text"]
        node[rng.choice(keys + ["start", "end", "text", "call_id", "predictions", "\ud800"])] = value
    elif isinstance(node, list) and node:
        node[rng.randrange(len(node))] = value
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5).replace(str(10 ** 4000), "1" * 5000)
    if deep:
        text = text.replace('"__DEEP__"', "[" * depth + "]" * depth)
    return text.encode("utf-8", "surrogatepass") if rng.random() < 0.1 else text.encode("utf-8", "backslashreplace")


def mutate_jsonl(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    if rng.random() < 0.4:
        return mutate_bytes(data, rng, others)
    lines = data.split(b"\n")
    k = rng.randrange(len(lines))
    lines[k] = mutate_json_line(lines[k], rng)
    return b"\n".join(lines)


def mutate_docx(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    if rng.random() < 0.25:
        return mutate_bytes(data, rng, others)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml" or (item.filename.endswith(".xml") and rng.random() < 0.1):
                if rng.random() < 0.4:  # change only the text: a Word file that still opens
                    body = re.sub(rb"(<w:t[^>]*>)([^<]*)", lambda m: m.group(1) + _xml_text(
                        mutate_bytes(m.group(2), rng, others)) if rng.random() < 0.2 else m.group(0), body)
                elif rng.random() < 0.3:  # rename an element, as issue 17 did with the root
                    body = body.replace(rng.choice([b"<w:document ", b"<w:body>", b"<w:p>", b"<w:r>", b"<w:t>"]),
                                        rng.choice([b"<w:documentx ", b"<x:body>", b"<w:q>", b"<w:br>", b"<w:t "]), 1)
                else:
                    body = mutate_bytes(body, rng, others)
            z.writestr(item.filename if rng.random() > 0.02 else item.filename + "x", body)
    return out.getvalue()


def _xml_text(raw: bytes) -> bytes:
    """Bytes as XML character data: what XML 1.0 cannot hold dropped, the rest escaped."""
    text = raw.decode("utf-8", "replace")
    text = "".join(ch for ch in text if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
                   or ch > "\uffff")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


# ---------------------------------------------------------------------------------------


def _where(exc: BaseException) -> str:
    """The innermost frame in callreview (else the innermost frame) as ``file:line``."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/callreview/" in f.filename.replace("\\", "/")]
    f = (ours or frames or [None])[-1]
    if f is None:
        return "?"
    path = Path(f.filename)
    try:
        shown = path.relative_to(REPO)
    except ValueError:
        shown = path.name
    return f"{shown}:{f.lineno}"


def show(calls) -> None:
    """What ``inspect`` prints for the calls, table and --json, encoded as UTF-8 (a lone
    surrogate that got through fails here, as it did on a terminal)."""
    from callreview.cli.inspect import call_header, passage_table
    from callreview.corpora import dumps_call

    for call in calls:
        "\n".join([*call_header(call, 100), *passage_table(call, 100)]).encode("utf-8")
        dumps_call(call).encode("utf-8")


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def run_chunk(args: tuple[int, int, int, float, str]) -> dict:
    """Reads ``count`` mutated files with seed ``seed``; returns the counts."""
    seed, start, count, timeout, keep = args
    from callreview.errors import CallreviewError
    from callreview.formats import FORMATS, load_calls, sniff

    formats = ("auto", *FORMATS)
    samples = _samples()
    others = [d for _, d in samples]
    rng = random.Random(seed * 1_000_003 + start)
    stats: dict = {"reads": 0, "read": Counter(), "own": Counter(), "other": Counter(), "examples": {},
                   "by_format": Counter(), "seconds": 0.0, "slowest": (0.0, "")}
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    tmp = Path(tempfile.mkdtemp(prefix="callreview-fuzz-"))
    native: dict[str, list[int]] = defaultdict(list)  # format -> samples that are in it
    for i, (name, data) in enumerate(samples):  # also loads spaCy (notes) before reads are timed
        (tmp / name).write_bytes(data)
        try:
            native[sniff(tmp / name)].append(i)
        except CallreviewError:
            pass
        (tmp / name).unlink()
    try:
        for k in range(count):
            fmt = formats[(start + k) % len(formats)]
            # half the reads mutate a sample in the reader's own format, half any sample
            pick = native.get(fmt) if rng.random() < 0.5 else None
            name, data = samples[rng.choice(pick) if pick else rng.randrange(len(samples))]
            mutate = (mutate_docx if name.endswith(".docx") else mutate_jsonl if name.endswith(".jsonl")
                      else mutate_bytes)
            mutated = mutate(data, rng, others)
            suffix = rng.choice((Path(name).suffix,) * 3 + SUFFIXES)
            path = tmp / f"fuzz{suffix}"
            path.write_bytes(mutated)
            stats["reads"] += 1
            stats["by_format"][fmt] += 1
            t0 = time.perf_counter()
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                show(load_calls(path, format=fmt))
                outcome = ("read", None)
            except CallreviewError:
                outcome = ("own", None)
            except _Hang:
                outcome = ("other", f"Hang(>{timeout:g}s) reading {fmt}")
            except (Exception, RecursionError) as exc:  # counting them is the point
                outcome = ("other", f"{type(exc).__name__} at {_where(exc)}")
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - t0
            stats["seconds"] += took
            if took > stats["slowest"][0]:
                stats["slowest"] = (took, f"{name} as {fmt}, {len(mutated):,} bytes")
            kind, key = outcome
            stats[kind][fmt] += 1
            if key is not None:
                stats["examples"].setdefault(key, [])
                if len(stats["examples"][key]) < 3:
                    dest = Path(keep) / f"{len(stats['examples']) :03d}-{seed}-{start + k}-{fmt}{suffix}"
                    dest.write_bytes(mutated)
                    stats["examples"][key].append(str(dest))
                stats.setdefault("keys", Counter())[key] += 1
    finally:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reads", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a read counts as a hang")
    ap.add_argument("--keep", default=None, help="folder for the inputs that raised something else")
    args = ap.parse_args(argv)
    keep = Path(args.keep or tempfile.mkdtemp(prefix="callreview-fuzz-found-"))
    keep.mkdir(parents=True, exist_ok=True)
    chunk = 500
    jobs = [(args.seed, s, min(chunk, args.reads - s), args.timeout, str(keep)) for s in range(0, args.reads, chunk)]
    total = {"reads": 0, "read": Counter(), "own": Counter(), "other": Counter(), "keys": Counter(),
             "examples": defaultdict(list), "by_format": Counter(), "seconds": 0.0, "slowest": (0.0, "")}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for n, st in enumerate(pool.map(run_chunk, jobs), 1):
            total["reads"] += st["reads"]
            total["seconds"] += st["seconds"]
            total["slowest"] = max(total["slowest"], st["slowest"])
            for key in ("read", "own", "other", "by_format"):
                total[key].update(st[key])
            total["keys"].update(st.get("keys", {}))
            for k, v in st["examples"].items():
                total["examples"][k].extend(v[: 3 - len(total["examples"][k])])
            if n % 20 == 0:
                print(f"  ... {total['reads']:,} reads, {sum(total['other'].values())} other exceptions, "
                      f"{time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    others = sum(total["other"].values())
    print(f"fuzz_readers: {total['reads']:,} reads (seed {args.seed}) in {wall:.0f}s "
          f"({args.jobs} processes; slowest read {total['slowest'][0]:.2f}s: {total['slowest'][1]})")
    print(f"{'format':<8} {'reads':>8} {'read':>8} {'own error':>10} {'other':>6}")
    for fmt in total["by_format"]:
        print(f"{fmt:<8} {total['by_format'][fmt]:>8,} {total['read'][fmt]:>8,} {total['own'][fmt]:>10,} "
              f"{total['other'][fmt]:>6,}")
    print(f"{'all':<8} {total['reads']:>8,} {sum(total['read'].values()):>8,} {sum(total['own'].values()):>10,} "
          f"{others:>6,}")
    if others:
        print(f"\nother exceptions by type and place ({len(total['keys'])} kinds; examples in {keep}):")
        for key, n in total["keys"].most_common():
            print(f"  {n:>6,}  {key}   e.g. {total['examples'][key][0]}")
    else:
        print("\nno exception but callreview's own errors")
    return 1 if others else 0


if __name__ == "__main__":
    sys.exit(main())
