"""A model folder someone hands a manager never runs code on their machine (issue 17).

The attack: ``model.joblib`` replaced by a pickle whose payload creates a marker file,
``meta.json`` rewritten to list only it (checksum included), ``model.npz`` dropped from the
list. Every command that loads a model must refuse it (exit 2, one ``error:`` line, a
``hint:`` with the fix, no traceback) and the marker must never appear. A pickle is loaded
only for a folder this machine trained or its user trusted (``models use DIR --trust``).

Each test gets its own user data folder (``CALLREVIEW_DATA``), so its trust record starts
empty: the folders copied from the session's small model are "from elsewhere" here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from callreview.errors import CallreviewError, ModelError

ROOT = Path(__file__).resolve().parent.parent
TUI = Path(__file__).parent / "data" / "tui"
VTT = TUI / "brightline-discovery.vtt"
TEAM = TUI / "team.jsonl"
SMALL_CORPUS = Path(__file__).parent / "data" / "classifier" / "custom_taxonomy.jsonl"


class _Payload:
    """Unpickling this runs ``exec``: it creates the marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def read_meta_json(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def make_malicious(src: Path, dest: Path, marker: Path) -> Path:
    """A copy of a real model folder with the attack applied."""
    import joblib

    shutil.copytree(src, dest)
    joblib.dump(_Payload(marker), dest / "model.joblib")
    meta = read_meta_json(dest)
    meta["files"] = {"model.joblib": sha(dest / "model.joblib")}  # model.npz dropped from the list
    write_meta(dest, meta)
    return dest


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict:
    """A fresh user data folder and store for this test, in and out of process."""
    data, store = tmp_path / "data", tmp_path / "reviews.sqlite3"
    monkeypatch.setenv("CALLREVIEW_DATA", str(data))
    monkeypatch.setenv("CALLREVIEW_STORE", str(store))
    monkeypatch.delenv("CALLREVIEW_MODEL", raising=False)
    return {"CALLREVIEW_DATA": str(data), "CALLREVIEW_STORE": str(store)}


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "PAYLOAD-RAN"


@pytest.fixture
def evil(tmp_path, small_model, marker) -> Path:
    return make_malicious(small_model.path, tmp_path / "handed-over", marker)


@pytest.fixture(scope="module")
def char_model(tmp_path_factory, small_corpus) -> tuple[Path, Path]:
    """A model with character n-grams (no array form: its folder is only the pickle),
    saved with its own user data folder, which therefore trusts it. (folder, data folder)"""
    from callreview.artifacts import Model, save_model
    from callreview.pipeline import CallClassifier

    base = tmp_path_factory.mktemp("chars")
    clf = CallClassifier(char_ngrams=True, inner_folds=2).fit(small_corpus[:4])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CALLREVIEW_DATA", str(base / "data"))
        folder = save_model(Model(id="m-chars", classifier=clf, meta={}), base / "chars")
    return folder, base / "data"


def run(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "CALLREVIEW_MODEL"}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "callreview", *args], capture_output=True, text=True,
                          cwd=ROOT, env=full, timeout=timeout)


