"""What every reader shares: reading and decoding a file, times, speaker labels, and
turning a list of raw turns into a :class:`~callreview.records.Call`.

A reader parses text into :class:`Turn` objects (speaker, times, text, line) and hands
them to :func:`build_call`, which merges the cues a caption tool split out of one turn,
normalises text to NFC, names the call after its file and records the file's SHA-256.
Nothing here imports anything heavier than the standard library.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..errors import InputError
from ..records import Call, Passage
from ..roles import is_unidentified, name_key

Warn = Callable[[str], None]


def no_warn(message: str) -> None:  # the default ``warn``: ignore
    return None


# ---------------------------------------------------------------------------------------
# Source files


@dataclass
class Source:
    """A file read once: its bytes, decoded text and where it came from."""

    path: str
    raw: bytes
    text: str = ""
    #: the encoding the text was decoded with ("utf-8", "utf-16", "cp1252", ...)
    encoding: str = "utf-8"
    warn: Warn = no_warn

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()

    def lines(self) -> list[str]:
        """The text's lines; line ``i`` (0-based) is line ``i + 1`` in an editor."""
        return self.text.split("\n")

    def error(self, message: str, line: int | None = None, hint: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=line, hint=hint)

    def warn_at(self, line: int | None, message: str) -> None:
        where = f"{self.path}:{line}" if line else self.path
        self.warn(f"{where}: {message}")


def read_source(path: str | Path, warn: Warn = no_warn) -> Source:
    """Read a file's bytes (see :func:`read_regular_file`) into a :class:`Source`."""
    return Source(path=str(path), raw=read_regular_file(path), warn=warn)


def read_regular_file(path: str | Path) -> bytes:
    """A regular file's bytes. Missing files, folders, unreadable paths and anything
    that is not a regular file (a FIFO, a device, a socket) are InputErrors.

    The path is checked with ``stat`` before it is opened, so a FIFO never blocks; it
    is opened non-blocking and checked again, so one swapped in between does not either.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file", path=name, hint="check the path and the file name") from None
    except (OSError, ValueError) as exc:  # PermissionError on an unreadable folder, a NUL in the name
        raise _unreadable(name, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a folder, not a transcript file", path=name,
                         hint="give the transcript files themselves, e.g. calls/*.vtt")
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(name, st.st_mode)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError("no such file", path=name, hint="check the path and the file name") from None
    except (OSError, ValueError) as exc:
        raise _unreadable(name, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(name, st.st_mode)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError as exc:
        raise _unreadable(name, exc) from None
    finally:
        os.close(fd)


def _unreadable(name: str, exc: BaseException) -> InputError:
    why = getattr(exc, "strerror", None) or str(exc)
    return InputError(f"cannot read file: {why}", path=name,
                      hint="check that the file exists and that you may read it and its folders")


def _not_regular(name: str, mode: int) -> InputError:
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    return InputError(f"is {kind}, not a transcript file", path=name,
                      hint="give a transcript file saved on disk; to read a pipe, save it to a file first")


ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"ID3", b"RIFF", b"\x1f\x8b",
                b"OggS", b"fLaC", b"\x7fELF", b"MZ", b"SQLite format 3")


def decode(src: Source) -> str:
    """Decode the bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Line ends become ``\\n``; the text is NFC-normalised. Binary content is an InputError.
    """
    raw = src.raw
    if not raw.strip():
        raise src.error("the file is empty", hint="export the transcript again; this file has no text")
    text: str | None = None
    if raw.startswith(b"\xef\xbb\xbf"):
        text, src.encoding = _strict(src, raw[3:], "utf-8"), "utf-8"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, src.encoding = _strict(src, raw, "utf-16"), "utf-16"
    elif _looks_utf16(raw):
        enc = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        text, src.encoding = _strict(src, raw, enc), enc
    else:
        if raw.startswith(BINARY_MAGIC) or raw.startswith(ZIP_MAGIC) or _binary(raw):
            raise src.error("this is a binary file, not a text transcript",
                            hint="give a .vtt, .srt, .txt, .docx, .csv or .jsonl file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_lines(src, raw)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text or _binary(text.encode("utf-8", "surrogatepass")):
        raise src.error("this is a binary file, not a text transcript",
                        hint="give a .vtt, .srt, .txt, .docx, .csv or .jsonl file")
    if not text.strip():
        raise src.error("the file is empty", hint="export the transcript again; this file has no text")
    src.text = text
    return text


def _decode_lines(src: Source, raw: bytes) -> str:
    """Bytes that are not UTF-8 as a whole, decoded line by line: a line that is valid
    UTF-8 stays UTF-8, any other is cp1252 (Windows), or Latin-1 where cp1252 leaves a
    byte undefined. A file pasted together from a UTF-8 and a Windows export keeps both
    halves readable. One warning says which it was."""
    parts: list[str] = []
    utf8 = 0  # lines with non-ASCII text that decode as UTF-8
    legacy: list[int] = []  # 1-based numbers of the lines read as cp1252 / Latin-1
    encodings: set[str] = set()
    for n, line in enumerate(raw.splitlines(keepends=True), 1):
        try:
            parts.append(line.decode("utf-8"))
            if not line.isascii():
                utf8 += 1
            continue
        except UnicodeDecodeError:
            pass
        legacy.append(n)
        try:
            parts.append(line.decode("cp1252"))
            encodings.add("cp1252")
        except UnicodeDecodeError:
            parts.append(line.decode("latin-1"))
            encodings.add("latin-1")
    src.encoding = "cp1252" if encodings == {"cp1252"} else "latin-1" if encodings == {"latin-1"} else "cp1252+latin-1"
    if utf8:
        src.encoding = f"utf-8+{src.encoding}"
        shown = ", ".join(map(str, legacy[:5])) + (", ..." if len(legacy) > 5 else "")
        src.warn_at(None, f"mixes UTF-8 and Windows (cp1252) text; {len(legacy)} of its lines are not UTF-8 "
                          f"and were read as Windows text (line {shown})")
    else:
        src.warn_at(None, f"not UTF-8; read as {src.encoding} (Windows) text")
    return "".join(parts)


def _strict(src: Source, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise src.error(f"not valid {encoding.upper()} text (byte {exc.start})",
                        hint="save the file again as UTF-8") from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: mostly ASCII text with every other byte zero."""
    sample = raw[:2000]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even)) or (
        even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd))


