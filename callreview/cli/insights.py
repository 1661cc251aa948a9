"""`callreview metrics`, `callreview report`, `callreview coach`: calls in the light of their outcome.

Thin wrappers over :mod:`callreview.metrics` and :mod:`callreview.insights`: load, annotate
the calls that have unlabeled passages (keeping every label already there), compute,
print. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import click

from ..errors import UsageError
from . import cli, warn
from ._util import batch_calls, batch_options, input_format_option, inputs_argument

if TYPE_CHECKING:  # pragma: no cover
    from ..insights import CoachingContext, OutcomeReport, SellerReport
    from ..metrics import CallMetrics, Metric
    from ..records import Call


# --------------------------------------------------------------------------- loading


def load_paths(paths: Iterable[str], sellers: Sequence[str] = (), input_format: str = "auto") -> list["Call"]:
    from ..team import load_paths as load

    return load(paths, sellers, input_format, warn=warn)


def needs_model(call: "Call") -> bool:
    from ..team import needs_model as needs

    return needs(call)


def annotate_missing(calls: list["Call"], model_dir: str | None) -> tuple[list["Call"], int]:
    """Annotate only the calls that have unlabeled passages, keeping the labels they have
    (:func:`callreview.team.annotate_missing`)."""
    from ..team import annotate_missing as annotate

    return annotate(calls, model_dir)


def _store_team(store_path: str, model_dir: str | None):
    """The reviewed calls with outcomes in the review store (``--store [PATH]``)."""
    from ..store import Store
    from ..team import load_team

    with Store.open(store_path or None, read_only=True) as store:
        return load_team(store=store, use_store=True, model=model_dir)


def _files_team(paths: Sequence[str], model_dir: str | None, input_format: str, recursive: bool, jobs: int,
                scheduler: str | None, quiet: bool):
    """The team of ``report FILE|DIR|GLOB...``: the calls read and, where unlabeled, labeled as a batch."""
    from ..artifacts import load_model
    from ..batch import BatchStats
    from ..team import FILES, Team

    stats = BatchStats()
    calls = tuple(batch_calls(paths, recursive=recursive, input_format=input_format,
                              model=lambda: load_model(model_dir), jobs=jobs, scheduler=scheduler, quiet=quiet,
                              only_missing=True, stats=stats))
    return Team(calls, ", ".join(Path(p).name for p in paths), FILES, stats.annotated)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# --------------------------------------------------------------------------- formatting

NAMES = {
    "duration": "duration",
    "talk_ratio": "talk ratio (seller share)",
    "longest_seller_monologue": "longest seller monologue",
    "longest_buyer_story": "longest buyer story",
    "interactivity": "interactivity",
    "patience": "patience (pause before answering)",
    "talking_speed": "seller talking speed",
    "filler_rate": "seller filler words",
    "seller_questions": "seller questions",
    "buyer_questions": "buyer questions",
    "benefits": "benefits",
    "benefits_linked_to_need": "  of them after a stated need",
    "information": "information (not tied to a need)",
    "buyer_needs": "needs the buyer stated",
    "summaries": "summaries",
    "objections": "buyer objections",
    "objections_unanswered": "  of them unanswered",
    "commitment_requested": "seller asked for commitment",
    "buyer_committed": "buyer committed",
}


def _name(metric_name: str) -> str:
    if metric_name.startswith("seller_questions."):
        return f"  {metric_name.split('.', 1)[1]} questions"
    return NAMES.get(metric_name, metric_name.replace("_", " "))


def _value(m: "Metric") -> str:
    from ..metrics import format_time

    if m.value is None:
        return "-"
    if isinstance(m.value, bool):
        return "yes" if m.value else "no"
    if m.unit == "s" and m.name == "duration":
        return format_time(m.value)
    if isinstance(m.value, float):
        text = f"{m.value:.1f}"
    else:
        text = str(m.value)
    if m.unit in ("questions", "statements", "objections") or not m.unit:
        return text
    return f"{text}{'' if m.unit == '%' else ' '}{m.unit}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def render_metrics(cm: "CallMetrics") -> str:
    from ..metrics import NOT_COMPUTABLE, format_time

    lines = []
    head = f"{cm.call_id}" + (f"  {cm.title}" if cm.title else "")
    lines.append(head)
    lines.append(f"  {cm.kind}, {cm.n_passages} passages, outcome: {cm.outcome or 'unknown'}, "
                 f"{'with cue times' if cm.timed else 'no cue times'}")
    for n in cm.notes:
        lines.append(f"  note: {n}")
    lines.append("")
    refs: list[str] = []
    for m in cm.metrics:
        how = "not computable" if m.method == NOT_COMPUTABLE else m.method
        mark = ""
        if m.reference is not None:
            text = m.reference.describe()
            if text not in refs:
                refs.append(text)
            mark = f" [{refs.index(text) + 1}]"
        lines.append(f"  {_name(m.name):<34} {_value(m) + mark:>22}  {how:<14}  {m.detail}")
    lines.append("")
    if cm.timeline:
        lines.append(f"  stage timeline ({cm.timeline_method}; share of "
                     f"{'time' if cm.timeline_method == 'measured' else 'words'})")
        for s in cm.timeline:
            at = format_time(s.start) if s.start is not None else ""
            secs = f"{s.seconds:.0f} s" if s.seconds is not None else ""
            rng = f"{s.first}-{s.last}" if s.last != s.first else f"{s.first}"
            lines.append(f"    {at:>7}  {s.stage or '(no stage)':<20} passages {rng:<9} {_pct(s.share):>5}  {secs}")
    else:
        lines.append("  stage timeline: not computable (no stage labels)")
    if cm.objections:
        lines.append("  objections")
        for o in cm.objections:
            state = f"answered at passage {o.response}" if o.answered else "NO RESPONSE"
            lines.append(f"    {o.where:>11}  passage {o.index:<4} {state:<22} \"{o.text}\"")
    if refs:
        lines.append("  published correlations shown beside a value (context from other teams' calls, not rules):")
        for k, text in enumerate(refs, 1):
            lines.append(f"    [{k}] {text}")
    return "\n".join(lines)


def _signed(x: float | None) -> str:
    if x is None:
        return "-"
    x = round(x, 1) + 0.0  # no "-0.0"
    return f"{x:+.1f}"


def _plain(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def _q(b) -> str:
    return "-" if b.q_value is None else f"{b.q_value:.3f}" + ("*" if b.excludes_zero else "")


def _table(rows, width: int, fmt=_plain) -> list[str]:
    out = [f"{'':<{width}}  {'success':>8}  {'other':>8}  {'diff':>7}  {'interval':>16}  {'q':>7}  {'n':>9}"]
    for b in rows:
        n = f"{b.n_success}/{b.n_other}"
        if b.compared:
            ci = f"[{_signed(b.ci_low)}, {_signed(b.ci_high)}]"
            out.append(f"{b.label:<{width}}  {fmt(b.success_mean):>8}  {fmt(b.other_mean):>8}  "
                       f"{_signed(b.diff):>7}  {ci:>16}  {_q(b):>7}  {n:>9}")
        else:
            out.append(f"{b.label:<{width}}  {fmt(b.success_mean):>8}  {fmt(b.other_mean):>8}  "
                       f"{'nothing compared':>33}  {n:>9}")
    return out


def _pct_cell(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}%"


def render_report(r: "OutcomeReport") -> str:
    from ..insights import SEQUENCE

    lines = list(r.summary())
    lines.append("")
    lines.append(f"{r.n_success} successful calls ({', '.join(r.success_outcomes)}) against {r.n_other} others; "
                 f"{r.n_excluded} excluded" + (f" ({', '.join(f'{k}: {v}' for k, v in r.excluded.items())})"
                                               if r.excluded else ""))
    if r.note:
        lines.append(r.note)
    else:
        lines.append(f"behavior rates {r.unit} per call; diff = successful - other; p from a permutation test of "
                     f"the calls' outcomes ({r.n_perm} permutations, seed {r.seed}); q = Benjamini-Hochberg over "
                     f"the {r.n_tests} comparisons, * = supported (q <= {r.alpha:.2f}); intervals "
                     f"{r.interval_confidence:.1%}, adjusted for the comparisons so they exclude zero exactly "
                     "where * holds")
    lines.append("these are correlations in these calls, not causes")
    lines.append("")
    width = max([len(b.label) for b in r.rows()] + [8])
    head = _table(r.by_difference(), width)
    lines.append(f"{'behavior':<{width}}" + head[0][width:])
    lines += head[1:]
    if r.sequences:
        lines.append("")
        lines.append("how behaviors work together (sequences inside the call; n: calls each applies to)")
        for b in r.sequences:
            lines.append(f"  {b.label}: {SEQUENCE[b.label].name}"
                         + (" (% of steps per call)" if b.kind == "share" else " (passages per call)"))
        seq = _table(r.sequences, width, _pct_cell)
        lines.append(f"{'sequence':<{width}}" + seq[0][width:])
        for b, line in zip(r.sequences, seq[1:]):
            lines.append(line if b.kind == "share" else _table([b], width)[1])
    return "\n".join(lines)


def render_sellers(r: "SellerReport") -> str:
    lines = [f"each seller's behavior rates ({r.unit}) against the team's {r.n_team_success} successful calls; "
             f"diff = seller - team successful; {r.confidence:.0%} CI from {r.n_boot} bootstrap resamples"]
    if r.excluded:
        lines.append(f"excluded: {', '.join(f'{k}: {v}' for k, v in r.excluded.items())}")
    for s in r.sellers:
        lines.append("")
        rate = f"{s.success_rate:.0%}" if s.success_rate is not None else "-"
        lines.append(f"{s.seller}: {s.n_calls} calls, {s.n_success} successful ({rate})")
        rows = s.by_difference()
        if rows and rows[0].diff is None:
            lines.append(f"  too few calls to compare (at least {r.min_calls} calls for the seller and "
                         f"{r.min_calls} successful team calls are needed)")
            continue
        width = max([len(b.label) for b in rows] + [8])
        lines.append(f"  {'behavior':<{width}}  {'seller':>8}  {'team ok':>8}  {'diff':>7}  {'95% CI':>16}")
        for b in rows:
            ci = f"[{_signed(b.ci_low)}, {_signed(b.ci_high)}]"
            lines.append(f"  {b.label:<{width}}  {_plain(b.seller_mean):>8}  {_plain(b.team_success_mean):>8}  "
                         f"{_signed(b.diff):>7}  {ci:>16}")
    return "\n".join(lines)


def render_coaching(ctx: "CoachingContext", call: "Call", against: str, top: int = 0) -> str:
    from ..metrics import where
    from ..vocabulary import ranges

    lines = [f"{ctx.call_id}" + (f"  {ctx.title}" if ctx.title else "") + f"  (outcome: {ctx.outcome or 'unknown'})",
             f"against {ctx.n_team_success} successful and {ctx.n_team_other} other calls from {against}"]
    for n in ctx.notes:
        lines.append(f"note: {n}")
    lines.append("")
    if not ctx.points:
        lines.append("nothing stands out against the team's successful calls")
    by_index = {p.index: p for p in call.passages}
    shown = ctx.points[:top] if top else ctx.points
    k = 0
    for pt in shown:
        if not pt.sure and (k == 0 or shown[k - 1].sure):
            lines.append("to check (the labels are not sure enough to call these findings):")
        k += 1
        lines.append(f"{k}. {pt.message}")
        if pt.passages:
            what = "where it should have been" if pt.absent else "evidence"
            lines.append(f"   {what}: passages {ranges(pt.passages)}")
            if not pt.absent:
                for i in pt.passages[:2]:
                    p = by_index[i]
                    text = " ".join(p.text.split())
                    text = text if len(text) <= 90 else text[:89] + "\u2026"
                    lines.append(f"     {where(p):>11}  {p.speaker or p.role or '?'}: {text}")
    if len(shown) < len(ctx.points):
        lines.append(f"... and {len(ctx.points) - len(shown)} more points (--top 0 shows all)")
    lines.append("")
    lines.append("ranking: findings first (unanswered objections, a missing commitment request, then behaviors "
                 "where the team's successful calls differ), then points to check; --json has the statistics")
    return "\n".join(lines)


def _line_text(call: "Call", index: int, n: int = 90) -> str:
    from ..text_safety import for_terminal

    text = " ".join(call.passages[index].text.split())
    return for_terminal(text if len(text) <= n else text[: n - 1] + "\u2026")


def render_execution(e, call: "Call") -> str:
    """A call plan against its call: the advance, the questions, the objections."""
    from ..metrics import where

    lines = [f"against its plan {e.plan_id}"]
    for n in e.notes:
        lines.append(f"note: {n}")
    if e.advance is not None:
        a = e.advance
        if a.asked:
            got = {True: ", and the buyer committed", False: ", but the buyer did not commit", None: ""}[a.committed]
            lines.append(f"  advance: asked for at passage {a.requests[0]}{got}")
            lines.append(f"     {where(call.passages[a.requests[0]]):>11}  {_line_text(call, a.requests[0])}")
        else:
            lines.append("  advance: never asked for (no commitment request in the call)")
    if e.questions:
        lines.append(f"  planned questions: {sum(q.asked for q in e.questions)} of {len(e.questions)} asked")
        for q in e.questions:
            mark = "asked" if q.asked else "not asked"
            lines.append(f"    line {q.line} {mark}: {q.text}")
            if q.asked and q.passage is not None:
                lines.append(f"     {where(call.passages[q.passage]):>11}  {_line_text(call, q.passage)}")
    for o in e.objections:
        state = ("came up and was answered" if o.came_up and o.answered else
                 "came up, NOT answered" if o.came_up else "did not come up")
        lines.append(f"  expected objection, line {o.line}: {state}")
        if o.came_up and o.passage is not None:
            lines.append(f"     {where(call.passages[o.passage]):>11}  {_line_text(call, o.passage)}")
    return "\n".join(lines)


def render_plan_coaching(pc, plan: "Call", top: int = 0) -> str:
    """One plan's coaching: what it has and lacks, then the points with their lines."""
    from ..vocabulary import display, ranges

    lines = [f"{pc.plan_id}" + (f"  {pc.title}" if pc.title else "")
             + f"  ({display(pc.activity).lower() if pc.activity else 'unknown'} plan, outcome: "
               f"{display(pc.outcome, 'unknown')})"]
    for n in pc.notes:
        lines.append(f"note: {n}")
    lines += pc.summary()
    if pc.timeline is not None and len(pc.timeline.items) > 1:
        lines.append(f"the deal {pc.timeline.opportunity_id} over time:")
        for it in pc.timeline.items:
            stale = "  STALE" if it.stale is not None and it.stale.stale else ""
            lines.append(f"  {it.date or 'undated':<10}  {it.kind:<4}  {it.call_id}"
                         + (f"  outcome: {it.outcome}" if it.outcome else "") + stale)
            for _, text, _ in it.next_steps[:3]:
                lines.append(f"              next: {text}")
    lines.append("")
    if not pc.points and pc.labeled:
        lines.append("nothing stands out in this plan")
    shown = pc.points[:top] if top else pc.points
    for k, pt in enumerate(shown, 1):
        if not pt.sure and (k == 1 or shown[k - 2].sure):
            lines.append("to check (the labels are not sure enough to call these findings):")
        lines.append(f"{k}. {pt.message}")
        if pt.passages and pt.kind not in _CALL_POINT_KINDS:
            what = "lines likeliest to be it" if pt.absent else "evidence"
            lines.append(f"   {what}: lines {ranges(pt.passages)}")
            if not pt.absent:
                for i in pt.passages[:2]:
                    lines.append(f"     line {i:>3}  {_line_text(plan, i)}")
    if len(shown) < len(pc.points):
        lines.append(f"... and {len(pc.points) - len(shown)} more points (--top 0 shows all)")
    return "\n".join(lines)