def assert_refused(r: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit 2, exactly one error line (then its hint), no traceback."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("warning: ")]
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


# ----------------------------------------------------------------- the malicious folder


def commands(evil: Path, good: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "annotate": ["annotate", str(VTT), "--model", str(evil)],
        "reviews add": ["reviews", "add", str(VTT), "--model", str(evil)],
        "export": ["export", str(VTT), "--model", str(evil), "-o", str(tmp_path / "report.md")],
        "evaluate": ["evaluate", "--corpus", str(TEAM), "--model", str(evil), "--quiet"],
        "models diff A": ["models", "diff", str(evil), str(good)],
        "models diff B": ["models", "diff", str(good), str(evil)],
        "models use": ["models", "use", str(evil)],
        "metrics": ["metrics", str(VTT), "--model", str(evil)],
        "coach": ["coach", str(VTT), "--against", str(TEAM), "--model", str(evil)],
    }


@pytest.mark.parametrize("command", ["annotate", "reviews add", "export", "evaluate", "models diff A",
                                     "models diff B", "models use", "metrics", "coach"])
def test_every_command_refuses_the_malicious_model_and_never_runs_it(command, tmp_path, small_model, evil,
                                                                     marker, env):
    r = run(*commands(evil, small_model.path, tmp_path)[command], env=env)
    assert_refused(r, "model.joblib is a pickle", "--trust", str(evil))
    assert not marker.exists(), "the pickle's payload ran"
    assert not (Path(env["CALLREVIEW_DATA"]) / "current-model").exists()  # `models use` made nothing current
    assert not (tmp_path / "report.md").exists()


def test_the_malicious_model_named_by_callreview_model_is_refused(tmp_path, evil, marker, env):
    r = run("annotate", str(VTT), env={**env, "CALLREVIEW_MODEL": str(evil)})
    assert_refused(r, "model.joblib is a pickle", "--trust")
    assert not marker.exists()


def test_a_current_model_whose_folder_turns_malicious_is_refused_later(tmp_path, small_model, marker, env):
    """`models use` on a good folder, then its content swapped: every later load checks again."""
    folder = tmp_path / "data" / "models" / "shared"
    shutil.copytree(small_model.path, folder)
    assert run("models", "use", str(folder), env=env).returncode == 0
    shutil.rmtree(folder)
    make_malicious(small_model.path, folder, marker)
    assert_refused(run("annotate", str(VTT), env=env), "model.joblib is a pickle")
    assert not marker.exists()


def test_a_pickle_beside_listed_arrays_is_never_read(tmp_path, small_model, marker, env):
    """With model.npz still listed, prediction reads only the arrays: the command works."""
    import joblib

    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    joblib.dump(_Payload(marker), folder / "model.joblib")
    meta = read_meta_json(folder)
    meta["files"]["model.joblib"] = sha(folder / "model.joblib")
    write_meta(folder, meta)
    r = run("annotate", str(VTT), "--model", str(folder), "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[0])["passages"][0]["predictions"]
    assert not marker.exists()


@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["--model", "CALLREVIEW_MODEL"])
async def test_the_review_app_refuses_the_malicious_model_and_keeps_running(tmp_path, evil, marker, env,
                                                                            monkeypatch, how):
    from tui_helpers import SIZE, call_loaded, make_test_app, screen_name, wait_for

    from callreview.artifacts import load_model

    with pytest.raises(CallreviewError) as expected:
        load_model(evil)
    assert not marker.exists()
    if how == "CALLREVIEW_MODEL":
        monkeypatch.setenv("CALLREVIEW_MODEL", str(evil))
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], model_dir=evil if how == "--model" else None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        text = app.screen.text
        assert text == expected.value.render()
        assert text.startswith("error: ") and len(text.splitlines()) == 2 and "\nhint: " in text
        assert "--trust" in text and "Traceback" not in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: call_loaded(app), "the call, without a model")
        assert app.model_state == "failed" and app.is_running
    assert not marker.exists()


# ------------------------------------------------------------------------- trust


def test_a_model_trained_here_loads_and_is_in_the_trust_record(tmp_path, env):
    out = tmp_path / "trained"
    r = run("train", "--corpus", str(SMALL_CORPUS), "--out", str(out), "--folds", "0", "--quiet", env=env)
    assert r.returncode == 0, r.stderr
    record = json.loads((Path(env["CALLREVIEW_DATA"]) / "trusted-models.json").read_text(encoding="utf-8"))
    (entry,) = record["models"].values()
    assert entry["how"] == "trained here" and entry["path"] == str(out.resolve())
    r = run("annotate", str(VTT), "--model", str(out), "--json", env=env)
    assert r.returncode == 0, r.stderr
    # a model with arrays needs no trust: on another machine (an empty data folder) it loads too
    r = run("annotate", str(VTT), "--model", str(out), "--json", env={**env, "CALLREVIEW_DATA": str(tmp_path / "b")})
    assert r.returncode == 0, r.stderr


