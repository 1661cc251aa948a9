"""Passage features: the signals a reader would expect, and the same answer whether
calls are featurised one by one, together, or from several threads at once."""

from __future__ import annotations

import threading

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from callreview.features import NUMERIC_NAMES, call_features
from callreview.records import Call, Passage


def call_of(*lines: tuple[str, str]) -> Call:
    return Call("c", tuple(Passage(index=i, text=t, speaker=s, role="seller" if s == "S" else "buyer")
                           for i, (s, t) in enumerate(lines)))


def signals(batch, row: int) -> dict[str, float]:
    return {n: float(v) for n, v in zip(NUMERIC_NAMES, batch.numeric[row]) if n.startswith("sig:") and v}


def test_question_forms_are_seen_with_or_without_a_question_mark():
    b = call_features([call_of(("S", "so how many trucks do you run"), ("B", "About forty."),
                               ("S", "Do you ever lose a day to breakdowns?"), ("B", "We do, honestly."),
                               ("S", "Walk me through what happens when a truck is down."))])
    assert signals(b, 0)["sig:wh_start"] == 1.0 and "sig:question_mark" not in signals(b, 0)
    assert signals(b, 2)["sig:aux_inversion"] == 1.0 and signals(b, 2)["sig:question_mark"] == 1.0
    assert signals(b, 4)["sig:invite"] == 1.0
    assert "sig:wh_start" not in signals(b, 1)


def test_numbers_money_and_placeholders_in_the_words():
    b = call_features([call_of(("S", "It's $4,000 a month for 12 sites."), ("B", "Okay."))])
    assert "<money>" in b.words[0] and "<num>" in b.words[0]
    assert signals(b, 0)["sig:number"] > 0 and signals(b, 0)["sig:money"] > 0


def test_neighbours_and_roles_are_context_of_each_passage():
    b = call_features([call_of(("S", "What does a late delivery cost you?"), ("B", "A lot."))])
    col = {n: i for i, n in enumerate(NUMERIC_NAMES)}
    assert b.numeric[1, col["prev_role=seller"]] == 1.0 and b.numeric[1, col["prev:wh_start"]] == 1.0
    assert b.numeric[0, col["prev_none"]] == 1.0 and b.numeric[0, col["role=seller"]] == 1.0


def test_features_do_not_depend_on_batching_or_threads(small_corpus):
    calls = small_corpus[:6]
    together = call_features(calls)
    alone = [call_features([c]) for c in calls]
    assert np.allclose(np.vstack([a.numeric for a in alone]), together.numeric)
    assert [w for a in alone for w in a.words] == together.words
    results: dict[int, object] = {}

    def work(i: int) -> None:
        results[i] = call_features(calls)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results.values():
        assert np.allclose(r.numeric, together.numeric) and r.words == together.words


ATOMS = list("abcXYZ019 .,!?'’-$%:/@#()\"\n\t") + [" ", "  ", "can't", "U.S.", "e.g.", "don't", "$5", "10am",
                                                     "http://x.io", ":)", "I'm", "gonna", "mm-hmm", "Q3", "co-op"]
PIECES = st.lists(st.sampled_from(ATOMS), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=6))
def test_tokens_are_spacys_tokens_of_each_whitespace_piece(texts):
    """Features tokenize whitespace pieces once and cache them: a piece always gives the
    tokens spaCy's tokenizer gives it, whatever surrounds it and whatever came before."""
    from callreview.features import get_signals
    from callreview.nlp import get_nlp

    tok = get_nlp().tokenizer
    ids, lengths = get_signals()._tokens(texts)
    expected = [[t.orth for piece in (text.split() or ["."]) for t in tok(piece)] for text in texts]
    assert lengths == [len(e) for e in expected]
    assert ids == [o for e in expected for o in e]


def test_tokens_equal_tokenizing_the_whole_passage_on_real_text(small_corpus):
    """On ordinary text that is exactly spaCy's tokenization of the passage. (spaCy itself
    can split an emoticon glued to a word differently by context, "a:) :)a"; pieces don't.)"""
    from callreview.features import get_signals
    from callreview.nlp import get_nlp

    tok = get_nlp().tokenizer
    texts = [p.text for c in small_corpus for p in c.passages]
    ids, lengths = get_signals()._tokens(texts)
    assert ids == [t.orth for text in texts for t in tok(" ".join(text.split()) or ".")]


def test_a_cue_phrase_never_matches_across_two_passages():
    call = Call("c", (Passage(0, "Could you walk", speaker="A", role="seller"),
                      Passage(1, "me through the rollout?", speaker="A", role="seller")))
    both = Call("d", (Passage(0, "Could you walk me through the rollout?", speaker="A", role="seller"),))
    invite = NUMERIC_NAMES.index("sig:invite")
    assert call_features([call]).numeric[:, invite].tolist() == [0.0, 0.0]
    assert call_features([both]).numeric[0, invite] == 1.0