#: points about the call a plan prepared: their passages are the call's, not the plan's lines
_CALL_POINT_KINDS = ("advance_not_asked", "planned_question_not_asked", "anticipated_objection_unanswered")


def render_plan_report(r) -> str:
    from ..plan_coach import row_name, success_words

    good, rest = success_words(r.activity)
    lines = [f"{r.activity} plans: {r.n_success} of {good} ({', '.join(r.success_outcomes)}) against "
             f"{r.n_other} of {rest}" + (f"; excluded: {', '.join(f'{k}: {v}' for k, v in r.excluded.items())}"
                                          if r.excluded else "")]
    lines += r.summary()
    if r.compared:
        lines.append(f"% of plans with each element (the shares: % of lines); p from a permutation test "
                     f"({r.n_perm} permutations, seed {r.seed}); q = Benjamini-Hochberg over the {r.n_tests} "
                     f"rows, * = supported; intervals {r.interval_confidence:.1%}")
    lines.append("these are correlations in these plans, not causes")
    width = max(len(row_name(b.label)) for b in r.rows)
    head = _table(r.rows, width, _pct_cell)
    lines.append(f"{'element':<{width}}" + head[0][width:])
    for b, line in zip(r.rows, head[1:]):
        lines.append(row_name(b.label).ljust(width) + line[width:])
    return "\n".join(lines)


