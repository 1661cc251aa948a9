"""Batches (:mod:`callreview.batch`): folders, globs and -r; files that are not transcripts
skipped with a warning naming them; a stream in the order read; the same output serially,
across processes (--jobs) and on a Dask cluster (--scheduler); predictions unchanged by the
speed work (tests/data/batch/expected_predictions.jsonl, written by the code before it)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview import batch
from callreview.cli import cli
from callreview.corpora import read_corpus, write_corpus
from callreview.errors import InputError
from callreview.formats import load_calls
from callreview.store import Store

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_docx", ROOT / "tests" / "data" / "formats" / "build_docx.py")
build_docx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_docx)  # type: ignore[union-attr]
SAMPLES = ROOT / "corpora" / "samples"
EXPECTED = Path(__file__).parent / "data" / "batch" / "expected_predictions.jsonl"
TRANSCRIPTS = sorted(p for p in SAMPLES.iterdir() if p.name != "README.md")


def run(*args) -> "CliRunner.invoke":
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def folder(tmp_path) -> Path:
    """The sample exports (every format in corpora/samples), a Word transcript in a
    subfolder, and two files that are not transcripts."""
    d = tmp_path / "exports"
    d.mkdir()
    for p in TRANSCRIPTS:
        shutil.copy(p, d / p.name)
    (d / "sub").mkdir()
    build_docx.current_layout(d / "sub" / "teams.docx")
    (d / "README.md").write_text("# Exports\n\nWhat is in this folder.\n", encoding="utf-8")
    (d / "sub" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (d / ".hidden.vtt").write_text("not read", encoding="utf-8")
    return d


def test_a_folder_gives_its_files_sorted_and_subfolders_only_with_recursive(folder):
    flat = [i.path.name for i in batch.expand_inputs([folder])]
    assert flat == sorted([p.name for p in TRANSCRIPTS] + ["README.md"])
    deep = [i.path.relative_to(folder).as_posix() for i in batch.expand_inputs([folder], recursive=True)]
    assert deep[-2:] == ["sub/photo.png", "sub/teams.docx"] and ".hidden.vtt" not in deep
    assert not any(i.named for i in batch.expand_inputs([folder]))


def test_globs_expand_and_a_pattern_matching_nothing_is_an_error(folder):
    got = [i.path.name for i in batch.expand_inputs([str(folder / "*.vtt")])]
    assert got == ["harbor-demo.zoom.vtt", "northwind-discovery.teams.vtt"]
    assert [i.path.name for i in batch.expand_inputs([str(folder / "**" / "*.docx")], recursive=True)] == ["teams.docx"]
    with pytest.raises(InputError, match="no file matches"):
        batch.expand_inputs([str(folder / "*.nothing")])


def test_files_that_are_not_transcripts_are_skipped_with_their_names_and_counted(folder):
    warnings: list[str] = []
    stats = batch.BatchStats()
    calls = list(batch.read_calls(batch.expand_inputs([folder], recursive=True), warn=warnings.append, stats=stats))
    assert len(calls) == len(TRANSCRIPTS) + 1
    assert sorted(Path(s).name for s in stats.skipped) == ["README.md", "photo.png"]
    assert any("README.md" in w and w.startswith("skipped") for w in warnings)
    assert any("photo.png" in w for w in warnings)
    assert stats.summary() == "skipped 2 files that could not be read as a transcript"


def test_a_file_named_by_the_user_that_cannot_be_read_still_stops_the_batch(folder):
    with pytest.raises(InputError):
        list(batch.read_calls(batch.expand_inputs([folder / "README.md"])))


def test_reviews_add_imports_a_folder_with_the_passage_counts_of_each_file(folder, tmp_path, small_model):
    store = tmp_path / "reviews.sqlite3"
    res = CliRunner().invoke(cli, ["reviews", "add", str(folder), "-r", "--store", str(store),
                                   "--model", str(small_model.path)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    # what one `reviews add FILE` per file stores
    from callreview.classify import annotate

    expected = {}
    for p in [*TRANSCRIPTS, folder / "sub" / "teams.docx"]:
        for c in annotate(load_calls(p), small_model):
            expected[c.call_id] = len(c.passages)
    with Store.open(store) as st:
        got = {c.call_id: c.n_passages for c in st.list_calls()}
    assert got == expected and len(got) == 7
    assert "skipped" in res.stderr and "README.md" in res.stderr and "photo.png" in res.stderr
    assert "skipped 2 files" in res.stderr


def test_progress_goes_to_stderr_on_a_terminal_and_not_with_quiet(folder, tmp_path, small_model, monkeypatch):
    from callreview.cli import _util

    monkeypatch.setattr(_util, "stderr_is_terminal", lambda: True)
    args = ["annotate", str(folder), "--json", "--model", str(small_model.path)]
    shown = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert shown.exit_code == 0
    assert "calls/s" in shown.stderr and f"{len(TRANSCRIPTS)}/{len(TRANSCRIPTS)}" in shown.stderr
    assert len(shown.stdout.splitlines()) == len(TRANSCRIPTS)  # stdout holds the data only
    quiet = CliRunner().invoke(cli, [*args, "--quiet"], catch_exceptions=False)
    assert "calls/s" not in quiet.stderr and quiet.stdout == shown.stdout


def test_the_stream_is_labeled_as_it_is_read_not_after_reading_everything(small_model):
    calls = read_corpus(ROOT / "corpora" / "default" / "calls-1001-1018.jsonl")
    taken = []

    def source():
        for c in calls:
            taken.append(c.call_id)
            yield c

    out = batch.annotate_stream(source(), small_model, max_calls=2)
    first = next(out)
    assert first.call_id == calls[0].call_id and len(taken) <= 3
    rest = list(out)
    assert [c.call_id for c in [first, *rest]] == [c.call_id for c in calls]


def _corpus_folder(tmp_path: Path) -> Path:
    """Transcripts and a corpus file of 18 unlabeled calls: many chunks of a few calls."""
    d = tmp_path / "many"
    d.mkdir()
    for p in TRANSCRIPTS:
        shutil.copy(p, d / p.name)
    calls = [c.with_passages(p.relabeled(None, None, {}) for p in c.passages)
             for c in read_corpus(ROOT / "corpora" / "default" / "calls-1001-1018.jsonl")]
    with open(d / "team.jsonl", "w", encoding="utf-8") as f:
        write_corpus(calls, f)
    return d


def test_jobs_2_gives_the_serial_output_in_the_same_order(tmp_path, small_model, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_CALLS", 3)
    d = _corpus_folder(tmp_path)
    args = ["annotate", str(d), "--json", "-q", "--model", str(small_model.path)]
    serial = run(*args)
    parallel = run(*args, "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 0
    assert len(serial.stdout.splitlines()) == len(TRANSCRIPTS) + 18
    assert parallel.stdout == serial.stdout


def test_a_dask_cluster_gives_the_serial_output_in_the_same_order(tmp_path, small_model, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(batch, "CHUNK_CALLS", 3)
    d = _corpus_folder(tmp_path)
    args = ["annotate", str(d), "--json", "-q", "--model", str(small_model.path)]
    serial = run(*args)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        on_cluster = run(*args, "--scheduler", cluster.scheduler_address)
    assert on_cluster.exit_code == 0, on_cluster.output
    assert on_cluster.stdout == serial.stdout


def test_jobs_and_scheduler_together_are_refused(folder, small_model):
    res = run("annotate", folder, "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1", "--model", small_model.path)
    assert res.exit_code == 2 and "not both" in res.output


def test_metrics_of_a_folder_stream_one_document_with_every_call(folder, small_model):
    res = run("metrics", folder, "-r", "--json", "--model", small_model.path)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert len(data["calls"]) == len(TRANSCRIPTS) + 1 and data["annotated_by_model"] == len(TRANSCRIPTS) + 1


def _predictions(calls) -> list[dict]:
    return [{"call_id": c.call_id, "passages": [
        {"i": p.index, "text": p.text,
         **{t: [pr.label, pr.probability, [list(a) for a in pr.alternatives], list(pr.explanation)]
            for t, pr in p.predictions.items()}} for p in c.passages]} for c in calls]


def test_the_shipped_model_predicts_what_it_did_before_the_speed_work():
    """Labels, probabilities, alternatives and explanations of the shipped model on the
    samples and six corpus calls, compared with the file the code wrote before it was made
    faster (same model id)."""
    from callreview.artifacts import load_model, shipped_model_dir
    from callreview.classify import annotate

    folder = shipped_model_dir()
    if folder is None:
        pytest.skip("the shipped model is not installed")
    model = load_model(folder)
    expected = [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines()]
    if expected[0]["model"] != model.id:
        pytest.skip(f"the shipped model changed ({model.id}); regenerate {EXPECTED.name}")
    calls = [c for p in TRANSCRIPTS for c in load_calls(p)]
    calls += read_corpus(ROOT / "corpora" / "default" / "calls-1001-1018.jsonl")[:6]
    got = _predictions(annotate(calls, model, keep_labels=False))
    # Floating point may differ in the last bits between numpy builds; labels, ranking and
    # explanations may not.
    assert _rounded(got) == _rounded([{k: v for k, v in e.items() if k != "model"} for e in expected])


def _rounded(value):
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def test_review_of_a_folder_opens_the_transcripts_and_names_what_it_skips(folder, monkeypatch):
    import callreview.tui as tui

    opened = {}

    class App:
        def run(self):
            pass

    def make_app(files, **kw):
        opened["files"] = [Path(f).name for f in files]
        return App()

    monkeypatch.setattr(tui, "make_app", make_app)
    res = run("review", folder, "-r")
    assert res.exit_code == 0, res.output
    assert opened["files"] == sorted(p.name for p in TRANSCRIPTS) + ["teams.docx"]
    assert "README.md" in res.stderr and "photo.png" in res.stderr and "skipped 2 files" in res.stderr


def test_jobs_means_that_many_processes_and_minus_one_every_core(monkeypatch):
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 8)
    assert (batch.resolve_jobs(1), batch.resolve_jobs(3), batch.resolve_jobs(-1)) == (1, 3, 8)
    with pytest.raises(batch.UsageError):
        batch.resolve_jobs(0)
