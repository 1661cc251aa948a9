"""Read the transcripts and notes a manager really has into :class:`~callreview.records.Call`.

    >>> calls = load_calls("northwind.vtt", sellers=["Dana Ortiz"], warn=print)

One module per format (``vtt``, ``srt``, ``plain``, ``otter``, ``notes``, ``teams_docx``,
``corpus_jsonl``, ``passages_csv``); ``_base`` holds decoding, times, speaker labels and
the Call builder they share. :func:`sniff` picks the format from the content, so a Zoom
``.txt`` that is really WebVTT is read as WebVTT. Every problem that stops reading is an
:class:`~callreview.errors.InputError` naming the file, the line where it applies and a
hint; problems that do not (a cue with no text, an unidentified speaker) go to ``warn``
as ``"FILE:LINE: message"``.

Every call gets ``source`` (the path), ``extra["content_sha256"]`` (SHA-256 of the file's
bytes), ``extra["source_format"]``, and roles from :func:`callreview.roles.assign_roles`.
Single-call files are named after the file (``call_id`` = a slug of the file stem).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from ..errors import InputError, UsageError
from ..records import Call
from ..roles import assign_roles, match_speakers
from . import _base
from .passages_csv import ALIASES, CsvColumns, _norm

FORMATS = ("vtt", "srt", "plain", "otter", "notes", "docx", "jsonl", "csv")

__all__ = ["FORMATS", "CsvColumns", "load_calls", "sniff"]

_FORMAT_HINT = "name the format with --format " + "|".join(FORMATS)


def sniff(path: str | Path) -> str:
    """The format of a file, chosen by its content (the extension only breaks ties)."""
    return _sniff(_base.read_source(path))


def _is_docx(src: _base.Source) -> bool:
    if not src.raw.startswith(_base.ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(src.raw)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _sniff(src: _base.Source) -> str:
    from . import notes, otter, plain
    from ._cues import TIMING

    if src.raw.startswith(_base.ZIP_MAGIC):
        if _is_docx(src):
            return "docx"
        raise src.error("a zip archive (or a damaged Word file), not a transcript",
                        hint="give the transcript itself; re-save a damaged .docx from Word")
    if src.suffix == ".docx":
        raise src.error("not a Word document (a .docx is a zip file)",
                        hint="export the Teams transcript again, or rename the file to its real type")
    text = src.text or _base.decode(src)
    lines = text.split("\n")
    sample = [line for line in lines[:2000] if line.strip()]
    first = sample[0].strip()
    if first.startswith("WEBVTT"):
        return "vtt"
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except (ValueError, RecursionError):  # not JSON, a 5,000-digit number, or nested 100,000 deep
            obj = None
        if isinstance(obj, dict):
            return "jsonl"
    if src.suffix == ".jsonl":
        return "jsonl"
    timings = [line for line in sample[:200] if "-->" in line and TIMING.match(line)]
    if timings:
        srt_style = sum(1 for t in timings if "," in t.split("-->")[0])
        if srt_style * 2 > len(timings) or (src.suffix == ".srt" and not srt_style * 2 < len(timings)):
            return "srt"
        return "vtt"
    if src.suffix in (".vtt", ".srt") and any("-->" in line for line in sample[:50]):
        return src.suffix[1:]  # broken timings: let the reader say where
    heads = [line for line in sample if otter.head(line)]
    if heads and (len(heads) >= 2 or any(otter.FOOTER.match(line) for line in sample)):
        return "otter"
    if src.suffix in (".csv", ".tsv"):
        return "csv"
    if _csv_header(first):
        return "csv"
    vote = plain.speaker_vote(sample)
    labelled = sum(1 for line in sample if (got := _base.split_label(plain._stamp(line)[2])) and vote.accepts(got[0]))
    header, skip = _base.read_header(lines, vote)
    body = max(1, len(sample) - len(header))
    bullets = sum(1 for line in sample if notes.BULLET.match(line) and notes.BULLET.match(line).group(0).strip())
    if labelled >= 2 and labelled * 10 >= body * 3:
        return "notes" if notes.reads_as_notes(sample[len(header):]) else "plain"
    if header or bullets * 2 >= body or "notes" in src.stem.casefold():
        return "notes"
    if labelled >= 2:
        return "plain"
    raise src.error("not a format callreview knows: no caption timings, speaker labels "
                    "('Name: text' on several lines), Otter headers, notes header or bullets",
                    line=1, hint=_FORMAT_HINT)


def _csv_header(line: str) -> bool:
    for delim in (",", "\t", ";", "|"):
        cells = line.split(delim)
        if len(cells) >= 2 and any(_norm(c.strip('"')) in ALIASES["text"] for c in cells) \
                and all(len(c) <= 40 for c in cells):
            return True
    return False


def load_calls(
    path: str | Path,
    *,
    format: str = "auto",
    sellers: Iterable[str] = (),
    columns: CsvColumns | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Call]:
    """Read one file into calls (a jsonl or csv file may hold many).

    ``format`` is one of :data:`FORMATS` or ``"auto"`` (:func:`sniff`); ``sellers`` names
    the seller(s) (see :mod:`callreview.roles`); ``columns`` maps CSV columns; ``warn``
    receives a message for each problem that does not stop reading.
    """
    if format != "auto" and format not in FORMATS:
        raise UsageError(f"unknown format {format!r}", hint=f"use one of: auto, {', '.join(FORMATS)}")
    warn = warn or _base.no_warn
    sellers = [s for s in sellers if s and s.strip()]
    src = _base.read_source(path, warn)
    fmt = _sniff(src) if format == "auto" else format
    if fmt == "docx":
        if not _is_docx(src):
            raise src.error("not a Word .docx document", hint="use --format auto to detect the real format")
    else:
        if not src.text:
            _base.decode(src)
    calls = _read(src, fmt, sellers, columns)
    out = []
    for call in calls:
        if fmt == "notes" and sellers and call.seller is None:
            call = replace(call, seller=sellers[0])  # notes have no speakers to match
        if sellers and call.speakers and not match_speakers(sellers, call.speakers):
            warn(f"{src.path}: {', '.join(sellers)} does not speak in call {call.call_id!r}; "
                 "the seller is guessed")
        out.append(assign_roles(call, sellers))
    return out


def _read(src: _base.Source, fmt: str, sellers: list[str], columns: CsvColumns | None) -> list[Call]:
    if fmt == "vtt":
        from . import vtt
        return [vtt.read(src, known=sellers)]
    if fmt == "srt":
        from . import srt
        return [srt.read(src, known=sellers)]
    if fmt == "plain":
        from . import plain
        return [plain.read(src, known=sellers)]
    if fmt == "otter":
        from . import otter
        return [otter.read(src)]
    if fmt == "notes":
        from . import notes
        return [notes.read(src, known=sellers)]
    if fmt == "docx":
        from . import teams_docx
        return [teams_docx.read(src)]
    if fmt == "jsonl":
        from . import corpus_jsonl
        return corpus_jsonl.read(src)
    if fmt == "csv":
        from . import passages_csv
        return passages_csv.read(src, columns)
    raise InputError(f"unknown format {fmt!r}", path=src.path, hint=_FORMAT_HINT)  # pragma: no cover
