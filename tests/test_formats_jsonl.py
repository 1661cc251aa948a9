"""Corpus format v1 files, read through callreview.corpora."""

import hashlib
from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import load_calls

DATA = Path(__file__).parent / "data" / "formats"


def test_corpus_file_gives_every_call_with_labels_and_roles_as_written():
    calls = load_calls(DATA / "corpus_two_calls.jsonl")
    assert [c.call_id for c in calls] == ["northwind-0412", "northwind-0419"]
    first = calls[0]
    assert first.outcome == "advance" and first.title == "Northwind Freight - discovery"
    assert [(p.role, p.behavior, p.stage) for p in first.passages] == [
        ("seller", "agenda", "opening"), ("buyer", "buyer_need", "discovery")]
    assert first.extra["industry"] == "logistics"
    assert not first.roles_inferred


def test_corpus_calls_without_roles_get_inferred_roles():
    second = load_calls(DATA / "corpus_two_calls.jsonl")[1]
    assert second.roles == {"Dana Ortiz": "seller", "Sam Lee": "buyer"}
    assert second.roles_inferred


def test_corpus_calls_record_source_and_file_hash():
    path = DATA / "corpus_two_calls.jsonl"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for call in load_calls(path):
        assert call.source == str(path)
        assert call.extra["content_sha256"] == digest


def test_corpus_line_that_is_not_json_is_an_error_at_its_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"call_id": "a", "passages": [{"text": "hi"}]}\n{"call_id": "b", "passages": [\n')
    with pytest.raises(InputError) as err:
        load_calls(f)
    assert err.value.line == 2


def test_corpus_duplicate_call_ids_are_an_error(tmp_path):
    f = tmp_path / "dup.jsonl"
    f.write_text('{"call_id": "a", "passages": [{"text": "hi"}]}\n{"call_id": "a", "passages": [{"text": "yo"}]}\n')
    with pytest.raises(InputError) as err:
        load_calls(f)
    assert err.value.line == 2 and "already used" in err.value.message
