"""Passages from raw turns: a turn that does two jobs is split where the model says so,
and no word is ever lost or reordered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from callreview.classify import annotate
from callreview.formats import load_calls
from callreview.segment import sentences


class _Rules:
    """A stand-in classifier: a question asks for commitment, 'So if' sums up, the rest informs;
    its boundary classifier cuts where the two sides' behaviors differ."""

    LABELS = ("commitment_request", "summarizing", "giving_information")
    tasks_ = ("behavior",)
    sequence_tasks = ()

    @classmethod
    def _label(cls, text):
        return ("commitment_request" if text.rstrip().endswith("?") else
                "summarizing" if text.startswith("So if") else "giving_information")

    def first_pass(self, calls, task):
        import numpy as np

        rows = [[1.0 if lab == self._label(p.text) else 0.0 for lab in self.LABELS]
                for c in calls for p in c.passages]
        return np.asarray(rows)

    class boundary_:
        @staticmethod
        def predict_proba(F):
            import numpy as np

            differ = F[:, 6:9].sum(axis=1) > 1  # |p_left - p_right| over the three labels
            return np.column_stack([~differ, differ]).astype(float)

    def predict_calls(self, calls, explain=0):
        def row(text):
            return {"label": self._label(text), "probability": 0.9, "alternatives": [("other", 0.1)],
                    "explanation": []}
        return [{"behavior": [row(p.text) for p in c.passages]} for c in calls]


class _Model:
    id = "rules"
    classifier = _Rules()


shipped_model = _Model()


def _words(call):
    return [w for p in call.passages for w in p.text.split()]


def test_a_turn_with_a_recap_then_a_commitment_request_becomes_two_passages(tmp_path):
    f = tmp_path / "call.vtt"
    f.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Dana Ortiz>Hi Sam, thanks for making the time today.</v>\n\n"
        "00:00:06.000 --> 00:00:09.000\n<v Sam Lee>Sure, happy to. We have about twenty minutes.</v>\n\n"
        "00:00:10.000 --> 00:00:30.000\n<v Dana Ortiz>So if I have it right, the real problem is the two days "
        "it takes to approve every return, and that is costing you repeat customers. Could we book thirty "
        "minutes with your CFO next Tuesday to walk through the numbers together?</v>\n\n"
        "00:00:31.000 --> 00:00:34.000\n<v Sam Lee>Yes, Tuesday works. I will send the invite.</v>\n",
        encoding="utf-8")
    [read] = load_calls(f, sellers=["Dana Ortiz"])
    [out] = annotate([read], shipped_model)
    assert len(out.passages) == len(read.passages) + 1
    parts = [p for p in out.passages if p.extra.get("turn") == 2]
    assert [p.behavior for p in parts] == ["summarizing", "commitment_request"]
    assert _words(out) == _words(read)  # nothing lost, nothing reordered
    assert parts[0].start == 10.0 and parts[-1].end == 30.0 and parts[0].end == parts[1].start
    assert all(p.speaker == "Dana Ortiz" and p.role == "seller" for p in parts)
    assert [p.index for p in out.passages] == list(range(len(out.passages)))


def test_labeled_passages_and_notes_are_never_split(tmp_path):
    from callreview.corpora import default_corpus_dir, read_corpus

    notes = tmp_path / "visit-notes.md"
    notes.write_text("Title: Visit\n\n- So if I have it right, they lose two days a week. Asked if we could meet "
                     "the CFO next Tuesday?\n- Budget is about 40k a year.\n", encoding="utf-8")
    calls = read_corpus(default_corpus_dir())[:3] + load_calls(notes)
    out = annotate(calls, shipped_model)
    assert [len(c.passages) for c in out] == [len(c.passages) for c in calls]


_text = st.lists(st.sampled_from(["Okay.", "So the issue is the night shift.", "what does that cost you?",
                                  "We can start in March.", "Shall I send the order form?", "Yeah",
                                  "It's about 40k a year, honestly.", "Right!", "and the warehouse…"]),
                 min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(_text)
def test_sentences_are_consecutive_pieces_of_the_turn(text):
    assert " ".join(sentences(text)) == " ".join(text.split())
