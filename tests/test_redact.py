"""Redaction: names, e-mail addresses, phone, card and account numbers do not leave the tool.

The planted personal data lives in tests/data/export/calls.jsonl (a reviewed call whose
passages, comments and feedback hold names, e-mails, phone, card and account numbers)
and tests/data/export/lakeview_call.vtt (a transcript file that names a colleague who
never speaks).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.export import FORMATS, from_call, from_store, redacted, render
from callreview.formats import load_calls
from callreview.records import Call, Passage
from callreview.redact import ACCOUNT, CARD, EMAIL, PHONE, Redactor, redact_call, redact_text
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "export"

PLANTED_NAMES = ["Dana", "Ortiz", "Sam", "Lee", "Priya", "Raman", "maria", "Jonas", "Weber", "Elif", "Demir",
                 "Marta"]
PLANTED_NUMBERS = ["dana.ortiz@contoso.com", "elif.demir@lakeview-foods.de", "415-555-0187", "(415) 555-0132",
                   "555-0132", "415-555-0199", "030 1234 5678", "4111 1111 1111 1111", "ACC-00912345",
                   "00912345", "@contoso", "@lakeview"]


# ------------------------------------------------------------------ text


@pytest.mark.parametrize("text, expected", [
    ("write to dana.ortiz@contoso.com today", f"write to {EMAIL} today"),
    ("call +1 (415) 555-0132 now", f"call {PHONE} now"),
    ("or 415.555.0132, or 415-555-0132", f"or {PHONE}, or {PHONE}"),
    ("London 020 7946 0958 and +44 20 7946 0958", f"London {PHONE} and {PHONE}"),
    ("Berlin +4930123456", f"Berlin {PHONE}"),
    ("card 4111 1111 1111 1111 and 5500-0000-0000-0004", f"card {CARD} and {CARD}"),
    ("IBAN DE89 3704 0044 0532 0130 00, GB82WEST12345698765432", f"IBAN {ACCOUNT}, {ACCOUNT}"),
    ("account ACC-00912345 or #4481902 or 00912345", f"account {ACCOUNT} or {ACCOUNT} or {ACCOUNT}"),
])
def test_numbers_and_addresses_are_replaced(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [
    "On 2025-04-02 and 04/02/2025 we met at 10:30.",
    "The 2024-2025 budget is 40,000 dollars, 1.5 million over 3 years.",
    "Around 400 returns a week, 60 deliveries, Q3, version 2.4.1.",
])
def test_dates_times_and_amounts_are_kept(text):
    assert redact_text(text) == text


def call_of(*turns: tuple[str | None, str | None, str], seller: str | None = None) -> Call:
    return Call("c1", tuple(Passage(i, text, speaker=sp, role=role) for i, (sp, role, text) in enumerate(turns)),
                seller=seller)


def test_speakers_become_their_role_with_a_number_in_order_of_appearance():
    call = call_of(("Ortiz, Dana (Contoso)", "seller", "Morning Sam, morning Priya."),
                   ("Sam Lee (Guest)", "buyer", "Hi Dana. Ortiz, right?"),
                   ("Priya Raman (Guest)", "buyer", "Hello."),
                   ("Kai Müller (Contoso)", "seller", "Dana Ortiz asked me to join. Kai here; Muller without umlaut."),
                   ("Unknown Speaker", "other", "Sorry, who joined?"))
    red = redact_call(call)
    assert [p.speaker for p in red.passages] == ["Seller 1", "Buyer 1", "Buyer 2", "Seller 2", "Other 1"]
    assert red.passages[0].text == "Morning Buyer 1, morning Buyer 2."
    assert red.passages[1].text == "Hi Seller 1. Seller 1, right?"
    assert red.passages[3].text == "Seller 1 asked me to join. Seller 2 here; Seller 2 without umlaut."


def test_first_names_in_hasty_lowercase_notes_are_found_but_common_words_are_not_names():
    call = call_of(("Will Grant", "seller", "Thanks Will. I will grant you that, Grant."),
                   ("Jonas Weber", "buyer", "jonas pushed back, weber too."))
    red = redact_call(call)
    assert red.passages[0].text == "Thanks Seller 1. I will grant you that, Seller 1."
    assert red.passages[1].text == "Buyer 1 pushed back, Buyer 1 too."


def test_the_sellers_header_name_and_the_attendees_of_notes_are_redacted():
    call = replace(call_of((None, "other", "Attendees: Maria Chen (VP Ops), Raj Patel (IT), me"),
                           (None, "buyer", "Maria worried about downtime; Raj asked about SSO."),
                           (None, "seller", "Dana proposed a pilot.")),
                   seller="Dana Ortiz", kind="notes", title="Acme - notes by Dana Ortiz")
    red = redact_call(call)
    assert red.seller == "Seller 1" and red.title == "Acme - notes by Seller 1"
    assert red.passages[0].text == "Attendees: Person 1 (VP Ops), Person 2 (IT), me"
    assert red.passages[1].text == "Person 1 worried about downtime; Person 2 asked about SSO."
    assert red.passages[2].text == "Seller 1 proposed a pilot."


def test_a_family_name_two_people_share_names_neither_of_them():
    call = call_of(("Carla Hernandez", "buyer", "Hernandez & Sons, hi."), ("Lupe Hernandez", "buyer", "Hi Carla."))
    red = redact_call(call)
    assert [p.text for p in red.passages] == ["[name] & Sons, hi.", "Hi Buyer 1."]


def test_extra_names_cover_people_who_neither_speak_nor_are_listed():
    r = Redactor(call_of(("Jonas Weber", "seller", "x")), extra_names=["Marta Silva"])
    assert r.text("Marta might join, and Ms. Silva too.") == "Person 1 might join, and Ms. Person 1 too."


def test_redaction_drops_the_source_path_and_names_in_the_call_id():
    call = replace(call_of(("Sam Lee", "buyer", "hi")), call_id="call-with-sam-lee", source="/home/x/sam-lee.vtt",
                   extra={"content_sha256": "abc", "customer": "Sam Lee"})
    red = redact_call(call)
    assert red.source is None and "sam" not in red.call_id.lower() and red.extra == {"customer": "Buyer 1"}
    assert redact_call(replace(call, call_id="bluewater-0412")).call_id == "bluewater-0412"


def test_redaction_keeps_labels_times_and_structure():
    call = read_corpus(DATA / "calls.jsonl")[0]
    red = redact_call(call)
    assert [(p.index, p.start, p.end, p.role, p.behavior, p.stage) for p in red.passages] == \
        [(p.index, p.start, p.end, p.role, p.behavior, p.stage) for p in call.passages]
    assert [p.predictions["behavior"].label for p in red.passages] == \
        [p.predictions["behavior"].label for p in call.passages]


# ------------------------------------------------------------------ every format


def reports(tmp_path) -> list:
    script = json.loads((DATA / "review.json").read_text(encoding="utf-8"))
    out = []
    with Store.open(tmp_path / "s.sqlite3") as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        for cid, r in script.items():
            for d in r["decisions"]:
                st.decide(cid, d["index"], d["task"], d["action"], d.get("label"), reviewer=r["reviewer"])
            for c in r["comments"]:
                st.comment(cid, c["index"], c["text"], reviewer=r["reviewer"])
            st.set_feedback(cid, reviewer=r["reviewer"], **r["feedback"])
        team = read_corpus(DATA / "team.jsonl")
        out += [from_store(st, cid, team=team) for cid in script]
    out += [from_call(c) for c in load_calls(DATA / "lakeview_call.vtt")]
    return out


def all_text(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def survivors(text: str) -> list[str]:
    found = [n for n in PLANTED_NAMES if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]
    return found + [s for s in PLANTED_NUMBERS if s in text]


def test_the_planted_data_is_really_there_without_redaction(tmp_path):
    text = all_text(render(reports(tmp_path), "json"))
    assert survivors(text) == PLANTED_NAMES + PLANTED_NUMBERS


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_planted_name_email_or_number_survives_redaction_in_any_format(tmp_path, fmt):
    red = [redacted(r, extra_names=["Marta"]) for r in reports(tmp_path)]
    text = all_text(render(red, fmt))
    assert survivors(text) == []
    assert "Seller 1" in text and "Buyer 1" in text