# --------------------------------------------------------------------------- commands


@cli.command("metrics")
@inputs_argument()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a readable table.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Model folder for calls with unlabeled passages (default: the current model).")
@click.option("--seller", "sellers", multiple=True, metavar="NAME",
              help="The seller's speaker name, when the file does not give roles (repeatable).")
@input_format_option
@batch_options
def metrics_cmd(files: tuple[str, ...], as_json: bool, model_dir: str | None, sellers: tuple[str, ...],
                input_format: str, recursive: bool, jobs: int, scheduler: str | None, quiet: bool) -> None:
    """Per-call metrics: talk ratio, monologues, questions, stages, commitment, objections.

    Each figure says how it was obtained: measured from cue times, estimated from words,
    or not computable. Calls with unlabeled passages are labeled by the model first
    (labels already in the file are kept). FILEs may be folders (subfolders with -r) and
    glob patterns; the calls are measured and printed one by one.
    """
    from ..artifacts import load_model
    from ..batch import BatchStats
    from ..metrics import call_metrics

    stats = BatchStats()
    results = (call_metrics(c) for c in batch_calls(
        files, recursive=recursive, input_format=input_format, sellers=sellers, model=lambda: load_model(model_dir),
        jobs=jobs, scheduler=scheduler, quiet=quiet, only_missing=True, stats=stats))
    if as_json:  # one JSON document, written a call at a time
        click.echo('{\n  "calls": [', nl=False)
        for n, r in enumerate(results):
            body = json.dumps(r.to_json(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            click.echo(("," if n else "") + "\n    " + body, nl=False)
        click.echo(f'\n  ],\n  "annotated_by_model": {stats.annotated}\n}}')
        return
    for n, r in enumerate(results):
        click.echo(("\n" if n else "") + render_metrics(r))
    if stats.annotated:
        click.echo(f"note: {stats.annotated} call(s) had unlabeled passages and were labeled by the model", err=True)


#: ``--store`` alone reads the default review store; ``--store PATH`` that file
def _store_flag(help_text: str):
    return click.option("--store", "store_path", is_flag=False, flag_value="", default=None, metavar="[PATH]",
                        help=help_text)


@cli.command("report")
@inputs_argument("paths", required=False, metavar="[FILE|DIR|GLOB...]")
@_store_flag("Report on the reviewed calls in the review store, with the outcomes and labels the manager "
             "decided (PATH, else $CALLREVIEW_STORE, else the user data folder's store).")
@click.option("--by", "by", type=click.Choice(["seller"]), default=None,
              help="Profile each seller against the team's successful calls.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a readable table.")
@click.option("-o", "--output", default=None, metavar="PATH",
              help="Write the team report as a file: .html (with a dot-and-whisker chart) or .docx.")
@click.option("--min-calls", type=click.IntRange(min=1), default=5, show_default=True,
              help="Fewest calls per group to compare; below it the report describes and compares nothing.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the permutations.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Model folder for calls with unlabeled passages (default: the current model).")
@input_format_option
@batch_options
def report_cmd(paths: tuple[str, ...], store_path: str | None, by: str | None, as_json: bool, output: str | None,
               min_calls: int, seed: int, model_dir: str | None, input_format: str, recursive: bool, jobs: int,
               scheduler: str | None, quiet: bool) -> None:
    """What separates successful calls from the rest, behavior by behavior, and the
    sequences inside the call.

    It opens with three sentences on what the successful calls do differently, then the
    table. Rates are per 100 passages per call; each difference (successful - other) has a
    permutation test and an interval adjusted for all the comparisons of the report (the
    false discovery rate held at 5%). Calls without an outcome are excluded and counted.
    """
    from ..insights import compare_outcomes, compare_sellers

    if paths and store_path is not None:
        raise UsageError("give FILEs or --store, not both", hint="report on one team at a time")
    if not paths and store_path is None:
        raise UsageError("nothing to report on", hint="pass corpus .jsonl files or folders, or --store for the "
                                                      "reviewed calls in the review store")
    if output is not None and Path(output).suffix.lower() not in (".html", ".htm", ".docx"):
        raise UsageError(f"cannot tell the format of {output}", hint="-o writes a .html or .docx team report; "
                                                                      "for data use --json")
    team = (_store_team(store_path, model_dir) if store_path is not None
            else _files_team(paths, model_dir, input_format, recursive, jobs, scheduler, quiet))
    calls, n_annotated = [c for c in team.calls if not c.is_plan], team.n_annotated
    plans = [c for c in team.calls if c.is_plan]
    plan_reports = []
    if plans:
        from ..plan_coach import compare_all

        plan_reports = compare_all(plans, min_plans=min_calls, seed=seed)
        if not calls:
            if output is not None:
                raise UsageError("-o writes the call team report, and these files hold only plans",
                                 hint="report on plans prints the table (or --json)")
            if as_json:
                _echo_json({"plans": [r.to_json() for r in plan_reports], "team": team.source})
            else:
                click.echo("\n\n".join(render_plan_report(r) for r in plan_reports))
            return
    if not calls:
        if store_path is not None:
            raise UsageError("no reviewed calls with an outcome in the review store",
                             hint="decide some passages and set each call's outcome in the review app "
                                  "(callreview review), then report again")
        raise UsageError("no calls found", hint="pass corpus .jsonl files or folders holding them")
    if by == "seller":
        sellers = compare_sellers(calls, min_calls=min_calls, seed=seed)
        if as_json:
            _echo_json(sellers.to_json() | {"annotated_by_model": n_annotated})
        else:
            click.echo(render_sellers(sellers))
        return
    rep = compare_outcomes(calls, min_calls=min_calls, seed=seed)
    if output is not None:
        from ..export import write_atomic

        if Path(output).suffix.lower() == ".docx":
            from ..export.docx_report import render_team as render_docx

            write_atomic(output, render_docx(rep, team.source))
        else:
            from ..export.html_report import render_team as render_html

            write_atomic(output, render_html(rep, team.source))
        click.echo(f"wrote the team report of {len(calls)} calls to {output}", err=True)
    if as_json:
        extra = {"plans": [r.to_json() for r in plan_reports]} if plan_reports else {}
        _echo_json(rep.to_json() | {"annotated_by_model": n_annotated, "team": team.source} | extra)
        return
    if output is not None:
        return
    if n_annotated:
        click.echo(f"note: {n_annotated} call(s) had unlabeled passages and were labeled by the model", err=True)
    click.echo(render_report(rep))
    for pr in plan_reports:
        click.echo("\n" + render_plan_report(pr))


def _today(value: str | None):
    from datetime import date

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today {value!r} is not a date", hint="give it as YYYY-MM-DD, e.g. --today 2027-03-25") from None


@cli.command("coach")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--against", "against", multiple=True, type=click.Path(),
              help="The team's labeled calls and plans (corpus file or folder; repeatable). Default: corpora/default.")
@_store_flag("Coach against the reviewed calls in the review store, with the outcomes the manager set "
             "(PATH, else $CALLREVIEW_STORE, else the user data folder's store).")
@click.option("--plan", "plan_paths", multiple=True, type=click.Path(dir_okay=False), metavar="PLAN",
              help="The call plan that prepared the call (repeatable): was its advance asked for, its questions "
                   "asked, its expected objections answered.")
@click.option("--today", "today", default=None, metavar="YYYY-MM-DD",
              help="The day a plan's next-step dates are checked against (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of readable text.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Model folder for calls with unlabeled passages (default: the current model).")
@click.option("--min-calls", type=click.IntRange(min=1), default=5, show_default=True,
              help="Fewest successful team calls (or plans) needed to compare behavior rates (or elements).")
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True,
              help="Show the first N points (0: all). JSON always has all.")
