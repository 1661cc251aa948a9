"""Read and write the labeled corpus format v1 (JSON Lines, one call per line).

The format is defined in ``corpora/GUIDE.md`` (and ``shared/corpus-format.md``).
Unknown fields are kept in ``extra`` and written back, so a round trip is lossless.
Problems are reported as :class:`~callreview.errors.InputError` with file and line.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .errors import InputError
from .records import KINDS, ROLES, Call, Passage, Prediction

CALL_FIELDS = ("call_id", "title", "kind", "outcome", "seller", "passages")
PASSAGE_FIELDS = ("speaker", "role", "start", "end", "text", "behavior", "stage", "predictions")
HINT = "each line must be one JSON object as described in corpora/GUIDE.md (corpus format v1)"


def default_corpus_dir() -> Path | None:
    """The shipped corpus (``corpora/default``): under ``$CALLREVIEW_HOME``, inside the
    installed package, or in the source checkout (:mod:`callreview.locations`); None when
    none has it."""
    from .locations import shipped_corpus_dir

    return shipped_corpus_dir()


def corpus_files(path: str | Path) -> list[Path]:
    """The .jsonl files of a corpus: the file itself, or every *.jsonl under a folder."""
    p = Path(path)
    try:
        is_dir, exists = p.is_dir(), p.exists()
    except OSError as exc:  # PermissionError: a folder on the way that may not be read
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(p),
                         hint="check that you may read this path and its folders") from None
    if is_dir:
        try:
            files = sorted(f for f in p.rglob("*.jsonl") if f.is_file())
        except OSError as exc:
            raise InputError(f"cannot read the folder: {exc.strerror or exc}", path=str(p),
                             hint="check that you may read this folder and the ones in it") from None
        if not files:
            raise InputError("no .jsonl corpus files in this folder", path=str(p),
                             hint="a corpus folder holds one or more .jsonl files in corpus format v1")
        return files
    if not exists:
        raise InputError("no such file or folder", path=str(p))
    return [p]


def read_corpus(*paths: str | Path) -> list[Call]:
    """Read every call of one or more corpus files or folders. Call ids must be unique."""
    calls: list[Call] = []
    seen: dict[str, str] = {}
    for path in paths:
        for f in corpus_files(path):
            for lineno, call in iter_corpus_file(f):
                if call.call_id in seen:
                    raise InputError(f"call_id {call.call_id!r} already used in {seen[call.call_id]}",
                                     path=str(f), line=lineno, hint="call ids must be unique within a corpus")
                seen[call.call_id] = f"{f}"
                calls.append(call)
    return calls


def iter_corpus_file(path: str | Path) -> Iterator[tuple[int, Call]]:
    """(line number, call) for each call of a corpus file; only a regular file is read
    (a FIFO or a device is an InputError, not a read that never ends)."""
    from .formats._base import read_regular_file

    yield from iter_corpus_bytes(read_regular_file(path), str(path))


def iter_corpus_bytes(raw: bytes, path: str) -> Iterator[tuple[int, Call]]:
    """(line number, call) for each line of a corpus file's bytes.

    Lines end at ``\\n`` only (a ``\\r`` before it is JSON whitespace): JSON Lines puts
    one object per ``\\n``-terminated line, and text may hold U+2028, U+0085 or a form
    feed, which ``str.splitlines`` would take for line ends."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", path=path, line=raw[: exc.start].count(b"\n") + 1,
                         hint="save the corpus as UTF-8") from None
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        yield lineno, call_from_json(loads_line(line, path=path, line=lineno), path=path, line=lineno)


_SURROGATE = re.compile("[\ud800-\udfff]")
#: how deep a corpus line's JSON may nest (a call is 6 deep; Python's parser stops near 1,000)
MAX_JSON_DEPTH = 100


def loads_line(text: str, *, path: str | None = None, line: int | None = None) -> Any:
    """One JSON Lines line parsed, or an InputError: not JSON, a number too long to read,
    nesting deeper than :data:`MAX_JSON_DEPTH`, or a lone surrogate escape (``\\ud800``
    is half of a character; it would fail when the text is printed or stored)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", path=path, line=line,
                         hint=HINT) from None
    except RecursionError:
        raise InputError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep", path=path, line=line,
                         hint=HINT) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (sys.get_int_max_str_digits)
        raise InputError(f"not readable JSON: a number too long ({str(exc).split(';')[0].lower()})",
                         path=path, line=line,
                         hint="numbers in a corpus are times and probabilities; this one has thousands of digits") from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _depth(data) > MAX_JSON_DEPTH:
        raise InputError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep", path=path, line=line,
                         hint=HINT)
    if "\\u" in text or _SURROGATE.search(text):  # from a file's bytes, only an escape gives one
        bad = _lone_surrogate(data)
        if bad is not None:
            raise InputError(f"a lone surrogate escape \\u{ord(bad):04x} (half of a character, not text)",
                             path=path, line=line,
                             hint="write the character itself, or both halves of its surrogate pair "
                                  "(\\ud83d\\ude00); save the file as UTF-8")
    return data


def _depth(data: Any) -> int:
    """How deep lists and objects nest in ``data`` (without recursion)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, d)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((x, d + 1) for x in item if isinstance(x, (dict, list)))
    return deepest


