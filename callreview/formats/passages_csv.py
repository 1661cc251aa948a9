"""A CSV (or TSV, semicolon-separated) table of passages, one row per passage.

Columns are named by a :class:`CsvColumns` mapping (``--text-column`` and friends);
a column not named is found by its header (case, spaces, ``_`` and ``-`` ignored):

========  ==============================================================================
text      text, utterance, transcript, sentence, content, message, passage, body, unit, ...
speaker   speaker, name, speaker_name, participant, author, who
call      call_id, call, conversation, conversation_id, dialog_id, meeting_id, session_id, ...
role      role, speaker_role, side, party   (seller/buyer/other; rep, agent, customer, ...)
start     start, start_time, begin, timestamp, time, offset   (seconds or hh:mm:ss)
end       end, end_time, stop
behavior  behavior, behaviour, label, act, dialog_act
stage     stage, phase, call_stage
outcome   outcome, result, call_outcome   (per call: the first non-empty value)
========  ==============================================================================

Rows are grouped into calls by the call column (in order of first appearance); without
one, the whole file is one call named after the file. Rows with an empty text cell are
skipped with a warning; unreadable times and unknown roles are warned about and left empty.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, fields

from ..records import Call
from ._base import Source, Turn, build_call, outcome_label, parse_seconds, slug


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV column holds what. ``text`` is required (an empty string means: find it
    by its header name); the others are optional and, when None, found by their header
    name (see the module docstring)."""

    text: str
    speaker: str | None = None
    call: str | None = None
    role: str | None = None
    start: str | None = None
    end: str | None = None
    behavior: str | None = None
    stage: str | None = None
    outcome: str | None = None


FIELDS = tuple(f.name for f in fields(CsvColumns))
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "utterance", "transcript", "sentence", "content", "message", "passage", "body",
             "unit", "utterancetext", "turntext", "speech", "words", "line", "caption"),
    "speaker": ("speaker", "speakername", "name", "participant", "author", "who", "speakerlabel", "sender"),
    "call": ("callid", "call", "conversation", "conversationid", "dialogid", "dialogueid", "dialog", "dialogue",
             "meetingid", "sessionid", "transcriptid", "recordingid", "callname"),
    "role": ("role", "speakerrole", "side", "party"),
    "start": ("start", "starttime", "begin", "startseconds", "startsec", "timestamp", "time", "offset"),
    "end": ("end", "endtime", "stop", "endseconds", "endsec"),
    "behavior": ("behavior", "behaviour", "label", "act", "dialogact", "behaviorlabel"),
    "stage": ("stage", "phase", "callstage"),
    "outcome": ("outcome", "result", "calloutcome"),
}
ROLE_WORDS = {
    "seller": "seller", "sales": "seller", "salesperson": "seller", "rep": "seller", "agent": "seller",
    "ae": "seller", "sdr": "seller", "persuader": "seller", "vendor": "seller",
    "buyer": "buyer", "customer": "buyer", "client": "buyer", "prospect": "buyer", "persuadee": "buyer",
    "other": "other", "unknown": "other", "system": "other",
}


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lstrip("\ufeff").casefold())


def resolve(src: Source, header: list[str], columns: CsvColumns | None) -> dict[str, int]:
    """Field name -> column index, from the given names or the header (see ALIASES)."""
    by_name = {h.strip(): i for i, h in reversed(list(enumerate(header)))}
    by_norm = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    shown = ", ".join(repr(h) for h in header[:12]) or "(none)"
    out: dict[str, int] = {}
    for name in FIELDS:
        wanted = getattr(columns, name) if columns is not None else None
        if wanted:
            idx = by_name.get(wanted.strip(), by_norm.get(_norm(wanted)))
            if idx is None:
                raise src.error(f"no column {wanted!r} (--{name}-column) in the header", line=1,
                                hint=f"the columns are: {shown}")
            out[name] = idx
            continue
        for alias in ALIASES[name]:
            if alias in by_norm and by_norm[alias] not in out.values():
                out[name] = by_norm[alias]
                break
    if "text" not in out:
        raise src.error("no text column in the header", line=1,
                        hint=f"name it with --text-column NAME; the columns are: {shown}")
    return out


def _delimiter(src: Source, first_line: str) -> str:
    """The delimiter: tab for .tsv, else whichever of , ; tab | the header line uses most
    (outside quotes). Quoting is always the standard one (``""`` inside quotes)."""
    if src.suffix == ".tsv":
        return "\t"
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(src: Source, columns: CsvColumns | None = None) -> list[Call]:
    text = src.text
    delimiter = _delimiter(src, text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise src.error("the file is empty") from None
    except csv.Error as exc:
        raise src.error(f"not a readable CSV header ({exc})", line=1) from None
    col = resolve(src, header, columns)
    groups: dict[str, list[Turn]] = {}
    outcomes: dict[str, str] = {}
    default_id = slug(src.stem)
    unknown_roles: set[str] = set()
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise src.error(f"not readable as CSV ({exc})", line=lineno,
                            hint="check the quoting on this line") from None
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        body = cell("text")
        call_id = cell("call") if "call" in col else default_id
        if not call_id:
            src.warn_at(lineno, f"row has no call id; put in call {default_id!r}")
            call_id = default_id
        if not body:
            src.warn_at(lineno, "row has no text; skipped")
            continue
        role = None
        if cell("role"):
            role = ROLE_WORDS.get(cell("role").casefold())
            if role is None and cell("role").casefold() not in unknown_roles:
                unknown_roles.add(cell("role").casefold())
                src.warn_at(lineno, f"unknown role {cell('role')!r} (expected seller, buyer or other); "
                                    "the role will be inferred")
        times = []
        for name in ("start", "end"):
            value = cell(name)
            t = parse_seconds(value) if value else None
            if value and t is None:
                src.warn_at(lineno, f"{name} time {value!r} is not seconds or hh:mm:ss; left empty")
            times.append(t)
        outcome = outcome_label(cell("outcome"))
        if outcome:
            if call_id in outcomes and outcomes[call_id] != outcome:
                src.warn_at(lineno, f"call {call_id!r} already has outcome {outcomes[call_id]!r}; "
                                    f"{outcome!r} ignored")
            outcomes.setdefault(call_id, outcome)
        groups.setdefault(call_id, []).append(Turn(
            body, cell("speaker") or None, times[0], times[1], lineno, role=role,
            behavior=cell("behavior") or None, stage=cell("stage") or None,
        ))
    if not groups:
        raise src.error("no rows with text below the header", line=2,
                        hint="each row after the header is one passage")
    return [build_call(src, turns, fmt="csv", call_id=cid, outcome=outcomes.get(cid))
            for cid, turns in groups.items()]


def given_columns(**names: str | None) -> CsvColumns | None:
    """A CsvColumns from command-line options, or None when none was given. When the
    text column is not named it is left to detection (see :func:`load_calls`)."""
    if not any(names.values()):
        return None
    return CsvColumns(**{"text": names.pop("text", None) or "", **names})  # type: ignore[arg-type]

