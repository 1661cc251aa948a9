"""``callreview models list|use|diff``: the model folders on this machine."""

from __future__ import annotations

import json

import click

from . import cli


@cli.group("models")
def models_group() -> None:
    """List trained models, choose the default one, compare two."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def models_list(as_json: bool) -> None:
    """Every model: id, when trained, corpus size, cross-validated macro-F1; * = current."""
    from ..artifacts import list_models

    infos = list_models()
    if as_json:
        click.echo(json.dumps([{"id": m.id, "path": str(m.path), "created": m.created, "calls": m.calls,
                                "macro_f1": m.macro_f1, "current": m.current, "shipped": m.shipped}
                               for m in infos], indent=2))
        return
    if not infos:
        click.echo("no models yet: train one with `callreview train --corpus corpora/default`")
        return
    for m in infos:
        f1 = "  ".join(f"{t} {v:.3f}" for t, v in sorted(m.macro_f1.items()))
        tag = " (shipped)" if m.shipped else ""
        click.echo(f"{'*' if m.current else ' '} {m.id:<24} {m.created or '':<26} {m.calls or '?':>4} calls  "
                   f"{f1}{tag}\n    {m.path}")


@models_group.command("use")
@click.argument("model_ref", metavar="ID|DIR")
@click.option("--trust", is_flag=True,
              help="Trust this model folder's pickle (model.joblib) on this machine. Loading a pickle can run "
                   "code: only for a folder from someone you trust (models trained here are trusted already).")
def models_use(model_ref: str, trust: bool) -> None:
    """Make a model the default from now on (for annotate, review, metrics...)."""
    from ..artifacts import load_model, resolve_model, set_current_model, trust_model

    path = resolve_model(model_ref)
    if trust:
        trust_model(path)  # checked as loading checks it, then its content hash recorded
    model = load_model(path)  # refuse a broken, tampered or untrusted model before making it current
    set_current_model(path)
    click.echo(f"now using model {model.id} ({path}){' (trusted on this machine)' if trust else ''}")


@models_group.command("diff")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--store", "store_path", type=click.Path(dir_okay=False), default=None,
              help="Review store whose calls are compared (default: $CALLREVIEW_STORE or the user data directory).")
@click.option("--examples", type=click.IntRange(min=0), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def models_diff(a: str, b: str, store_path: str | None, examples: int, as_json: bool) -> None:
    """Per-label F1 of models A and B, and the predictions that change on the reviewed calls."""
    from ..artifacts import load_model, resolve_model
    from ..evaluate import compare_models
    from ..store import Store

    ma, mb = load_model(resolve_model(a)), load_model(resolve_model(b))
    with Store.open(store_path, read_only=True) as store:
        reviewed = store.reviewed_calls()
    report = compare_models(ma, mb, reviewed, examples=examples)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"A = {ma.id}   B = {mb.id}   compared on {report['calls']} reviewed calls")
    for task, t in report["tasks"].items():
        mf = t["macro_f1"]
        fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
        click.echo(f"\n== {task}: macro-F1 A {fmt(mf['a'])}  B {fmt(mf['b'])}")
        for lab, v in t["per_label_f1"].items():
            delta = "" if v["a"] is None or v["b"] is None else f"  {v['b'] - v['a']:+.3f}"
            click.echo(f"   {lab:<24} {fmt(v['a'])}  {fmt(v['b'])}{delta}")
        ag = t["agree_with_reviewer"]
        click.echo(f"   predictions changed: {t['changed']} of {t['passages']} passages")
        if ag["reviewed"]:
            click.echo(f"   agree with the reviewer: A {ag['a']}/{ag['reviewed']}  B {ag['b']}/{ag['reviewed']}")
        for ex in t["examples"]:
            who = f" (reviewer: {ex['reviewer']})" if ex["reviewer"] else ""
            click.echo(f"   - {ex['call_id']} #{ex['index']}: {ex['a']} -> {ex['b']}{who}: {ex['text'][:70]}")
