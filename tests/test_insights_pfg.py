"""The PersuasionForGood mapping in benchmarks/pfg_report.py, on tiny made-up CSV files
with the real column layout (no text from the data set)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "pfg_report.py"


@pytest.fixture(scope="module")
def pfg():
    spec = importlib.util.spec_from_file_location("pfg_report", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write(tmp_path: Path, dialog_rows, info_rows) -> Path:
    with open(tmp_path / "annotated_300_dialog.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["", "B2", "B4", "Turn", "Unit", "er_label_1", "ee_label_1", "er_label_2", "ee_label_2",
                    "neg", "neu", "pos"])
        for i, (d, role, turn, text, er, ee) in enumerate(dialog_rows):
            w.writerow([i, d, role, turn, text, er, ee, "", "", 0, 1, 0])
    with open(tmp_path / "annotated_300_info.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["B2", "B3", "B4", "B5", "B6", "B7"])
        w.writerows(info_rows)
    return tmp_path


def test_pfg_dialogues_become_calls_with_donation_as_outcome(pfg, tmp_path):
    d = write(tmp_path, [
        ("d1", 0, 0, "Hi there.", "greeting", ""),
        ("d1", 0, 0, "Kids need help.", "emotion-appeal", ""),
        ("d1", 1, 0, "I'm not sure.", "", "disagree-donation"),
        ("d2", 0, 0, "Would you give a little?", "foot-in-the-door", ""),
        ("d2", 1, 0, "Sure, 50 cents.", "", "agree-donation"),
    ], [
        # the persuader's own row (B4 = 0) must not decide the outcome
        ("d1", "u1", 0, "", "1.0", 2), ("d1", "u2", 1, "0", "0", 2),
        ("d2", "u3", 0, "", "0", 2), ("d2", "u4", 1, "0.5", "0.5", 2),
    ])
    calls, tax = pfg.read_calls(d)
    by = {c.call_id: c for c in calls}
    assert by["d1"].outcome == "no_sale" and by["d2"].outcome == "order"
    assert [p.behavior for p in by["d1"].passages] == ["other", "emotion-appeal", "persuadee:disagree-donation"]
    assert [p.role for p in by["d1"].passages] == ["seller", "seller", "buyer"]
    assert tax.is_success("order") and not tax.is_success("no_sale")
    assert "persuadee:disagree-donation" in tax.labels("buyer_objection")


def test_pfg_script_refuses_a_folder_without_the_data(pfg, tmp_path, capsys):
    assert pfg.main([str(tmp_path)]) == 2
    assert "hint:" in capsys.readouterr().err
