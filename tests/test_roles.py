"""Who is the seller: named sellers, header lines, the documented heuristic, other speakers."""

from pathlib import Path

import pytest

from callreview.formats import load_calls
from callreview.records import Call, Passage
from callreview.roles import assign_roles, is_unidentified

DATA = Path(__file__).parent / "data" / "formats"


def make_call(*turns, seller=None, roles=None):
    roles = roles or {}
    return Call("c", tuple(Passage(i, text, speaker, roles.get(i)) for i, (speaker, text) in enumerate(turns)),
                seller=seller)


DISCOVERY = (
    ("Sam Lee", "Hello, Sam speaking."),
    ("Dana Ortiz", "Hi Sam, it's Dana from Contoso. Thanks for taking the time. How do returns work today?"),
    ("Sam Lee", "Badly. We lose a week a month."),
    ("Dana Ortiz", "Where does the week go?"),
    ("Sam Lee", "Approvals, mostly."),
)


def test_named_seller_matches_case_insensitively_and_everyone_else_is_buyer():
    call = assign_roles(make_call(*DISCOVERY), sellers=["SAM LEE"])
    assert call.roles == {"Sam Lee": "seller", "Dana Ortiz": "buyer"}
    assert not call.roles_inferred


def test_last_comma_first_names_match_first_last():
    call = assign_roles(make_call(("Ortiz, Dana (Contoso)", "Hi?"), ("Sam Lee", "Hi.")), sellers=["Dana Ortiz"])
    assert call.roles["Ortiz, Dana (Contoso)"] == "seller"
    call = assign_roles(make_call(("Dana Ortiz", "Hi?"), ("Sam Lee", "Hi.")), sellers=["ortiz, dana"])
    assert call.roles["Dana Ortiz"] == "seller"


def test_first_name_alone_matches_when_only_one_speaker_has_it():
    call = assign_roles(make_call(("Dana Ortiz", "Hi."), ("Sam Lee", "Hi?")), sellers=["dana"])
    assert call.roles == {"Dana Ortiz": "seller", "Sam Lee": "buyer"}
    assert call.seller == "Dana Ortiz"


def test_seller_header_names_the_seller_without_inference():
    call = assign_roles(make_call(*DISCOVERY, seller="Sam Lee"))
    assert call.roles["Sam Lee"] == "seller" and not call.roles_inferred


def test_inferred_seller_is_who_asks_the_questions_and_is_marked_inferred():
    call = assign_roles(make_call(*DISCOVERY))
    assert call.roles == {"Sam Lee": "buyer", "Dana Ortiz": "seller"}
    assert call.roles_inferred


def test_inference_prefers_the_first_speaker_when_nothing_else_differs():
    call = assign_roles(make_call(("Ana", "Good morning."), ("Ben", "Good morning.")))
    assert call.roles == {"Ana": "seller", "Ben": "buyer"}


def test_teams_guest_is_never_the_inferred_seller_and_colleagues_share_the_seller_role():
    call = load_calls(DATA / "teams_discovery.vtt")[0]
    assert call.roles == {"Ortiz, Dana (Contoso)": "seller", "Sam Lee (Guest)": "buyer",
                          "Priya Raman (Guest)": "buyer", "Kai Müller (Contoso)": "seller"}
    guest_asks = make_call(("Sam Lee (Guest)", "Why? How? When?"), ("Dana Ortiz", "Because."))
    assert assign_roles(guest_asks).roles["Sam Lee (Guest)"] == "buyer"


@pytest.mark.parametrize("name", ["Unknown", "Unknown Speaker", "Speaker ?", "Operator", "Notetaker",
                                  "Fireflies.ai Notetaker", "Otter.ai", "Meeting Bot"])
def test_machines_and_placeholders_are_other(name):
    assert is_unidentified(name)
    call = assign_roles(make_call(("Dana Ortiz", "How are you?"), (name, "Recording started."), ("Sam Lee", "Fine.")))
    assert call.roles[name] == "other"


@pytest.mark.parametrize("name", ["Speaker 1", "Dana Ortiz", "Botha, Pieter", "Aiden"])
def test_real_people_are_not_other(name):
    assert not is_unidentified(name)


def test_call_without_speakers_keeps_roles_none():
    call = Call("c", (Passage(0, "Welcome back."), Passage(1, "Part two.")))
    out = assign_roles(call, sellers=["Dana"])
    assert [p.role for p in out.passages] == [None, None] and not out.roles_inferred


def test_roles_in_the_data_are_kept_and_only_missing_ones_filled():
    call = make_call(("Dana Ortiz", "Hi?"), ("Sam Lee", "Hi."), ("Kai Berg", "Hello."), roles={0: "buyer", 1: "seller"})
    out = assign_roles(call)
    assert out.roles == {"Dana Ortiz": "buyer", "Sam Lee": "seller", "Kai Berg": "buyer"}


def test_sellers_given_by_the_user_override_roles_in_the_data():
    call = make_call(("Dana Ortiz", "Hi?"), ("Sam Lee", "Hi."), roles={0: "buyer", 1: "seller"})
    out = assign_roles(call, sellers=["Dana Ortiz"])
    assert out.roles == {"Dana Ortiz": "seller", "Sam Lee": "buyer"}


def test_seller_who_does_not_speak_is_warned_and_the_seller_guessed():
    warnings = []
    call = load_calls(DATA / "zoom_demo.vtt", sellers=["Jordan Blake"], warn=warnings.append)[0]
    assert any("Jordan Blake" in w and "zoom_demo.vtt" in w for w in warnings)
    assert call.roles["Marisol Vega"] == "seller" and call.roles_inferred


def test_seller_option_applies_through_load_calls():
    call = load_calls(DATA / "zoom_demo.vtt", sellers=["aisha bello"])[0]
    assert call.roles == {"Marisol Vega": "buyer", "Tom Kowalczyk": "buyer", "Aisha Bello": "seller"}


@pytest.mark.parametrize("intro", [
    "Morning all. My colleague Ravi Shah is on too, he'll run the demo.",
    "Morning all. This is Ravi, our solutions engineer.",
    "Morning all. Ravi from our data platform team is joining us.",
    "Morning all. I've got Ravi from finance on the line for the numbers.",
    "Morning all. I have Ravi Shah with me today.",
])
def test_a_colleague_the_seller_introduces_is_on_the_seller_side(intro):
    call = assign_roles(make_call(("Dana Ortiz", intro), ("Sam Lee", "Hi both."), ("Ravi Shah", "Hello Sam."),
                                  ("Dana Ortiz", "How are returns going?"), ("Sam Lee", "Slowly.")),
                        sellers=["Dana Ortiz"])
    assert call.roles == {"Dana Ortiz": "seller", "Sam Lee": "buyer", "Ravi Shah": "seller"}
    assert call.roles_inferred  # the colleague was guessed


@pytest.mark.parametrize("mention", [
    "Ravi, from our first conversation, you run three depots?",
    "Ravi, how does our pricing compare with what you pay now?",
    "I'll send Ravi the deck after this.",
])
def test_addressing_a_buyer_by_name_does_not_make_them_a_colleague(mention):
    call = assign_roles(make_call(("Dana Ortiz", mention), ("Ravi Shah", "Sure."), ("Dana Ortiz", "Great.")),
                        sellers=["Dana Ortiz"])
    assert call.roles["Ravi Shah"] == "buyer"
