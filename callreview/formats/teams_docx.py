"""Microsoft Teams transcripts downloaded as Word (.docx), read with python-docx.

Teams has produced two layouts, both read here (paragraph by paragraph; a paragraph
with line breaks counts as several lines):

Current layout (a title block, then one block per turn)::

    Northwind discovery call            <- title: the first line before any turn
    October 14, 2024, 3:02PM            <- other header lines are kept in extra["docx_header"]
    32m 10s
    Dana Ortiz started transcription    <- Teams system lines: skipped
    Dana Ortiz   0:03                   <- speaker, then the time (m:ss or h:mm:ss)
    Thanks for making the time.         <- text, on the next line(s) or the same line

Older layout (like WebVTT, one cue per three paragraphs)::

    00:00:03.120 --> 00:00:07.000       <- also unpadded: 0:0:3.120 --> 0:0:7.0
    Dana Ortiz
    Thanks for making the time.

Consecutive cues of the same speaker are merged into one passage.
"""

from __future__ import annotations

import re
import zipfile

from ..records import Call
from ._base import Source, Turn, build_call, label_shape_ok, parse_clock

_TS = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?"
CUE = re.compile(rf"^\s*({_TS})\s*-->\s*({_TS})\s*$")
HEAD = re.compile(rf"^(?P<name>\S.{{0,80}}?)(?P<sep>\s+)(?P<ts>{_TS})(?P<rest>.*)$")
SYSTEM = re.compile(r"^.{1,80}\s(?:started|stopped) transcription\s*$", re.IGNORECASE)


def paragraphs(src: Source) -> list[str]:
    """The document's lines: each paragraph's text split at its line breaks."""
    import io

    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a dependency of callreview
        raise src.error("reading .docx needs python-docx", hint="pip install python-docx") from None
    try:
        document = docx.Document(io.BytesIO(src.raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise src.error(f"not a readable Word document ({exc})",
                        hint="open it in Word and save it again as .docx, or export the transcript as .vtt") from None
    except Exception as exc:  # python-docx raises its own error types for broken packages
        raise src.error(f"not a readable Word document ({type(exc).__name__}: {exc})",
                        hint="open it in Word and save it again as .docx, or export the transcript as .vtt") from None
    lines: list[str] = []
    try:
        for para in document.paragraphs:
            lines.extend(para.text.replace("\r", "\n").replace("\x0b", "\n").split("\n"))
    except Exception as exc:  # a document.xml whose root or body is not Word's (AttributeError, ...)
        raise src.error(f"not a readable Word document (its text cannot be found: {type(exc).__name__})",
                        hint="open it in Word and save it again as .docx, or export the transcript as .vtt") from None
    return lines


def _head(line: str) -> tuple[str, float, str] | None:
    m = HEAD.match(line)
    if not m:
        return None
    name = " ".join(m.group("name").split())
    ts = parse_clock(m.group("ts"))
    rest = m.group("rest")
    if rest.strip() and not (len(m.group("sep")) >= 2 or "\t" in m.group("sep")):
        return None  # "Dana Ortiz 10:30 works for me" is text; Teams puts wide space before the time
    if rest[:1].isdigit() or ts is None or not label_shape_ok(name):
        return None
    return name, ts, rest.strip()


def parse(src: Source, lines: list[str]) -> tuple[list[Turn], list[str]]:
    """Turns and the header lines before the first turn. Line numbers are paragraph lines."""
    turns: list[Turn] = []
    header: list[str] = []
    pending_cue: tuple[float, float, int] | None = None  # older layout: timing seen, speaker next
    cue_lines: list[str] = []
    parts: list[list[str]] = []  # each turn's lines, joined once at the end (not += per line)

    def flush_cue() -> None:
        nonlocal pending_cue, cue_lines
        if pending_cue is None:
            return
        start, end, n = pending_cue
        body = [x for x in cue_lines if x.strip()]
        speaker = None
        if len(body) >= 2 and label_shape_ok(body[0].strip()):
            speaker, body = body[0].strip(), body[1:]
        turns.append(Turn(" ".join(body), speaker, start, end, n))
        parts.append([turns[-1].text])
        pending_cue, cue_lines = None, []

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cue = CUE.match(line)
        if cue:
            flush_cue()
            start, end = parse_clock(cue.group(1)), parse_clock(cue.group(2))
            if start is None or end is None:
                raise src.error(f"broken cue timing line: {line.strip()[:60]!r}", line=n,
                                hint="a timing paragraph looks like '00:00:03.120 --> 00:00:07.000'")
            pending_cue = (start, end, n)
            continue
        if pending_cue is not None:
            cue_lines.append(line)
            continue
        if SYSTEM.match(line):
            continue
        head = _head(line)
        if head:
            turns.append(Turn(head[2], head[0], head[1], None, n))
            parts.append([head[2]])
        elif turns:
            parts[-1].append(line)
        else:
            header.append(line.strip())
    flush_cue()
    for turn, texts in zip(turns, parts):
        if len(texts) > 1:
            turn.text = "\n".join(texts)
    return turns, header


def read(src: Source) -> Call:
    lines = paragraphs(src)
    turns, header = parse(src, lines)
    if not turns:
        raise src.error("no Teams transcript turns found in this Word document",
                        hint="a Teams .docx has 'Name   0:03' or '00:00:03.120 --> 00:00:07.000' "
                             "paragraphs; for other documents save the text as .txt and use --format plain")
    extra = {"docx_header": header[1:]} if len(header) > 1 else {}
    return build_call(src, turns, fmt="docx", merge=True, title=header[0] if header else None, extra=extra)
