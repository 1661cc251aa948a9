"""The classifier: predictions a manager can read, labels as data, deterministic
training, stage decoding, and model folders that refuse to load when tampered with."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from callreview.artifacts import load_model, save_model, sha256_file
from callreview.classify import annotate
from callreview.corpora import read_corpus
from callreview.errors import ModelError
from callreview.pipeline import CallClassifier, TaskModel
from callreview.records import Call, Passage
from callreview.train import train

DATA = Path(__file__).parent / "data" / "classifier"


def unlabeled(call: Call) -> Call:
    return call.with_passages(Passage(index=p.index, text=p.text, speaker=p.speaker, role=p.role) for p in call.passages)


def test_annotate_gives_every_passage_a_label_probability_alternatives_and_reasons(small_model, small_corpus):
    call = unlabeled(small_corpus[0])
    [out] = annotate([call], small_model)
    assert len(out.passages) == len(call.passages)
    behaviors = set(small_model.labels("behavior"))
    for p in out.passages:
        b = p.predictions["behavior"]
        assert p.behavior == b.label and b.label in behaviors
        assert 0.0 < b.probability <= 1.0
        assert len(b.alternatives) == 2 and all(prob <= b.probability + 1e-9 for _, prob in b.alternatives)
        assert p.stage == p.predictions["stage"].label
        assert b.model_id == small_model.id
    # reasons are readable words and signals, never raw column numbers
    reasons = [r for p in out.passages for r in p.predictions["behavior"].explanation]
    assert reasons and not any(r.isdigit() for r in reasons)
    assert any(r.startswith(("word ", "signal", "seller says", "buyer says", "speaker role")) for r in reasons)


def test_annotate_keeps_labels_already_in_the_file_unless_asked(small_model, small_corpus):
    call = small_corpus[0]
    first = call.passages[0]
    [kept] = annotate([call], small_model)
    assert kept.passages[0].behavior == first.behavior
    relabeled = call.with_passages([call.passages[0].__class__(index=0, text=first.text, speaker=first.speaker,
                                                               role=first.role, behavior="other")] + list(call.passages[1:]))
    [out] = annotate([relabeled], small_model, keep_labels=False)
    assert out.passages[0].behavior == out.passages[0].predictions["behavior"].label


def test_a_corpus_with_its_own_taxonomy_trains_a_model_with_those_labels_only():
    calls = read_corpus(DATA / "custom_taxonomy.jsonl")
    model = train(calls, cv_folds=0)
    assert model.tasks == ("behavior",)  # no stage labels in this corpus: no stage task
    assert set(model.labels("behavior")) == {"hello", "probe", "answer", "pitch", "ask"}
    [out] = annotate([unlabeled(calls[0])], model)
    assert {p.behavior for p in out.passages} <= {"hello", "probe", "answer", "pitch", "ask"}
    assert all("stage" not in p.predictions for p in out.passages)


def test_training_twice_on_the_same_corpus_gives_the_same_model(tmp_path, small_corpus):
    a = save_model(train(small_corpus[:6], cv_folds=0), tmp_path / "a")
    b = save_model(train(small_corpus[:6], cv_folds=0), tmp_path / "b")
    assert sha256_file(a / "model.joblib") == sha256_file(b / "model.joblib")
    assert json.loads((a / "meta.json").read_text())["id"] == json.loads((b / "meta.json").read_text())["id"]


def test_a_saved_model_predicts_the_same_after_loading(small_model, small_corpus):
    again = load_model(small_model.path)
    call = unlabeled(small_corpus[1])
    [x] = annotate([call], small_model)
    [y] = annotate([call], again)
    assert [p.behavior for p in x.passages] == [p.behavior for p in y.passages]
    assert [p.stage for p in x.passages] == [p.stage for p in y.passages]


def test_stage_decoding_follows_learned_transitions():
    """Emissions alone would flip back and forth; the transitions learned from a corpus
    where stages run in order keep the decoded sequence in order."""
    clf = CallClassifier(prior_weight=0.0)
    tm = TaskModel(labels=("a", "b"), first=None, second=None, sequence=True)  # type: ignore[arg-type]
    tm.log_start = np.log([0.9, 0.1])
    tm.log_trans = np.log([[0.8, 0.2], [0.01, 0.99]])  # once in b, stay in b
    tm.log_prior = np.log([0.5, 0.5])
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.55, 0.45], [0.2, 0.8]])
    post, path = clf._decode(tm, P)
    assert [tm.labels[i] for i in path] == ["a", "b", "b", "b"]  # independent argmax would say a, b, a, b
    assert np.allclose(post.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", ["model.joblib", "model.npz"])
def test_a_tampered_model_file_is_refused_before_it_is_read(tmp_path, small_model, name):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / name).write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        load_model(folder)
    assert name in str(err.value) and "SHA-256" in str(err.value) and err.value.hint


def test_a_model_folder_missing_a_listed_file_is_refused(tmp_path, small_model):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    (folder / "model.npz").unlink()
    with pytest.raises(ModelError) as err:
        load_model(folder)
    assert "model.npz is missing" in str(err.value)


def test_the_loaded_arrays_predict_what_the_fitted_estimator_predicts(small_model, small_corpus):
    """model.npz is what annotate uses; it must be the estimator, not an approximation."""
    import joblib

    from callreview.predict import CompiledClassifier

    assert isinstance(small_model.classifier, CompiledClassifier)
    estimator = joblib.load(small_model.path / "model.joblib")
    calls = [unlabeled(c) for c in small_corpus[:4]]
    a = estimator.predict_calls(calls, explain=5)
    b = small_model.classifier.predict_calls(calls, explain=5)
    for ca, cb in zip(a, b):
        assert ca.keys() == cb.keys()
        for task in ca:
            for ra, rb in zip(ca[task], cb[task]):
                assert ra["label"] == rb["label"] and ra["explanation"] == rb["explanation"]
                assert ra["probability"] == pytest.approx(rb["probability"], abs=1e-5)
                assert [x for x, _ in ra["alternatives"]] == [x for x, _ in rb["alternatives"]]


def test_loading_a_model_and_annotating_never_imports_scikit_learn(small_model, tmp_path):
    """A cold `callreview annotate` spends most of its time importing; scikit-learn is
    only for training."""
    script = (
        "import sys\n"
        "from callreview.artifacts import load_model\n"
        "from callreview.classify import annotate\n"
        "from callreview.records import Call, Passage\n"
        f"m = load_model({str(small_model.path)!r})\n"
        "c = Call('x', (Passage(0, 'Hi, how is your week going?', speaker='A', role='seller'),\n"
        "               Passage(1, 'Busy, our invoices are late again.', speaker='B', role='buyer')))\n"
        "[out] = annotate([c], m)\n"
        "assert out.passages[1].behavior, out\n"
        "print(sorted(k for k in sys.modules if k == 'sklearn' or k.startswith('sklearn.')))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_an_array_file_that_would_unpickle_is_refused_even_with_a_matching_manifest(tmp_path, small_model):
    """model.npz is read with allow_pickle=False: an object array (a pickle inside the npz)
    is an error, even when whoever planted it also rewrote the manifest."""
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    with np.load(folder / "model.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["feature_names"] = np.array([print, "x"], dtype=object)
    with open(folder / "model.npz", "wb") as fh:
        np.savez(fh, **arrays)
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["model.npz"] = sha256_file(folder / "model.npz")
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        load_model(folder)
    assert "cannot be loaded" in str(err.value) and err.value.hint


def test_a_model_the_array_form_cannot_hold_is_kept_as_the_fitted_estimator(tmp_path, small_corpus):
    """Character n-grams have no numpy predictor: such a folder has no model.npz and loads
    the checked pickle instead, with the same predictions."""
    clf = CallClassifier(char_ngrams=True, inner_folds=2).fit(small_corpus[:6])
    from callreview.artifacts import Model

    folder = save_model(Model(id="m-chars", classifier=clf, meta={}), tmp_path / "chars")
    assert not (folder / "model.npz").exists()
    assert set(json.loads((folder / "meta.json").read_text())["files"]) == {"model.joblib"}
    loaded = load_model(folder)
    assert isinstance(loaded.classifier, CallClassifier)
    calls = [unlabeled(c) for c in small_corpus[6:8]]
    assert [r["label"] for c in loaded.classifier.predict_calls(calls) for r in c["behavior"]] == \
        [r["label"] for c in clf.predict_calls(calls) for r in c["behavior"]]


def test_a_model_from_another_scikit_learn_version_is_refused_with_the_fix(tmp_path, small_model):
    folder = tmp_path / "old"
    shutil.copytree(small_model.path, folder)
    meta = json.loads((small_model.path / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "0.24.2"
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        load_model(folder)
    assert "0.24.2" in str(err.value)
    assert "callreview train" in err.value.hint


def test_a_folder_without_meta_is_not_a_model(tmp_path):
    (tmp_path / "model.joblib").write_bytes(b"not a pickle")
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    assert "meta.json" in str(err.value)


def test_stage_decoding_matches_brute_force_over_every_sequence():
    """Posteriors and the best path equal what enumerating all label sequences gives."""
    import itertools

    rng = np.random.default_rng(0)
    T = rng.random((3, 3))
    T /= T.sum(axis=1, keepdims=True)
    s0 = rng.random(3)
    s0 /= s0.sum()
    P = rng.random((5, 3))
    P /= P.sum(axis=1, keepdims=True)
    tm = TaskModel(labels=("a", "b", "c"), first=None, second=None, sequence=True)  # type: ignore[arg-type]
    tm.log_start, tm.log_trans, tm.log_prior = np.log(s0), np.log(T), np.log(np.full(3, 1 / 3))
    post, path = CallClassifier(prior_weight=0.0)._decode(tm, P)
    brute = np.zeros((5, 3))
    best = (-1.0, None)
    for seq in itertools.product(range(3), repeat=5):
        w = s0[seq[0]] * P[0, seq[0]]
        for i in range(1, 5):
            w *= T[seq[i - 1], seq[i]] * P[i, seq[i]]
        for i, x in enumerate(seq):
            brute[i, x] += w
        best = max(best, (w, seq), key=lambda b: b[0])
    brute /= brute.sum(axis=1, keepdims=True)
    assert np.allclose(post, brute)
    assert tuple(path) == best[1]


def test_calibration_changes_confidences_never_labels(small_corpus):
    """The calibration temperature is a power of the posteriors: same labels, same order
    of alternatives; only how sure the model says it is moves."""
    train_calls, test_calls = small_corpus[:8], [unlabeled(c) for c in small_corpus[8:10]]
    plain = CallClassifier(calibrate=False, inner_folds=2).fit(train_calls)
    calibrated = CallClassifier(calibrate=True, inner_folds=2).fit(train_calls)
    temps = {t: calibrated.models_[t].temperature for t in calibrated.tasks_}
    assert all(T is not None and T > 0 for T in temps.values())
    a, b = plain.predict_calls(test_calls, explain=0), calibrated.predict_calls(test_calls, explain=0)
    moved = 0
    for ca, cb in zip(a, b):
        for task in ca:
            for ra, rb in zip(ca[task], cb[task]):
                assert ra["label"] == rb["label"]
                assert [x for x, _ in ra["alternatives"]] == [x for x, _ in rb["alternatives"]]
                if task == "behavior":  # (a decoded stage path may pass over the marginal argmax)
                    assert all(rb["probability"] >= p for _, p in rb["alternatives"])
                moved += abs(ra["probability"] - rb["probability"]) > 1e-6
    assert moved or all(T == 1.0 for T in temps.values())


def test_annotate_keeps_every_field_but_labels_and_predictions(small_model):
    from dataclasses import fields

    p = Passage(index=0, text="What does a late invoice cost you?", speaker="Ann", role="seller", start=1.5,
                end=4.0, extra={"turn": "3"})
    [out] = annotate([Call("c", (p,))], small_model)
    q = out.passages[0]
    for f in fields(Passage):
        if f.name not in ("behavior", "stage", "predictions"):
            assert getattr(q, f.name) == getattr(p, f.name), f.name
