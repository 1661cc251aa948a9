"""Plain 'Name: text' transcripts."""

from pathlib import Path

import pytest

from callreview.formats import load_calls
from callreview.formats._base import label_shape_ok

DATA = Path(__file__).parent / "data" / "formats"


def test_timestamps_in_brackets_parentheses_or_bare_give_start_times():
    call = load_calls(DATA / "plain_timed.txt")[0]
    assert [p.start for p in call.passages] == [2, 6, 9, 21, 62, 65, 69, 72, 80]
    assert call.speakers == ["Grace Okafor", "Ben Alvarez"]


def test_continuation_lines_belong_to_the_previous_speaker():
    call = load_calls(DATA / "plain_timed.txt")[0]
    assert call.passages[2].text == ("Good. So last time you said month-end close takes six days. "
                                     "That's the part I'd like to dig into today, mostly the reconciliation step.")


def test_a_clock_time_or_note_or_action_items_is_not_a_speaker():
    call = load_calls(DATA / "plain_timed.txt")[0]
    assert call.passages[3].speaker == "Ben Alvarez"
    assert call.passages[3].text == ("Right. 10:30 we start pulling the bank files, and it goes downhill "
                                     "from there. Note: the bank portal times out constantly.")
    assert call.passages[7].text == "Two people on my team. Action items: I'll send you the account list."


def test_header_block_gives_title_seller_outcome_and_date():
    call = load_calls(DATA / "plain_headed.txt")[0]
    assert call.title == "Harbor Dental - renewal check-in"
    assert call.seller == "Priya Nair"
    assert call.outcome == "continuation"
    assert call.extra["date"] == "2025-03-14"
    assert call.roles == {"Priya Nair": "seller", "Dr. Chen": "buyer"}
    assert not call.roles_inferred
    assert "Summary: they want one-click offers." in call.passages[3].text


def test_a_one_off_full_name_is_a_speaker_in_a_file_of_labelled_lines(tmp_path):
    f = tmp_path / "call.txt"
    f.write_text("Dana Ortiz: Hi Sam.\nSam Lee: Hi.\nDana Ortiz: Ready?\nSam Lee: Yes.\nKai Berg: Sorry, joining late.\n")
    call = load_calls(f)[0]
    assert call.passages[-1].speaker == "Kai Berg"
    assert call.passages[-1].text == "Sorry, joining late."


def test_a_label_seen_once_in_running_text_stays_text_unless_it_names_a_known_speaker(tmp_path):
    f = tmp_path / "call.txt"
    f.write_text("Dana Ortiz: Hi Sam. Let me share what we found.\n"
                 "We looked at three quarters of returns data.\nThe pattern is clear.\n"
                 "Kai Berg: who signs off on refunds?\nSam Lee: Fair.\nDana Ortiz: Good.\n"
                 "Sam Lee: Go on.\nIt is mostly approvals.\nAnd labels.\nAnd the printer.\nAnd the courier.\nAnd the weather.\n")
    call = load_calls(f)[0]
    assert call.speakers == ["Dana Ortiz", "Sam Lee"]
    assert call.passages[0].text.endswith("The pattern is clear. Kai Berg: who signs off on refunds?")
    call = load_calls(f, sellers=["Kai Berg"])[0]
    assert "Kai Berg" in call.speakers


def test_role_labels_like_rep_and_customer_work_as_speakers(tmp_path):
    f = tmp_path / "roles.txt"
    f.write_text("Rep: How many sites?\nCustomer: Three.\nRep: And the warehouse?\nCustomer: Fresno.\n")
    call = load_calls(f)[0]
    assert call.speakers == ["Rep", "Customer"]


@pytest.mark.parametrize("label", ["Dana Ortiz", "Ortiz, Dana (Contoso)", "Speaker 2", "Speaker ?",
                                   "Ana de la Cruz", "Dr. Chen", "O'Neil", "DANA", "Zoë", "Q",
                                   "Dana's iPhone", "Galaxy S21", "Conference Room 3B"])
def test_name_like_labels_have_speaker_shape(label):
    assert label_shape_ok(label)


@pytest.mark.parametrize("label", ["Note", "Action items", "Next Steps", "So basically", "The plan",
                                   "we agreed", "10", "https", "Budget", "Summary", "This Is A Long Sentence Here",
                                   "Q3 plan", "3 Things"])
def test_headings_and_sentence_starts_do_not_have_speaker_shape(label):
    assert not label_shape_ok(label)