def test_the_shipped_model_loads_with_an_empty_trust_record(env):
    from callreview.artifacts import is_trusted, load_model, read_meta

    assert not is_trusted(read_meta(ROOT / "models" / "default"))
    assert load_model(ROOT / "models" / "default").tasks


def test_a_pickle_only_model_loads_only_where_it_was_trained_or_trusted(tmp_path, char_model, env, monkeypatch):
    """Character n-grams have no array form: their folder is a pickle and needs trust."""
    from callreview.artifacts import load_model
    from callreview.pipeline import CallClassifier

    folder, trained_in = char_model
    assert set(read_meta_json(folder)["files"]) == {"model.joblib"}
    monkeypatch.setenv("CALLREVIEW_DATA", str(trained_in))
    assert isinstance(load_model(folder).classifier, CallClassifier)  # trained here: trusted

    other = {**env, "CALLREVIEW_DATA": str(tmp_path / "other-machine")}
    assert_refused(run("annotate", str(VTT), "--model", str(folder), env=other), "model.joblib is a pickle",
                   f"callreview models use {folder.resolve()} --trust")
    r = run("models", "use", str(folder), "--trust", env=other)
    assert r.returncode == 0, r.stderr
    assert "trusted" in r.stdout
    r = run("annotate", str(VTT), "--json", env=other)  # now the current model, and trusted
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[0])["passages"][0]["predictions"]

    # trust follows the content, not the path: a copy is trusted, a changed pickle is not
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    assert run("annotate", str(VTT), "--model", str(copy), env=other).returncode == 0
    import joblib

    joblib.dump(joblib.load(folder / "model.joblib"), copy / "model.joblib", compress=9)
    meta = read_meta_json(copy)
    meta["files"]["model.joblib"] = sha(copy / "model.joblib")
    write_meta(copy, meta)
    assert_refused(run("annotate", str(VTT), "--model", str(copy), env=other), "model.joblib is a pickle")


def test_models_use_trust_still_checks_the_folder_first(tmp_path, small_model, env):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    with open(folder / "model.joblib", "ab") as fh:
        fh.write(b"\0")
    assert_refused(run("models", "use", str(folder), "--trust", env=env), "SHA-256")
    assert not (Path(env["CALLREVIEW_DATA"]) / "trusted-models.json").exists()


