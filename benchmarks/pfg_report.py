"""Real-data check of the outcome report on PersuasionForGood (Wang et al., ACL 2019).

usage: python benchmarks/pfg_report.py [DATA_DIR] [--min-calls N] [--seed S] [--json]

DATA_DIR defaults to ../shared/external/persuasionforgood relative to the repository (see
its SOURCE.md: origin, license Apache-2.0, fields). The data is read from there at run
time and never copied into the repository.

Mapping onto callreview's terms:
* a dialogue is a call; each annotated sentence (``Unit``) is a passage, in file order;
* persuader sentences (``B4`` = 0) are seller passages; their behavior is ``er_label_1``
  when it is one of the paper's 10 persuasion strategies, else "other";
* persuadee sentences (``B4`` = 1) are buyer passages labeled with their own
  ``ee_label_1``, prefixed "persuadee:" so they never collide with the persuader's labels;
* the outcome is the persuadee's actual donation after the task (``B6`` of the persuadee's
  row, ``B4`` = 1, in annotated_300_info.csv): above 0 is "order" (success), 0 is "no_sale".
  A few donations exceed the $2 task maximum; only "above zero" matters here.

Rates are per 100 passages of the dialogue (both sides), as in ``callreview report``.
The taxonomy is built here from the data (any taxonomy works; nothing in callreview knows
these labels).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import OrderedDict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from callreview.cli.insights import render_report  # noqa: E402
from callreview.insights import compare_outcomes  # noqa: E402
from callreview.records import Call, Passage  # noqa: E402
from callreview.taxonomy import Taxonomy  # noqa: E402

STRATEGIES = (
    "logical-appeal", "emotion-appeal", "credibility-appeal", "foot-in-the-door", "self-modeling",
    "personal-story", "donation-information", "source-related-inquiry", "task-related-inquiry",
    "personal-related-inquiry",
)
EE = "persuadee:"


def default_dir() -> Path:
    return REPO.parent / "shared" / "external" / "persuasionforgood"


def read_outcomes(path: Path) -> dict[str, float]:
    """Dialogue id -> the persuadee's actual donation (B6 of the B4 = 1 row)."""
    out: dict[str, float] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["B4"].strip() == "1" and row["B6"].strip():
                out[row["B2"]] = float(row["B6"])
    return out


def read_calls(data_dir: Path) -> tuple[list[Call], Taxonomy]:
    donations = read_outcomes(data_dir / "annotated_300_info.csv")
    dialogs: OrderedDict[str, list[Passage]] = OrderedDict()
    ee_labels: set[str] = set()
    with open(data_dir / "annotated_300_dialog.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = (row["Unit"] or "").strip()
            if not text:
                continue
            ps = dialogs.setdefault(row["B2"], [])
            if row["B4"].strip() == "0":
                lab = (row["er_label_1"] or "").strip()
                behavior = (lab if lab in STRATEGIES else "other") if lab else None
                role = "seller"
            else:
                lab = (row["ee_label_1"] or "").strip()
                behavior = f"{EE}{lab}" if lab else None
                if behavior:
                    ee_labels.add(behavior)
                role = "buyer"
            ps.append(Passage(len(ps), text, speaker="persuader" if role == "seller" else "persuadee",
                              role=role, behavior=behavior, extra={"turn": row["Turn"]}))
    calls = []
    for did, ps in dialogs.items():
        d = donations.get(did)
        outcome = None if d is None else ("order" if d > 0 else "no_sale")
        calls.append(Call(did, tuple(ps), outcome=outcome, source="persuasionforgood",
                          extra={"donation": d}))
    tax = Taxonomy.from_json({
        "name": "persuasionforgood",
        "behaviors": [*STRATEGIES, "other", *sorted(ee_labels)],
        "outcomes": ["order", "no_sale"],
        "success_outcomes": ["order"],
        "seller_behaviors": [*STRATEGIES, "other"],
        "buyer_behaviors": sorted(ee_labels),
        "meaning": {
            "seller_question": ["source-related-inquiry", "task-related-inquiry", "personal-related-inquiry"],
            "buyer_objection": [f"{EE}disagree-donation", f"{EE}negative-reaction-to-donation",
                                f"{EE}disagree-donation-more"],
            "buyer_commitment": [f"{EE}agree-donation", f"{EE}provide-donation-amount",
                                 f"{EE}confirm-donation"],
        },
    })
    return calls, tax


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", nargs="?", type=Path, default=default_dir())
    ap.add_argument("--min-calls", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.data_dir / "annotated_300_dialog.csv").is_file():
        print(f"error: {args.data_dir}: no annotated_300_dialog.csv here", file=sys.stderr)
        print("hint: pass the PersuasionForGood folder (the one with SOURCE.md) as the first argument",
              file=sys.stderr)
        return 2
    calls, tax = read_calls(args.data_dir)
    strategies = compare_outcomes(calls, tax, min_calls=args.min_calls, seed=args.seed,
                                  labels=[*STRATEGIES, "other"])
    persuadee = compare_outcomes(calls, tax, min_calls=args.min_calls, seed=args.seed,
                                 labels=[b for b in tax.behaviors if b.startswith(EE)])
    if args.json:
        print(json.dumps({"strategies": strategies.to_json(), "persuadee": persuadee.to_json()}, indent=2))
        return 0
    n_pass = sum(len(c.passages) for c in calls)
    print(f"PersuasionForGood, annotated subset: {len(calls)} dialogues, {n_pass} sentences (passages)")
    print("success = the persuadee donated more than $0 after the task (B6 > 0) -> outcome 'order'; "
          "else 'no_sale'")
    print()
    print("Persuader strategies (the paper's 10, plus 'other' for every non-strategy sentence)")
    print(render_report(strategies))
    print()
    print("Persuadee dialogue acts (the buyer side)")
    print(render_report(persuadee))
    return 0


if __name__ == "__main__":
    sys.exit(main())