def _lone_surrogate(data: Any) -> str | None:
    """The first lone surrogate in any string (key or value) of ``data``, else None."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isprintable():  # quick: a surrogate is never printable
                for ch in item:
                    if "\ud800" <= ch <= "\udfff":
                        return ch
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _expect(value: Any, types: type | tuple[type, ...], what: str, path: str | None, line: int | None,
            *, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, types):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        names = names.replace("str", "a string").replace("float", "a number").replace("int", "a number")
        raise InputError(f"{what} must be {names}, not {json.dumps(value)[:40]}", path=path, line=line, hint=HINT)
    return value


def _time(value: Any, what: str, path: str | None, line: int | None) -> float | None:
    v = _expect(value, (int, float), what, path, line)
    if v is None:
        return None
    try:
        v = float(v)
    except OverflowError:  # an integer of hundreds of digits
        v = math.inf
    if not math.isfinite(v) or v < 0:
        raise InputError(f"{what} must be a non-negative number of seconds", path=path, line=line, hint=HINT)
    return float(v)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def call_from_json(data: Any, *, path: str | None = None, line: int | None = None) -> Call:
    """One corpus v1 object to a :class:`Call`, with every field checked."""
    if not isinstance(data, dict):
        raise InputError("a corpus line must be a JSON object", path=path, line=line, hint=HINT)
    call_id = data.get("call_id")
    if call_id is None or call_id == "":
        raise InputError("missing call_id", path=path, line=line, hint=HINT)
    if isinstance(call_id, (int, float)) and not isinstance(call_id, bool):
        call_id = str(call_id)
    _expect(call_id, str, "call_id", path, line)
    title = _expect(data.get("title"), str, "title", path, line)
    kind = _expect(data.get("kind"), str, "kind", path, line) or "transcript"
    if kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", path=path, line=line, hint=HINT)
    outcome = _expect(data.get("outcome"), str, "outcome", path, line) or None
    seller = _expect(data.get("seller"), str, "seller", path, line) or None
    passages_raw = data.get("passages")
    if not isinstance(passages_raw, list) or not passages_raw:
        raise InputError(f"call {call_id!r}: passages must be a non-empty list", path=path, line=line, hint=HINT)
    passages = []
    for i, pd in enumerate(passages_raw):
        where = f"call {call_id!r} passage {i}"
        if not isinstance(pd, dict):
            raise InputError(f"{where} must be a JSON object", path=path, line=line, hint=HINT)
        text = _expect(pd.get("text"), str, f"{where}: text", path, line)
        if text is None or not text.strip():
            raise InputError(f"{where}: text must be non-empty", path=path, line=line, hint=HINT)
        role = _expect(pd.get("role"), str, f"{where}: role", path, line) or None
        if role is not None and role not in ROLES:
            raise InputError(f"{where}: role must be seller, buyer or other, not {role!r}",
                             path=path, line=line, hint=HINT)
        preds_raw = pd.get("predictions") or {}
        _expect(preds_raw, dict, f"{where}: predictions", path, line)
        try:
            preds = {task: Prediction.from_json(v) for task, v in preds_raw.items()}
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            raise InputError(f"{where}: predictions are malformed", path=path, line=line, hint=HINT) from None
        speaker = pd.get("speaker")
        if isinstance(speaker, (int, float)) and not isinstance(speaker, bool):
            speaker = str(speaker)
        passages.append(Passage(
            index=i,
            text=_nfc(text),
            speaker=_expect(speaker, str, f"{where}: speaker", path, line) or None,
            role=role,
            start=_time(pd.get("start"), f"{where}: start", path, line),
            end=_time(pd.get("end"), f"{where}: end", path, line),
            behavior=_expect(pd.get("behavior"), str, f"{where}: behavior", path, line) or None,
            stage=_expect(pd.get("stage"), str, f"{where}: stage", path, line) or None,
            predictions=preds,
            extra={k: v for k, v in pd.items() if k not in PASSAGE_FIELDS},
        ))
    return Call(
        call_id=call_id,
        passages=tuple(passages),
        title=title,
        kind=kind,
        outcome=outcome,
        seller=seller,
        source=path,
        extra={k: v for k, v in data.items() if k not in CALL_FIELDS},
    )


def call_to_json(call: Call, *, predictions: bool = True) -> dict[str, Any]:
    """A :class:`Call` as a corpus v1 object (unknown fields written back as read)."""
    data: dict[str, Any] = {"call_id": call.call_id}
    if call.title:
        data["title"] = call.title
    data["kind"] = call.kind
    data["outcome"] = call.outcome
    if call.seller:
        data["seller"] = call.seller
    for k, v in call.extra.items():
        data.setdefault(k, v)
    plist = []
    for p in call.passages:
        pd: dict[str, Any] = {}
        if p.speaker is not None:
            pd["speaker"] = p.speaker
        if p.role is not None:
            pd["role"] = p.role
        if p.start is not None:
            pd["start"] = p.start
        if p.end is not None:
            pd["end"] = p.end
        pd["text"] = p.text
        if p.behavior is not None:
            pd["behavior"] = p.behavior
        if p.stage is not None:
            pd["stage"] = p.stage
        if predictions and p.predictions:
            pd["predictions"] = {t: pr.to_json() for t, pr in p.predictions.items()}
        for k, v in p.extra.items():
            pd.setdefault(k, v)
        plist.append(pd)
    data["passages"] = plist
    return data


def dumps_call(call: Call, *, predictions: bool = True) -> str:
    return json.dumps(call_to_json(call, predictions=predictions), ensure_ascii=False)


def write_corpus(calls: Iterable[Call], out: IO[str], *, predictions: bool = True) -> int:
    """Write calls as corpus v1 lines to an open text stream; returns how many."""
    n = 0
    for call in calls:
        out.write(dumps_call(call, predictions=predictions) + "\n")
        n += 1
    return n