def test_a_damaged_trust_record_trusts_nothing(tmp_path, char_model, env, monkeypatch):
    from callreview.artifacts import load_model

    folder, trained_in = char_model
    folder = shutil.copytree(folder, tmp_path / "chars")  # same content, so trusted by the record below
    data = tmp_path / "damaged"
    shutil.copytree(trained_in, data)
    monkeypatch.setenv("CALLREVIEW_DATA", str(data))
    assert load_model(folder).id == "m-chars"
    (data / "trusted-models.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_model(shutil.copytree(folder, tmp_path / "again"))  # another path: not the in-process cache
    assert "--trust" in err.value.hint


# ----------------------------------------------------------------- meta.json, files, arrays


@pytest.mark.parametrize("case, change, needle", [
    ("format_version as a string", lambda m: m.update(format_version="1"), "format_version"),
    ("versions as a list", lambda m: m.update(versions=["scikit-learn", "1.5"]), "versions"),
    ("an empty file name", lambda m: m["files"].update({"": m["files"]["model.npz"]}), "''"),
    ("a path as file name", lambda m: m["files"].update({"../meta.json": m["files"]["model.npz"]}), "../meta.json"),
    ("a checksum that is not one", lambda m: m["files"].update({"model.npz": 42}), "SHA-256"),
    ("tasks as a string", lambda m: m.update(tasks="behavior"), "tasks"),
    ("metrics as a list", lambda m: m.update(metrics=[0.5]), "metrics"),
    ("labels other than the arrays'", lambda m: m["tasks"]["behavior"].pop(), "labels"),
])
def test_a_malformed_meta_json_is_one_error_line(tmp_path, small_model, env, case, change, needle):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    meta = read_meta_json(folder)
    change(meta)
    write_meta(folder, meta)
    assert_refused(run("annotate", str(VTT), "--model", str(folder), env=env), needle)


def test_models_list_skips_a_malformed_meta_json(tmp_path, small_model, env):
    folder = Path(env["CALLREVIEW_DATA"]) / "models" / "bad"
    shutil.copytree(small_model.path, folder)
    meta = read_meta_json(folder)
    meta["corpus"] = {"calls": {"many": True}}
    write_meta(folder, meta)
    r = run("models", "list", env=env)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert str(folder) not in r.stdout


@pytest.mark.parametrize("name", ["model.npz", "meta.json"])
def test_a_file_linked_to_dev_zero_is_refused_without_reading_it(tmp_path, small_model, env, name):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    (folder / name).unlink()
    (folder / name).symlink_to("/dev/zero")
    r = run("annotate", str(VTT), "--model", str(folder), env=env, timeout=60)  # a hang fails here
    assert_refused(r, name, "outside the model folder")


def test_a_file_linked_out_of_the_folder_is_refused_even_with_the_right_checksum(tmp_path, small_model, env):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    outside = tmp_path / "elsewhere.npz"
    (folder / "model.npz").rename(outside)
    (folder / "model.npz").symlink_to(outside)
    assert_refused(run("annotate", str(VTT), "--model", str(folder), env=env), "outside the model folder")


def test_a_link_inside_the_folder_is_read(tmp_path, small_model, env):
    from callreview.artifacts import load_model

    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    (folder / "arrays").mkdir()
    (folder / "model.npz").rename(folder / "arrays" / "v1.npz")
    (folder / "model.npz").symlink_to(Path("arrays") / "v1.npz")
    assert load_model(folder).tasks == small_model.tasks


def test_a_fifo_is_refused_without_opening_it(tmp_path, small_model, env):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    (folder / "model.npz").unlink()
    os.mkfifo(folder / "model.npz")
    r = run("annotate", str(VTT), "--model", str(folder), env=env, timeout=60)
    assert_refused(r, "not a regular file")


def _rewrite_arrays(folder: Path, change) -> None:
    """Change model.npz and write its new checksum into meta.json, as an attacker (or a
    careless script) would."""
    with np.load(folder / "model.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    with open(folder / "model.npz", "wb") as fh:
        np.savez(fh, **arrays)
    meta = read_meta_json(folder)
    meta["files"]["model.npz"] = sha(folder / "model.npz")
    write_meta(folder, meta)


def _truncate(key: str, n: int = 1):
    def change(a):
        a[key] = a[key][:n]
    return change


@pytest.mark.parametrize("case, change, needle", [
    # a one-element bias broadcasts over every label: labels silently wrong before the checks
    ("the label bias cut to one", _truncate("behavior.log_bias"), "behavior.log_bias"),
    ("the stage prior cut to one", _truncate("stage.log_prior"), "stage.log_prior"),
    ("the stage start cut to one", _truncate("stage.log_start"), "stage.log_start"),
    ("a weight row dropped", _truncate("behavior.second.coef", -1), "behavior.second.coef"),
    ("idf cut short", _truncate("part0_idf", -5), "part0_idf"),
    ("the context flags cut short", _truncate("is_context", -3), "is_context"),
    ("a lookup pointing outside the vocabulary",
     lambda a: a.__setitem__("part0_uni", np.full_like(a["part0_uni"], -7)), "part0_uni"),
])
def test_a_truncated_array_with_a_rewritten_checksum_is_refused(tmp_path, small_model, env, case, change, needle):
    folder = tmp_path / "m"
    shutil.copytree(small_model.path, folder)
    _rewrite_arrays(folder, change)
    assert_refused(run("annotate", str(VTT), "--model", str(folder), env=env), "model.npz does not hold", needle)
