"""Check a plan writer's draft and turn it into corpus format v1 for plans (JSON Lines).

Writers draft plans as plain text, one plan line per draft line, which is faster to write
and to read than JSON::

    === plan
    call_id: plan-northwind-opp-01
    activity: opportunity        # call | opportunity | account | territory
    title: Northwind cold-chain monitoring: opportunity plan
    outcome: won                 # the activity's outcome (see ../shared/plan-guide.md)
    seller: Dana Ortiz
    date: 2027-02-10
    opportunity_id: northwind-coldchain   # optional
    account_id: northwind                 # optional
    prepares: northwind-0412              # optional, call plans only
    layout: bullets              # markdown | bullets | numbered | paragraph | email | csv_rows | csv_opportunity
    quality: strong              # strong | weak | log | mixed
    ---
    other | Competition
    competition | Incumbent is Vexor, renewal in June.

The element is checked against the plan's activity: the activity's own elements and the
shared ones (``status_update``, ``other``). Lines starting with ``#`` outside a plan are
comments.

    python benchmarks/plan_draft.py DRAFT.txt [--out FILE.jsonl]

prints every problem as ``DRAFT:LINE: message`` (exit 1 if any) and a summary of the
activities, elements, outcomes and layouts; with ``--out`` and no problems it writes the JSONL.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from callreview.plan_coach import PLAN_ELEMENTS, PLAN_OUTCOMES, SHARED_ELEMENTS

LAYOUTS = ("markdown", "bullets", "numbered", "paragraph", "email", "csv_rows", "csv_opportunity")
QUALITIES = ("strong", "weak", "log", "mixed")
#: a call plan's outcome is its call's (the call taxonomy's outcomes)
OUTCOMES = {"call": ("order", "advance", "continuation", "no_sale"), **PLAN_OUTCOMES}
REQUIRED = ("call_id", "activity", "title", "seller", "date", "layout", "quality")
OPTIONAL = ("outcome", "opportunity_id", "account_id", "prepares")


def parse(path: Path) -> tuple[list[dict], list[str]]:
    plans: list[dict] = []
    problems: list[str] = []
    cur: dict | None = None
    in_body = False
    start = 0

    def finish() -> None:
        if cur is None:
            return
        where = f"{path}:{start}"
        for key in REQUIRED:
            if not cur.get(key):
                problems.append(f"{where}: plan has no {key}")
        act = cur.get("activity")
        if act not in PLAN_ELEMENTS:
            problems.append(f"{where}: activity {act!r} is not one of {', '.join(PLAN_ELEMENTS)}")
        elif cur.get("outcome") and cur["outcome"] not in OUTCOMES[act]:
            problems.append(f"{where}: outcome {cur['outcome']!r} is not one of {', '.join(OUTCOMES[act])}")
        if cur.get("layout") and cur["layout"] not in LAYOUTS:
            problems.append(f"{where}: layout {cur['layout']!r} is not one of {', '.join(LAYOUTS)}")
        if cur.get("quality") and cur["quality"] not in QUALITIES:
            problems.append(f"{where}: quality {cur['quality']!r} is not one of {', '.join(QUALITIES)}")
        if cur.get("prepares") and act != "call":
            problems.append(f"{where}: only call plans prepare a call")
        try:
            date.fromisoformat(cur.get("date") or "")
        except ValueError:
            problems.append(f"{where}: date {cur.get('date')!r} is not an ISO date (YYYY-MM-DD)")
        if len(cur["passages"]) < 3:
            problems.append(f"{where}: a plan needs at least 3 lines")
        plans.append(cur)

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if line.strip() == "=== plan":
            finish()
            cur, in_body, start = {"passages": []}, False, n
            continue
        if cur is None:
            if line.strip() and not line.lstrip().startswith("#"):
                problems.append(f"{path}:{n}: text outside a plan (start one with '=== plan')")
            continue
        if not in_body:
            if line.strip() == "---":
                in_body = True
                continue
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            value = re.sub(r"\s+#.*$", "", value).strip()
            key = key.strip()
            if not sep or key not in REQUIRED + OPTIONAL:
                problems.append(f"{path}:{n}: unknown header line {line!r}")
                continue
            cur[key] = value
            continue
        if not line.strip():
            continue
        element, sep, text = line.partition("|")
        element, text = element.strip(), text.strip()
        if not sep or not text:
            problems.append(f"{path}:{n}: a plan line is 'element | text'")
            continue
        act = cur.get("activity")
        allowed = tuple(PLAN_ELEMENTS.get(act or "", ())) + tuple(SHARED_ELEMENTS)
        if element not in allowed:
            problems.append(f"{path}:{n}: {element!r} is not an element of a {act} plan (allowed: {', '.join(allowed)})")
        cur["passages"].append({"text": text, "element": element})
    finish()
    seen: Counter[str] = Counter(p.get("call_id", "") for p in plans)
    problems += [f"{path}: call_id {cid!r} is used {k} times" for cid, k in seen.items() if k > 1]
    return plans, problems


def record(plan: dict) -> dict:
    out = {"call_id": plan["call_id"], "kind": "plan", "activity": plan["activity"], "title": plan["title"]}
    for key in ("outcome", "seller", "date", "opportunity_id", "account_id", "prepares", "layout", "quality"):
        if plan.get(key):
            out[key] = plan[key]
    out["passages"] = plan["passages"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("drafts", nargs="+", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    plans: list[dict] = []
    problems: list[str] = []
    for d in args.drafts:
        ps, pr = parse(d)
        plans += ps
        problems += pr
    for p in problems:
        print(p)
    acts = Counter(p.get("activity") for p in plans)
    els = Counter(x["element"] for p in plans for x in p["passages"])
    print(f"{len(plans)} plans, {sum(els.values())} lines; activities: {dict(acts)}")
    print("outcomes:", dict(Counter((p.get("activity"), p.get("outcome")) for p in plans)))
    print("layouts:", dict(Counter(p.get("layout") for p in plans)), "qualities:", dict(Counter(p.get("quality") for p in plans)))
    print("elements:", ", ".join(f"{k} {v}" for k, v in els.most_common()))
    if problems:
        print(f"{len(problems)} problems", file=sys.stderr)
        return 1
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(record(p), ensure_ascii=False) + "\n" for p in plans), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
