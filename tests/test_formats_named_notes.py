"""Written notes whose lines start with 'Name:' are notes, not a 'Name: text' transcript."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from callreview.cli import cli
from callreview.formats import load_calls, sniff

DATA = Path(__file__).parent / "data" / "formats"
NOTES = DATA / "harbor-named-notes.txt"


def test_notes_with_name_lines_are_read_as_notes_one_passage_per_line():
    assert sniff(NOTES) == "notes"
    [call] = load_calls(NOTES)
    lines = [line for line in NOTES.read_text().splitlines() if line.strip()]
    assert call.kind == "notes" and len(call.passages) == len(lines)
    assert [p.text for p in call.passages] == lines  # every word kept, the names too


def test_each_name_keeps_one_role_the_note_taker_sells_a_customer_title_buys():
    [call] = load_calls(NOTES)
    roles = {p.text.split(":")[0]: p.role for p in call.passages if ":" in p.text[:20]}
    assert roles["Me"] == "seller"
    assert roles["Priya (COO)"] == "buyer" and roles["Priya"] == "buyer"
    assert roles["Ravi (IT lead)"] == "buyer" and roles["Ravi"] == "buyer"
    assert call.passages[0].role == "other"  # the note-taker's header line


def test_a_named_seller_in_name_lines_is_the_seller(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("Dana: asked how many sites they run\nSam: 3 sites + a warehouse in Fresno\n"
                 "Dana: asked what a late shipment costs them\nSam: said ~$40k a quarter in credits\n",
                 encoding="utf-8")
    [call] = load_calls(f, sellers=["Dana"])
    assert call.kind == "notes"
    assert [p.role for p in call.passages] == ["seller", "buyer", "seller", "buyer"]


def test_a_name_text_transcript_stays_a_transcript(tmp_path):
    f = tmp_path / "call.txt"
    f.write_text("Dana: Hi Sam, thanks for joining. Can you hear me?\nSam: Yes, loud and clear.\n"
                 "Dana: How many sites do you run today?\nSam: Three, and a warehouse in Fresno.\n"
                 "Dana: And what happens when a shipment is late?\nSam: We pay credits, about forty grand.\n",
                 encoding="utf-8")
    assert sniff(f) == "plain"


def test_every_command_that_reads_files_takes_format(tmp_path):
    f = tmp_path / "call.txt"
    f.write_text("Dana: asked how many sites\nSam: three\n", encoding="utf-8")
    for args in (["inspect"], ["annotate"], ["metrics"], ["report"], ["coach"], ["review"], ["reviews", "add"]):
        out = CliRunner().invoke(cli, [*args, "--help"])
        assert "--format" in out.output, args
    out = CliRunner().invoke(cli, ["export", "--help"])
    assert "--input-format" in out.output
    res = CliRunner().invoke(cli, ["inspect", "--format", "notes", str(f)])
    assert res.exit_code == 0 and "notes" in res.output
