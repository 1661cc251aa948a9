"""Written call notes: header metadata, one passage per line, roles by documented rules."""

from pathlib import Path

import pytest

from callreview.formats import load_calls
from callreview.formats.notes import line_role

DATA = Path(__file__).parent / "data" / "formats"


def test_notes_header_becomes_call_metadata_not_passages():
    call = load_calls(DATA / "acme_notes.md")[0]
    assert call.kind == "notes"
    assert call.title == "Acme Logistics - discovery call notes"
    assert call.seller == "Dana Ortiz"
    assert call.outcome == "advance"
    assert call.extra["date"] == "2025-04-02" and call.extra["customer"] == "Acme Logistics"
    assert not any(p.text.startswith(("Seller:", "Outcome:", "Date:", "Customer:")) for p in call.passages)


def test_each_note_line_is_one_passage_without_its_bullet():
    call = load_calls(DATA / "acme_notes.md")[0]
    texts = [p.text for p in call.passages]
    assert len(texts) == 13
    assert texts[1] == "Asked how many sites they run (3, plus a warehouse in Fresno)"
    assert texts[4] == "Showed the dispatch board and the route optimizer"
    assert texts[6] == "Proposed a 2-week pilot with 2 techs"
    assert texts[10] == "Sent recap + pilot checklist after call"


def test_note_roles_follow_the_rules_and_are_marked_inferred():
    call = load_calls(DATA / "acme_notes.md")[0]
    assert call.roles_inferred
    assert [p.role for p in call.passages] == [
        "other",   # Attendees: ...
        "seller",  # Asked how many sites ...
        "buyer",   # Customer worried ...
        "buyer",   # They use ...
        "seller",  # Showed ...
        "buyer",   # they liked ..., Raj asked ...
        "seller",  # Proposed ...
        "buyer",   # Maria said ...
        "seller",  # I walked them through ...
        "buyer",   # Agreed to pilot ...
        "seller",  # Sent recap ...
        "other",   # Next steps:
        "buyer",   # Raj to send ...
    ]
    assert all(p.speaker is None for p in call.passages)


def test_lowercase_unbulleted_notes_without_header_are_notes_with_roles():
    call = load_calls(DATA / "followup-notes.txt")[0]
    assert call.kind == "notes" and call.outcome is None
    assert [p.role for p in call.passages] == [
        "other", "seller", "buyer", "buyer", "seller", "buyer", "seller", "buyer"]


@pytest.mark.parametrize("line, role", [
    ("Asked about their current CRM", "seller"),
    ("asked abt budget - ~40k", "seller"),
    ("Demoed the mobile app", "seller"),
    ("Ran through the ROI calc", "seller"),
    ("We agreed I'd send the SOW", "seller"),
    ("Dana showed the audit export", "seller"),
    ("Customer worried about migration downtime", "buyer"),
    ("CFO pushed back on price", "buyer"),
    ("Maria (VP Ops) said the board meets in June", "buyer"),
    ("Worried about training 40 techs", "buyer"),
    ("3 sites plus a warehouse", "buyer"),
    ("Present: Jonas, Elif, me", "other"),
    ("Met w/ Jonas at their Hamburg office", "other"),
    ("12/03/2025", "other"),
    ("TODO send the SOC 2 report to Raj", "seller"),
    ("Next: pilot kickoff Mon, I own the checklist", "seller"),
    ("small talk re their new warehouse", "seller"),
    ("Sanjay re-showed the leadwire set", "seller"),
    ("Asked us to hold the May dates", "buyer"),
    ("3. intro'd myself and the agenda", "seller"),
])
def test_line_role_examples(line, role):
    assert line_role(line, ["Dana Ortiz"]) == role


def test_seller_option_fills_the_notes_seller(tmp_path):
    call = load_calls(DATA / "followup-notes.txt", sellers=["Ines Vogel"])[0]
    assert call.seller == "Ines Vogel"


def test_wrapped_bullet_lines_join_the_bullet(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("Outcome: no sale\n\n- Asked about the rollout plan for the\n  second site in Leeds\n- They chose a competitor\n")
    call = load_calls(f)[0]
    assert call.outcome == "no_sale"
    assert [p.text for p in call.passages] == [
        "Asked about the rollout plan for the second site in Leeds", "They chose a competitor"]


def test_markdown_bold_header_keys_are_read(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("**Outcome:** advance\n**Seller:** Dana Ortiz\n\n- Asked about budget\n- Customer said 40k\n")
    call = load_calls(f)[0]
    assert (call.outcome, call.seller) == ("advance", "Dana Ortiz")
    assert [p.role for p in call.passages] == ["seller", "buyer"]


def test_first_note_line_saying_when_and_how_the_call_happened_is_the_note_takers(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("Cold call - Wickham Tiles, Leeds. 11/6 approx 10:15\n- Asked who handles breakage claims\n"
                 "- Breakage around 4%, all by phone 9:30-11\n")
    call = load_calls(f, format="notes")[0]
    assert [p.role for p in call.passages] == ["other", "seller", "buyer"]


def test_a_header_block_with_long_values_is_still_the_header(tmp_path):
    """Real titles and customer lines run long; a block of several header keys is a header."""
    from callreview.formats import load_calls

    f = tmp_path / "visit.notes.md"
    f.write_text("Title: Birchwood Inn & Tavern - on-site kitchen visit, dish machine replacement for the season\n"
                 "Seller: Renee Caldwell\n"
                 "Customer: Birchwood Inn & Tavern (Martin Ostrowski, owner; Luisa Ferrante, head chef)\n"
                 "Outcome: order\n\n"
                 "- Asked how many covers they do on a Saturday (about 180)\n"
                 "- Martin worried the new machine would not fit the old footprint\n", encoding="utf-8")
    [call] = load_calls(f)
    assert call.outcome == "order" and call.seller == "Renee Caldwell"
    assert call.title.startswith("Birchwood Inn")
    assert len(call.passages) == 2
