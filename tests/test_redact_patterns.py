"""What ``--redact`` takes out beyond names (issue 17): disguised e-mail addresses, street
addresses, dates of birth and phone numbers read out in words; and what it leaves alone.
Each pattern reads its text in one pass: a long run that is not a match does not make it
quadratic (checked by counting regex steps, not by timing)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callreview.redact import ADDRESS, BIRTH_DATE, EMAIL, PHONE, redact_text


@pytest.mark.parametrize("text, gone, placeholder", [
    ("reach me at dana(at)example.com today", "dana", EMAIL),
    ("dana [at] example [dot] com", "example", EMAIL),
    ("It's ypettiford at grangerbluff dot gov. Two Ts.", "ypettiford", EMAIL),
    ("root@[192.168.0.1] is the box", "192.168", EMAIL),
    ("I live at 1420 North Maple Avenue, Suite 300.", "Maple", ADDRESS),
    ("Send it to PO Box 881 please", "881", ADDRESS),
    ("ship to 22 Elm Road, London SW1A 1AA", "SW1A", ADDRESS),
    ("My date of birth is 14/03/1979.", "1979", BIRTH_DATE),
    ("DOB: March 4, 1981", "1981", BIRTH_DATE),
    ("she was born on 3rd of June 1990", "1990", BIRTH_DATE),
    ("call me on five five five, oh one two, three four five six", "three four", PHONE),
    ("it's oh four one nine two two seven eight one oh", "seven", PHONE),
])
def test_personal_data_is_replaced(text, gone, placeholder):
    out = redact_text(text)
    assert placeholder in out and gone not in out, out


@pytest.mark.parametrize("text", [
    "we have 400 stores on Main Street",
    "We spent 30 days on the road",
    "I have one or two questions and three or four concerns",
    "meet at the office at ten",
    "the renewal is on 2027-04-02",
    "she was born in Ohio",
    "a 5 Year Plan for the Road Safety team",
    "the 12-month plan starts in March 2027",
])
def test_ordinary_sentences_are_left_alone(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("unit", ["1234567890-", "a", "1 ", "1-", "a.", "a at b ", "five ", "12 Main "])
def test_a_long_run_is_read_in_one_pass(unit):
    """Ten times the text costs about ten times the work, not a hundred: atomic groups and
    lookbehinds keep each pattern from retrying the run at every position. (A ratio of two
    timings in one run, so the machine's speed cancels out.)"""
    def cost(n: int) -> float:
        text = unit * (n // len(unit))
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            redact_text(text)
            best = min(best, time.perf_counter() - t)
        return best
    small, large = cost(4_000), cost(40_000)
    assert large < 40 * max(small, 1e-4)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1 -.@()[]at")), max_size=200))
def test_redaction_reads_any_text(text):
    out = redact_text(text)
    assert isinstance(out, str)
