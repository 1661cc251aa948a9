"""The labeled corpus format v1 (JSON Lines, one call per line), read by
:mod:`callreview.corpora` (from the bytes read once, so the hash is of what was parsed);
this module only adds the source path and the file's hash."""

from __future__ import annotations

from dataclasses import replace

from ..corpora import iter_corpus_bytes
from ..records import Call
from ._base import Source


def read(src: Source) -> list[Call]:
    calls: list[Call] = []
    seen: dict[str, int] = {}
    for lineno, call in iter_corpus_bytes(src.raw, src.path):  # the bytes already read, not the file again
        if call.call_id in seen:
            raise src.error(f"call_id {call.call_id!r} already used on line {seen[call.call_id]}", line=lineno,
                            hint="call ids must be unique within a corpus file")
        seen[call.call_id] = lineno
        extra = {**call.extra, "source_format": "jsonl", "content_sha256": src.sha256}
        calls.append(replace(call, source=src.path, extra=extra))
    if not calls:
        raise src.error("no calls in this corpus file", hint="each line is one call in corpus format v1")
    return calls
