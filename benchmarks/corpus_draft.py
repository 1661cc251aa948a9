"""Check a corpus writer's draft and turn it into corpus format v1 (JSON Lines).

Writers draft calls as plain text, one passage per line, which is faster to write and
to read than JSON::

    === call
    call_id: hvac-6001
    title: Brightline Heating - discovery with the owner
    kind: transcript            # or notes
    outcome: advance            # order | advance | continuation | no_sale
    industry: HVAC dispatch software
    call_type: discovery        # discovery | demo | negotiation | cold_call | renewal | follow_up | account_review
    style: clean                # clean | disfluent | asr | notes
    seller: Dana Ortiz; Sam Vo  # the seller side (the first is the seller being coached)
    buyer: Lee Park; Ana Ruiz   # the customer side
    other: Operator             # optional
    timed: yes                  # transcripts only: give the passages start/end times
    ---
    Dana Ortiz | agenda | opening | I'd like to spend ten minutes on ...
    Lee Park | buyer_info | opening | Sure.

In notes the first field is the role of the line (``seller``, ``buyer`` or ``other``).
Lines starting with ``#`` outside a call are comments.

    python benchmarks/corpus_draft.py DRAFT.txt [--out FILE.jsonl]

prints every problem as ``DRAFT:LINE: message`` (exit 1 if any) and a summary of the
labels, styles and outcomes; with ``--out`` and no problems it writes the JSONL.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

BEHAVIORS = ("rapport agenda situation_question problem_question implication_question need_payoff_question "
             "giving_information benefit_statement summarizing objection_response commitment_request "
             "buyer_info buyer_need buyer_objection buyer_commitment other").split()
STAGES = "opening discovery presentation objection_handling commitment".split()
OUTCOMES = "order advance continuation no_sale".split()
CALL_TYPES = "discovery demo negotiation cold_call renewal follow_up account_review".split()
STYLES = "clean disfluent asr notes".split()
SELLER_ONLY = {b for b in BEHAVIORS if not b.startswith("buyer_")} - {"rapport", "other"}
BUYER_ONLY = {b for b in BEHAVIORS if b.startswith("buyer_")}
FIELDS = ("call_id", "title", "kind", "outcome", "industry", "call_type", "style", "seller", "buyer",
          "other", "timed")


def parse(path: Path) -> tuple[list[dict], list[str]]:
    calls: list[dict] = []
    problems: list[str] = []
    cur: dict | None = None
    in_body = False

    def err(n: int, msg: str) -> None:
        problems.append(f"{path}:{n}: {msg}")

    for n, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = raw.strip()
        if line == "=== call":
            cur = {"_line": n, "_passages": [], "_header": {}}
            calls.append(cur)
            in_body = False
            continue
        if cur is None:
            if line and not line.startswith("#"):
                err(n, "text before the first '=== call'")
            continue
        if not line:
            continue
        if not in_body:
            if line == "---":
                in_body = True
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in FIELDS:
                err(n, f"unknown header line {line[:40]!r} (expected one of {', '.join(FIELDS)}, then ---)")
                continue
            cur["_header"][key] = value.split("  #")[0].strip()
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        if len(parts) != 4 or not parts[3]:
            err(n, "a passage is 'speaker | behavior | stage | text'")
            continue
        cur["_passages"].append((n, *parts))
    return calls, problems


def check(path: Path, calls: list[dict], problems: list[str], seen: set[str]) -> list[dict]:
    out = []
    for c in calls:
        h, n0 = c["_header"], c["_line"]

        def err(n: int, msg: str) -> None:
            problems.append(f"{path}:{n}: {msg}")

        for key in ("call_id", "title", "kind", "outcome", "industry", "call_type", "style"):
            if not h.get(key):
                err(n0, f"missing header field {key}")
        cid = h.get("call_id", "")
        if cid in seen:
            err(n0, f"duplicate call_id {cid!r}")
        seen.add(cid)
        kind = h.get("kind", "transcript")
        if kind not in ("transcript", "notes"):
            err(n0, f"kind {kind!r} is not transcript or notes")
        if h.get("outcome") not in OUTCOMES:
            err(n0, f"outcome {h.get('outcome')!r} is not one of {OUTCOMES}")
        if h.get("call_type") not in CALL_TYPES:
            err(n0, f"call_type {h.get('call_type')!r} is not one of {CALL_TYPES}")
        if h.get("style") not in STYLES:
            err(n0, f"style {h.get('style')!r} is not one of {STYLES}")
        if (kind == "notes") != (h.get("style") == "notes"):
            err(n0, "style notes goes with kind notes, and only with it")
        roles: dict[str, str] = {}
        for role in ("seller", "buyer", "other"):
            for name in filter(None, (s.strip() for s in h.get(role, "").split(";"))):
                roles[name] = role
        if kind == "transcript" and not any(r == "seller" for r in roles.values()):
            err(n0, "a transcript needs 'seller:' names")
        passages = []
        need_seen = False
        for n, who, beh, stage, text in c["_passages"]:
            if kind == "notes":
                if who not in ("seller", "buyer", "other"):
                    err(n, f"in notes the first field is the role (seller, buyer, other), not {who!r}")
                role, speaker = who, None
            else:
                if who not in roles:
                    err(n, f"speaker {who!r} is not named in the header's seller/buyer/other lines")
                role, speaker = roles.get(who, "other"), who
            if beh not in BEHAVIORS:
                err(n, f"behavior {beh!r} is not one of the 16")
            if stage not in STAGES:
                err(n, f"stage {stage!r} is not one of {STAGES}")
            if beh in SELLER_ONLY and role != "seller":
                err(n, f"{beh} is a seller behavior but {who} is {role}")
            if beh in BUYER_ONLY and role != "buyer":
                err(n, f"{beh} is a buyer behavior but {who} is {role}")
            if beh == "benefit_statement" and not need_seen:
                err(n, "benefit_statement with no buyer_need earlier in the call (use giving_information)")
            need_seen = need_seen or beh == "buyer_need"
            p = {"speaker": speaker, "role": role, "text": text, "behavior": beh, "stage": stage}
            if speaker is None:
                del p["speaker"]
            passages.append(p)
        if not passages:
            err(n0, "a call with no passages")
        if kind == "transcript" and h.get("timed", "no").lower() in ("yes", "true"):
            rng = random.Random(cid)
            t = round(rng.uniform(0.8, 3.0), 2)
            for p in passages:
                dur = max(0.6, len(p["text"].split()) / rng.uniform(2.3, 3.1))
                p["start"], p["end"] = round(t, 2), round(t + dur, 2)
                t += dur + rng.uniform(0.15, 1.4)
        sellers = [name for name, r in roles.items() if r == "seller"]
        call = {"call_id": cid, "title": h.get("title"), "kind": kind, "outcome": h.get("outcome"),
                "industry": h.get("industry"), "call_type": h.get("call_type"), "style": h.get("style"),
                "passages": passages}
        if sellers:
            call["seller"] = sellers[0]
        if len(sellers) > 1:
            call["seller_side"] = len(sellers)
        out.append(call)
    return out


def summary(calls: list[dict]) -> str:
    beh = Counter(p["behavior"] for c in calls for p in c["passages"])
    st = Counter(p["stage"] for c in calls for p in c["passages"])
    lines = [f"{len(calls)} calls, {sum(len(c['passages']) for c in calls)} passages",
             "styles: " + ", ".join(f"{k} {v}" for k, v in Counter(c["style"] for c in calls).most_common()),
             "outcomes: " + ", ".join(f"{k} {v}" for k, v in Counter(c["outcome"] for c in calls).most_common()),
             "call types: " + ", ".join(f"{k} {v}" for k, v in Counter(c["call_type"] for c in calls).most_common()),
             f"two or more on the seller side: {sum(1 for c in calls if c.get('seller_side', 1) > 1)}",
             "behaviors: " + ", ".join(f"{b} {beh[b]}" for b in BEHAVIORS),
             "stages: " + ", ".join(f"{s} {st[s]}" for s in STAGES)]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("drafts", nargs="+", type=Path)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    problems: list[str] = []
    seen: set[str] = set()
    calls: list[dict] = []
    for d in a.drafts:
        parsed, probs = parse(d)
        problems += probs
        calls += check(d, parsed, problems, seen)
    for p in problems:
        print(p)
    print(summary(calls))
    if problems:
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    if a.out:
        with a.out.open("w", encoding="utf-8") as f:
            for c in calls:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
