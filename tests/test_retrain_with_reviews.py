"""Corrections flow back into the model: relabel passages through the core API,
retrain with --with-reviews, and the new model says what the manager said."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from callreview.artifacts import load_model
from callreview.classify import annotate
from callreview.cli import cli
from callreview.corpora import write_corpus
from callreview.formats import load_calls
from callreview.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "samples" / "harbor-demo.zoom.vtt"


def test_relabels_retrain_into_the_model_and_models_diff_reports_them(tmp_path, small_corpus, small_model):
    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        write_corpus(small_corpus, fh, predictions=False)
    store_path = tmp_path / "reviews.sqlite3"
    [call] = annotate(load_calls(SAMPLE, sellers=["Greg Mattingly"]), small_model)

    # The manager's own taxonomy choice: every seller passage about the product is a "demo_step".
    seller_passages = [p for p in call.passages if p.role == "seller"][:10]
    assert len(seller_passages) == 10
    with Store.open(store_path) as store:
        stored = store.add_call(call, model_id=small_model.id)
        for p in seller_passages:
            store.decide(stored.call_id, p.index, "behavior", "relabel", "demo_step", reviewer="maria")
        store.decide(stored.call_id, 0, "stage", "skip", reviewer="maria")
    # nothing the old model says is "demo_step"
    assert "demo_step" not in small_model.labels("behavior")

    out = tmp_path / "retrained"
    runner = CliRunner()
    r = runner.invoke(cli, ["train", "--corpus", str(corpus), "--with-reviews", "--store", str(store_path),
                            "--out", str(out), "--folds", "0", "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    new = load_model(out)
    assert "demo_step" in new.labels("behavior")
    [again] = annotate([call], new, keep_labels=False)
    learned = [again.passages[p.index].behavior for p in seller_passages]
    assert learned.count("demo_step") >= 8, learned

    r = runner.invoke(cli, ["models", "diff", str(small_model.path), str(out), "--store", str(store_path), "--json"],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.output
    diff = json.loads(r.output)
    beh = diff["tasks"]["behavior"]
    assert beh["changed"] >= 8
    assert beh["agree_with_reviewer"]["a"] == 0 and beh["agree_with_reviewer"]["b"] >= 8
    assert any(ex["b"] == "demo_step" and ex["reviewer"] == "demo_step" for ex in beh["examples"])


def test_a_reviewed_corpus_call_keeps_its_other_corpus_labels():
    """The CLI's --with-reviews and the app's retrain merge the same way: the manager's
    labels replace the corpus labels passage by passage, nothing else is lost."""
    from callreview.records import Call, Passage
    from callreview.train import merge_reviewed

    corpus = Call("c1", (Passage(0, "Hi there.", behavior="rapport", stage="opening"),
                         Passage(1, "How many vans?", behavior="situation_question", stage="discovery")))
    reviewed = Call("c1", (Passage(0, "Hi there."), Passage(1, "How many vans?", behavior="problem_question")))
    other = Call("c2", (Passage(0, "Yes.", behavior="buyer_commitment"),))
    [merged, added] = merge_reviewed([corpus], [reviewed, other])
    assert [(p.behavior, p.stage) for p in merged.passages] == [("rapport", "opening"),
                                                                ("problem_question", "discovery")]
    assert added.call_id == "c2"