@click.option("--seller", "sellers", multiple=True, metavar="NAME",
              help="The seller's name as it appears in FILE (repeatable); otherwise guessed.")
@input_format_option
def coach_cmd(file: str, against: tuple[str, ...], store_path: str | None, plan_paths: tuple[str, ...],
              today: str | None, as_json: bool, model_dir: str | None, min_calls: int, top: int,
              sellers: tuple[str, ...], input_format: str) -> None:
    """The coaching context of a call or a plan.

    A call: what in it differs from the team's successful calls, ranked so the first point
    is the one most worth a manager's minute (unanswered objections, a missing commitment
    request, then behaviors that separate the team's outcomes), each with the passages
    that are its evidence; with --plan, the call held against its call plan. A plan (corpus
    kind "plan"): the elements of its activity it has and lacks, planning against
    reporting, how specific it is, whether it went stale, and against its call when it
    prepared one.
    """
    from ..insights import coach
    from ..plan_coach import coach_plan, execution, plans_for, read_plans
    from ..team import load_paths as team_paths
    from ..team import load_team

    if against and store_path is not None:
        raise UsageError("give --against or --store, not both", hint="coach against one team at a time")
    day = _today(today)
    loaded = load_paths([file], sellers, input_format)
    plans_in = [c for c in loaded if c.is_plan]
    given_plans = read_plans(plan_paths)
    calls, n_annotated = annotate_missing([c for c in loaded if not c.is_plan], model_dir)
    if given_plans and not calls:
        raise UsageError("--plan holds a plan against a call, but FILE has no call",
                         hint="coach CALL --plan PLAN; to coach the plan itself, run coach PLAN")
    others = team_paths(against, warn=warn) if against else []
    related = [*others, *loaded, *given_plans]
    team = None
    if calls:
        team = (_store_team(store_path, model_dir) if store_path is not None
                else load_team(against, model=model_dir))
        related += [c for c in team.calls if c.is_plan]
    results = [(c, coach(c, team.against(c), min_calls=min_calls)) for c in calls] if team else []
    linked = {c.call_id: (given_plans or plans_for(c, related)) for c in calls}
    checks = {cid: [execution(p, next(c for c in calls if c.call_id == cid)) for p in ps] for cid, ps in linked.items()}
    plan_team = [c for c in others if c.is_plan]
    plan_results = [coach_plan(p, plan_team, related=related, today=day, min_plans=min_calls) for p in plans_in]
    if as_json:
        out: dict[str, Any] = {}
        if calls and team is not None:
            out = {"calls": [ctx.to_json() | {"plans": [e.to_json() for e in checks[c.call_id]]}
                             for c, ctx in results],
                   "against": list(against) or [team.source],
                   "team": {"source": team.source, "kind": team.kind, "n_calls": len(team.calls)},
                   "annotated_by_model": n_annotated}
        if plans_in:
            out["plans"] = [r.to_json() for r in plan_results]
            out["today"] = day.isoformat()
        _echo_json(out)
        return
    texts = []
    for c, ctx in results:
        text = render_coaching(ctx, c, team.source if team else "", top)
        for e in checks[c.call_id]:
            text += "\n\n" + render_execution(e, c)
        texts.append(text)
    by_id = {c.call_id: c for c in related if not c.is_plan}
    for r, p in zip(plan_results, plans_in):
        text = render_plan_coaching(r, p, top)
        if r.execution is not None and r.execution.call_id in by_id:
            text += "\n\n" + render_execution(r.execution, by_id[r.execution.call_id])
        texts.append(text)
    click.echo("\n\n".join(texts))
