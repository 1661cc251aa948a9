"""train / evaluate / annotate / models through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from callreview.artifacts import read_meta
from callreview.corpora import read_corpus
from callreview.evaluate import corpus_fingerprint

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "classifier"


def run(*args: str, env_extra: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "callreview", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=600)


def assert_clean_error(r: subprocess.CompletedProcess, *needles: str) -> None:
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in r.stderr


def test_shipped_model_was_trained_on_the_shipped_corpus():
    """Fails when corpora/default changes and models/default was not retrained."""
    meta = read_meta(ROOT / "models" / "default")
    calls = read_corpus(ROOT / "corpora" / "default")
    assert meta["corpus"]["fingerprint"] == corpus_fingerprint(calls), (
        "corpora/default changed: retrain with `callreview train --corpus corpora/default --out models/default`")
    assert set(meta["tasks"]) == {"behavior", "stage"}


def test_annotate_json_writes_corpus_lines_with_predictions(tmp_path, small_model):
    src = tmp_path / "call.txt"
    src.write_text("Dana Ortiz: Hi Sam, thanks for making time today.\n"
                   "Sam Lee: Sure, happy to.\n"
                   "Dana Ortiz: How many technicians do you dispatch each morning?\n"
                   "Sam Lee: About forty, and the scheduling is a mess honestly.\n"
                   "Dana Ortiz: Could we book thirty minutes with your ops lead next Tuesday?\n"
                   "Sam Lee: Yes, Tuesday works.\n", encoding="utf-8")
    r = run("annotate", str(src), "--json", "--model", str(small_model.path), "--seller", "Dana Ortiz")
    assert r.returncode == 0, r.stderr
    [line] = r.stdout.splitlines()
    data = json.loads(line)
    assert len(data["passages"]) == 6
    for p in data["passages"]:
        assert p["behavior"] == p["predictions"]["behavior"]["label"]
        assert p["stage"] == p["predictions"]["stage"]["label"]
        assert len(p["predictions"]["behavior"]["alternatives"]) == 2
    # what annotate writes is corpus v1: it reads back
    out = tmp_path / "out.jsonl"
    out.write_text(r.stdout, encoding="utf-8")
    assert [p.behavior for p in read_corpus(out)[0].passages] == [p["behavior"] for p in data["passages"]]


def test_annotate_table_explains_labels(tmp_path, small_model):
    src = tmp_path / "call.txt"
    src.write_text("Ann: Morning Bo, thanks for the time.\nBo: Morning.\n"
                   "Ann: What does a late shipment cost you with your biggest customer?\nBo: A lot, honestly.\n",
                   encoding="utf-8")
    r = run("annotate", str(src), "--explain", "--model", str(small_model.path))
    assert r.returncode == 0, r.stderr
    assert "behavior: because" in r.stdout and "stage: because" in r.stdout


def test_evaluate_json_has_the_promised_shape(tmp_path):
    r = run("evaluate", "--corpus", str(DATA / "custom_taxonomy.jsonl"), "--folds", "2", "--json", "--quiet")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    b = rep["behavior"]
    assert 0 <= b["macro_f1"] <= 1 and 0 <= b["accuracy"] <= 1
    assert set(b["per_label"]) >= {"hello", "probe", "pitch", "ask", "answer"}
    assert {"precision", "recall", "f1", "support"} <= set(b["per_label"]["pitch"])
    assert "baseline" in b and "confusion" in b
    assert "stage" not in rep


def test_train_writes_a_model_folder_and_prints_cv_scores(tmp_path):
    out = tmp_path / "m"
    r = run("train", "--corpus", str(DATA / "custom_taxonomy.jsonl"), "--out", str(out), "--folds", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "behavior  cross-validated macro-F1" in r.stdout
    meta = read_meta(out)
    assert meta["tasks"] == {"behavior": ["answer", "ask", "hello", "pitch", "probe"]}
    assert meta["metrics"]["behavior"]["macro_f1"] >= 0


def test_a_corpus_line_with_a_wrong_field_type_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = (DATA / "custom_taxonomy.jsonl").read_text(encoding="utf-8").splitlines()
    broken = json.loads(good[1])
    broken["passages"][2]["start"] = "ten seconds"
    bad.write_text(good[0] + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    for cmd in (["train", "--corpus", str(bad), "--out", str(tmp_path / "m")], ["evaluate", "--corpus", str(bad)]):
        r = run(*cmd)
        assert_clean_error(r, f"{bad}:2:", "start")


def test_a_tampered_model_gives_error_and_exit_2(tmp_path, small_model):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    with open(folder / "model.joblib", "ab") as fh:
        fh.write(b"\0")
    src = tmp_path / "c.txt"
    src.write_text("Ann: hello there\nBo: hi\nAnn: how are you?\nBo: fine\n", encoding="utf-8")
    assert_clean_error(run("annotate", str(src), "--model", str(folder)), "SHA-256", "hint:")


def test_models_use_makes_a_model_current_and_list_marks_it(tmp_path, small_model):
    env = {"CALLREVIEW_DATA": str(tmp_path / "data")}
    target = tmp_path / "data" / "models" / small_model.id
    shutil.copytree(small_model.path, target)
    r = run("models", "use", small_model.id, env_extra=env)
    assert r.returncode == 0, r.stderr
    r = run("models", "list", "--json", env_extra=env)
    infos = json.loads(r.stdout)
    current = [m for m in infos if m["current"]]
    assert [m["id"] for m in current] == [small_model.id]


def test_models_use_refuses_an_unknown_id(tmp_path):
    r = run("models", "use", "no-such-model", env_extra={"CALLREVIEW_DATA": str(tmp_path)})
    assert_clean_error(r, "no-such-model")