_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def _binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if b"\x00" in sample:
        return True
    bad = sum(1 for b in sample if b in _CONTROL)
    return bad > max(2, len(sample) // 50)


# ---------------------------------------------------------------------------------------
# Times

#: a clock's hours have at most this many digits (999,999 hours is 114 years)
MAX_HOUR_DIGITS = 6
_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_clock(text: str) -> float | None:
    """``h:mm:ss(.fff)``, ``mm:ss(.fff)`` (comma or dot decimals) to seconds, else None."""
    m = _TIME.match(text.strip())
    if not m:
        return None
    if len((m.group(1) or "").lstrip("0")) > MAX_HOUR_DIGITS:
        return None  # hundreds of digits: not a time (and more than a float holds)
    hours = int(m.group(1) or 0)
    minutes = int(m.group(2))
    seconds = float(m.group(3).replace(",", "."))
    if minutes >= 60 and m.group(1) is not None or seconds >= 60:
        return None
    return hours * 3600 + minutes * 60 + seconds


def parse_seconds(text: str) -> float | None:
    """A time cell: plain seconds (``83.5``) or a clock (``00:01:23.5``); None if neither."""
    t = text.strip()
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return parse_clock(t)
    return v if v >= 0 and v == v and v != float("inf") else None


# ---------------------------------------------------------------------------------------
# Speaker labels ("Name: text")

#: lower-case particles allowed inside a name ("Ana de la Cruz", "Ludwig van Beethoven")
PARTICLES = frozenset("de da del della di van von der den la le du bin al dos das y ten ter st".split())
#: words that start a heading or note, not a name ("Note:", "Action items:", "Next steps:")
HEADING_WORDS = frozenset("""
note notes nb ps fyi re subject summary agenda action actions next todo to-do update updates
date time when where location attendees attendee participants present title topic topics
question questions answer answers reminder decision decisions result results example
important warning tip outcome goal goals status budget timeline pricing price cost risk
risks objective objectives context background problem problems issue issues owner deadline
step steps key takeaway takeaways follow follow-up followup recap minutes item items
highlights pain points open source sources link links email phone address website url
duration recording transcript transcription meeting call agenda:
""".split())
#: common sentence words: a label made of these is the start of a sentence, not a name
SENTENCE_WORDS = frozenset("""
i we you they he she it this that these those there here so and but or well yes no ok okay
also then now what why how who which where when the a an my our your their his her its is
are was were be if as at in on of for to with just like um uh oh hey hi hello thanks
please because anyway basically honestly sure right look listen remember first second
finally however also p.s
""".split())

_LABEL = re.compile(
    r"^(?P<label>[^\W\d_][^:\n]{0,48}?)\s*"
    r"(?:[\[(](?P<ts>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)[\])])?\s*:(?:\s+|$)(?P<rest>.*)$"
)


def split_label(line: str) -> tuple[str, float | None, str] | None:
    """``"Dana Ortiz: hi"`` -> ``("Dana Ortiz", None, "hi")`` when the prefix is
    shaped like a speaker label (see :func:`label_shape_ok`); ``"Dana [00:01:02]: hi"``
    also gives the time. None when the line has no such prefix."""
    if ":" not in line:  # most lines of a long turn: skip the (backtracking) pattern
        return None
    m = _LABEL.match(line)
    if not m:
        return None
    label = " ".join(m.group("label").split())
    if not label_shape_ok(label):
        return None
    ts = parse_clock(m.group("ts")) if m.group("ts") else None
    return label, ts, m.group("rest")


_DIARIZED = re.compile(r"^(?:spk|speaker)[ _-]?\d{1,3}$", re.IGNORECASE)


def label_shape_ok(label: str) -> bool:
    """A speaker label is short and name-like.

    1-4 tokens (a trailing parenthetical such as "(Contoso)" counts as one), each
    capitalised, camel-case ("iPhone") or a name particle ("de", "van"); after the first
    token digits are allowed (Zoom device names: "Galaxy S21", "Room 3B"), and "Speaker 2"
    and "Speaker ?" style numbering; the first token is not a heading word
    ("Note", "Action") and no token is a common sentence word ("So", "The", "We").
    """
    if len(label) > 48 or "://" in label or "@" in label:
        return False
    if _DIARIZED.match(label):  # what diarizing transcribers write: spk_0, SPEAKER_00, speaker 1
        return True
    body = re.sub(r"\s*\([^()]{1,40}\)\s*$", "", label).strip()
    if not body:
        return False
    tokens = body.replace(",", " ").split()
    if not 1 <= len(tokens) <= 4:
        return False
    if tokens[0].casefold().rstrip(".") in HEADING_WORDS:
        return False
    for i, tok in enumerate(tokens):
        low = tok.casefold()
        if low in SENTENCE_WORDS and not (i == 0 and len(tokens) == 1 and tok.isupper() and len(tok) == 1):
            return False
        if i == len(tokens) - 1 and i > 0 and (tok.isdigit() or tok in ("?", "??", "#?")):
            continue
        if low in PARTICLES and 0 < i < len(tokens) - 1:
            continue
        camel = tok[0].islower() and any(ch.isupper() for ch in tok[1:])  # "iPhone", "McKay" style
        if not ((tok[0].isalpha() and not tok[0].islower()) or camel or (i > 0 and tok[0].isdigit())):
            return False
        if not all(ch.isalpha() or ch in ".'’-" or (i > 0 and ch.isdigit()) for ch in tok):
            return False
    return True


class LabelVote:
    """Decides which ``Name:`` prefixes in a file are speakers.

    A prefix is a speaker label when it has the shape of one (:func:`label_shape_ok`)
    and either recurs in the file (two or more lines), or matches a known speaker (a
    ``--seller`` name or one named in a header), or is a full name (two or more tokens,
    "Kai Berg", "Speaker 3") in a file made of labelled lines (at least half of its
    non-blank lines start with a label shape, from two or more different names): there a
    late joiner who speaks once is still a speaker. Anything else stays text.
    """

    def __init__(self, lines: Iterable[str], known: Iterable[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        nonblank = 0
        for line in lines:
            if not line.strip():
                continue
            nonblank += 1
            got = split_label(line)
            if got:
                self.counts[name_key(got[0])] += 1
        self.known = {name_key(k) for k in known if k}
        labelled = sum(self.counts.values())
        self.dense = len(self.counts) >= 2 and labelled * 2 >= nonblank

    def accepts(self, label: str) -> bool:
        key = name_key(label)
        return (self.counts[key] >= 2 or key in self.known
                or (self.dense and len(key.split()) >= 2 and self.counts[key] >= 1))


# ---------------------------------------------------------------------------------------
# Building calls

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """NFC, non-breaking and odd spaces to plain spaces, runs of whitespace collapsed."""
    return " ".join(_SPACE.sub(" ", unicodedata.normalize("NFC", text)).split())


@dataclass
class Turn:
    """A raw turn or cue as a reader found it."""

    text: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    line: int | None = None
    role: str | None = None
    behavior: str | None = None
    stage: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def merge_cues(turns: Sequence[Turn]) -> list[Turn]:
    """Consecutive cues of the same (named) speaker become one turn: first start, last
    end, texts joined with a space. Cues without a speaker are left as they are.

    The texts of a merged turn are collected and joined once: adding each cue's text to
    the turn's made an hour of one speaker's cues quadratic."""
    out: list[Turn] = []
    texts: list[list[str]] = []  # the cue texts of out[i], joined at the end
    for t in turns:
        prev = out[-1] if out else None
        if prev is not None and t.speaker is not None and t.speaker == prev.speaker:
            texts[-1].append(t.text)
            if t.end is not None:
                prev.end = t.end
            if prev.start is None:
                prev.start = t.start
            continue
        out.append(Turn(t.text, t.speaker, t.start, t.end, t.line, t.role, t.behavior, t.stage, dict(t.extra)))
        texts.append([t.text])
    for turn, parts in zip(out, texts):
        if len(parts) > 1:
            turn.text = " ".join(parts)
    return out


def slug(text: str) -> str:
    """A call id from a file name: lower-case ASCII letters, digits and dashes."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"[^\w]+", "-", s).replace("_", "-")
    s = re.sub(r"-{2,}", "-", s).strip("-")
    return s or "call"


def build_call(
    src: Source,
    turns: Sequence[Turn],
    *,
    fmt: str,
    kind: str = "transcript",
    merge: bool = False,
    call_id: str | None = None,
    title: str | None = None,
    outcome: str | None = None,
    seller: str | None = None,
    roles_inferred: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> Call:
    """Raw turns to a Call: empty cues warned about and skipped, text cleaned, ids set."""
    kept: list[Turn] = []
    unidentified: set[str] = set()
    for t in turns:
        t.text = clean_text(t.text)
        t.speaker = clean_text(t.speaker) if t.speaker else None
        t.speaker = t.speaker or None
        if not t.text:
            who = f" ({t.speaker})" if t.speaker else ""
            src.warn_at(t.line, f"cue{who} has no text; skipped")
            continue
        if t.speaker and is_unidentified(t.speaker) and t.speaker not in unidentified:
            unidentified.add(t.speaker)
            src.warn_at(t.line, f"speaker {t.speaker!r} is not identified; their passages get role 'other'")
        kept.append(t)
    if merge:
        kept = merge_cues(kept)
    if not kept:
        raise src.error("no passages found: every cue or line is empty",
                        hint="check that this is a transcript with spoken text")
    passages = tuple(
        Passage(index=i, text=t.text, speaker=t.speaker, role=t.role, start=t.start, end=t.end,
                behavior=t.behavior, stage=t.stage, extra=t.extra)
        for i, t in enumerate(kept)
    )
    data: dict[str, Any] = dict(extra or {})
    data["source_format"] = fmt
    data["content_sha256"] = src.sha256
    return Call(
        call_id=call_id or slug(src.stem),
        passages=passages,
        title=title,
        kind=kind,
        outcome=outcome,
        seller=seller,
        source=src.path,
        roles_inferred=roles_inferred,
        extra=data,
    )


# ---------------------------------------------------------------------------------------
# Header lines ("Seller: Dana Ortiz", "Outcome: advance") at the top of a text file

#: header key (lower case) -> Call field or extra key
HEADER_KEYS = {
    "title": "title", "subject": "title",
    "seller": "seller", "rep": "seller", "sales rep": "seller", "account executive": "seller",
    "outcome": "outcome", "result": "outcome",
    "date": "date", "customer": "customer", "account": "customer", "company": "customer",
}
_HEADER = re.compile(r"^\s*(?:[#*>-]\s*)?([A-Za-z][A-Za-z ]{1,24}?)\s*:\s*(.*?)\s*$")


def header_line(line: str) -> tuple[str, str] | None:
    """``"Outcome: advance"`` -> ``("outcome", "advance")`` for a known header key."""
    m = _HEADER.match(line.replace("**", "").replace("__", ""))  # Markdown bold keys
    if not m:
        return None
    key = " ".join(m.group(1).casefold().split())
    if key not in HEADER_KEYS or not m.group(2):
        return None
    return HEADER_KEYS[key], m.group(2)


def read_header(lines: Sequence[str], vote: LabelVote | None = None) -> tuple[dict[str, str], int]:
    """The header block at the top of a file: leading ``Key: value`` lines with known keys
    (each once). Returns the values by field name and the number of lines it spans.
    A key that recurs as a speaker label (``Seller: hi`` on many lines) is not a header."""
    found: dict[str, str] = {}
    n = 0
    for i, line in enumerate(lines):
        if not line.strip():
            n = i + 1
            if found:
                break
            continue
        got = header_line(line)
        if got is None or got[0] in found:
            break
        if vote is not None and vote.accepts(line.split(":", 1)[0].strip(" #*>-")):
            break
        found[got[0]] = got[1]
        n = i + 1
    return (found, n) if found else ({}, 0)


def outcome_label(value: str | None) -> str | None:
    """``"No sale"`` / ``"no-sale"`` -> ``"no_sale"``: lower case, words joined by ``_``."""
    if not value or not value.strip():
        return None
    return re.sub(r"[\s\-]+", "_", value.strip().casefold())


def header_fields(header: Mapping[str, str]) -> dict[str, Any]:
    """Header values as ``build_call`` keywords (title, seller, outcome, extra)."""
    extra = {k: v for k, v in header.items() if k not in ("title", "seller", "outcome")}
    return {
        "title": header.get("title"),
        "seller": header.get("seller"),
        "outcome": outcome_label(header.get("outcome")),
        "extra": extra,
    }
