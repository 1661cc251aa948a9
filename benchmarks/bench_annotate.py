"""How fast the classifier is: annotate a long call, the CLI from a cold start, training,
and the model folder's size.

usage: python benchmarks/bench_annotate.py [--corpus DIR] [--model DIR] [--passages N] [--runs R]
                                           [--cli-runs R] [--skip-train] [--json FILE]

(a) ``callreview.classify.annotate`` on one call of N (default 1,000) passages made by
    concatenating the calls of the corpus in order, the model already loaded: median of R
    (default 7) runs after one warm-up run, with the default explanations (top 5 features)
    and with ``explain=0``.
(b) ``callreview annotate FILE`` as a subprocess from a cold start (imports, model load and
    checksum, reading the file, features, prediction, printing to a pipe) on a one-hour
    Microsoft Teams WebVTT file written to a temp dir: ~1,000 cues whose timings span 60
    minutes, text and speakers taken from corpus passages in order; and ``callreview --help``
    and ``callreview inspect FILE`` on the same file. Median of 5 each.
(c) ``callreview train --corpus CORPUS --out TMP --folds 5`` and ``--folds 0`` (one run each;
    ``--skip-train`` leaves them out).
(d) the size of the model folder.

Every figure is printed with the command or call that produced it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from _common import REPO, callreview_exe, machine, median_time, shown, timed

from callreview.corpora import read_corpus
from callreview.records import Call


def long_call(calls: list[Call], n: int) -> Call:
    """One call of ``n`` passages: the corpus calls back to back, labels removed."""
    ps = []
    while len(ps) < n:
        for c in calls:
            for p in c.passages:
                ps.append(replace(p, index=len(ps), behavior=None, stage=None, start=None, end=None))
                if len(ps) == n:
                    break
            if len(ps) == n:
                break
    return Call("bench-long", tuple(ps), title=f"{n} passages from the corpus")


def vtt_stamp(sec: float) -> str:
    ms = int(round(sec * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def teams_name(speaker: str | None, role: str | None) -> str:
    name = speaker or "Speaker"
    if role == "seller":
        parts = name.split()
        return f"{parts[-1]}, {' '.join(parts[:-1])} (Contoso)" if len(parts) > 1 else f"{name} (Contoso)"
    return f"{name} (Guest)"


def write_hour_vtt(calls: list[Call], path: Path, cues: int = 1000, minutes: float = 60.0) -> dict:
    """A Teams-style WebVTT file of ``cues`` cues spread over ``minutes``; each cue one
    corpus passage (in order, with its speaker), timed in proportion to its words."""
    passages = [p for c in calls for p in c.passages][:cues]
    total_words = sum(max(1, p.words) for p in passages)
    span = minutes * 60.0
    gap = 0.4
    speak = span - gap * len(passages)
    lines = ["WEBVTT", "", "NOTE", "Generated for bench_annotate.py in the style of Microsoft Teams.", ""]
    t = 0.0
    for i, p in enumerate(passages):
        dur = speak * max(1, p.words) / total_words
        text = p.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"7b1e29c4-55d3-4f0a-9a7e-2c1f2b8d0e11/{i // 2 + 1}-{i % 2}",
                  f"{vtt_stamp(t)} --> {vtt_stamp(t + dur)}",
                  f"<v {teams_name(p.speaker, p.role)}>{text}</v>", ""]
        t += dur + gap
    path.write_text("\n".join(lines), encoding="utf-8")
    return {"cues": len(passages), "words": sum(p.words for p in passages), "minutes": t / 60.0,
            "bytes": path.stat().st_size}


def run_cmd(args: list[str], runs: int) -> tuple[float, list[float], str]:
    out = ""

    def once():
        nonlocal out
        r = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
        if r.returncode != 0:
            sys.exit(f"error: {' '.join(args)} exited {r.returncode}:\n{r.stderr[-2000:]}")
        out = r.stdout

    med, times = median_time(once, runs)
    return med, times, out


def folder_size(path: Path) -> dict[str, int]:
    return {f.name: f.stat().st_size for f in sorted(path.iterdir()) if f.is_file()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(REPO / "corpora" / "default"))
    ap.add_argument("--model", default=str(REPO / "models" / "default"))
    ap.add_argument("--passages", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cli-runs", type=int, default=5)
    ap.add_argument("--skip-train", action="store_true")
    ap.add_argument("--json", dest="json_out", metavar="FILE")
    args = ap.parse_args(argv)
    exe = callreview_exe()
    calls = read_corpus(args.corpus)
    model_dir = Path(args.model)
    res: dict = {"machine": machine(), "corpus": args.corpus, "model": str(model_dir)}
    print(f"{machine()}")

    # (a) annotate in process
    from callreview.artifacts import load_model
    from callreview.classify import annotate

    t_load, model = timed(lambda: load_model(model_dir))
    big = long_call(calls, args.passages)
    words = sum(p.words for p in big.passages)
    t_first, _ = timed(lambda: annotate([big], model))
    med5, all5 = median_time(lambda: annotate([big], model), args.runs)
    med0, all0 = median_time(lambda: annotate([big], model, explain=0), args.runs)
    res["annotate_in_process"] = {"passages": len(big.passages), "words": words, "load_model_s": t_load,
                                  "first_run_s": t_first, "median_s": med5, "runs_s": all5,
                                  "median_explain0_s": med0, "runs_explain0_s": all0}
    print(f"\n(a) callreview.classify.annotate([call], model) on one call of {len(big.passages):,} passages "
          f"({words:,} words), model loaded (load_model took {t_load:.2f}s incl. first imports)")
    print(f"    first run in the process (builds the spaCy matcher): {t_first:.2f}s")
    print(f"    median of {args.runs}, explain=5 (default): {med5:.2f}s  "
          f"({len(big.passages) / med5:,.0f} passages/s)   runs: {', '.join(f'{x:.2f}' for x in all5)}")
    print(f"    median of {args.runs}, explain=0:           {med0:.2f}s  "
          f"({len(big.passages) / med0:,.0f} passages/s)   runs: {', '.join(f'{x:.2f}' for x in all0)}")

    with tempfile.TemporaryDirectory(prefix="callreview-bench-") as tmp:
        tmp = Path(tmp)
        # (b) CLI from a cold start
        vtt = tmp / "one-hour-teams.vtt"
        info = write_hour_vtt(calls, vtt)
        r = subprocess.run([exe, "inspect", "--json", str(vtt)], capture_output=True, text=True, cwd=REPO)
        n_read = sum(len(json.loads(line)["passages"]) for line in r.stdout.split("\n") if line.strip())
        info["passages_read"] = n_read
        print(f"\n(b) one-hour Teams WebVTT: {info['cues']:,} cues, {info['words']:,} words, timings over "
              f"{info['minutes']:.0f} min, {info['bytes'] / 1024:.0f} KiB; callreview reads {n_read:,} passages "
              "(consecutive cues of one speaker merge)")
        cli = {}
        for label, cmd in (("annotate", [exe, "annotate", "--model", str(model_dir), str(vtt)]),
                           ("help", [exe, "--help"]),
                           ("inspect", [exe, "inspect", str(vtt)])):
            med, times, _ = run_cmd(cmd, args.cli_runs)
            text = " ".join(["callreview", *cmd[1:]]).replace(str(vtt), "one-hour-teams.vtt")
            text = text.replace(str(model_dir), shown(model_dir))
            cli[label] = {"command": text, "median_s": med, "runs_s": times}
            print(f"    {text}: median of {args.cli_runs} {med:.2f}s   runs: {', '.join(f'{x:.2f}' for x in times)}")
        res["cli_cold_start"] = {"file": info, **cli}

        # (c) training
        if not args.skip_train:
            print("\n(c) training on", shown(args.corpus))
            res["train"] = {}
            for folds in (5, 0):
                out = tmp / f"model-f{folds}"
                cmd = [exe, "train", "--corpus", args.corpus, "--out", str(out), "--folds", str(folds), "--quiet"]
                t, _, stdout = run_cmd(cmd, 1)
                text = f"callreview train --corpus {shown(args.corpus)} --out TMP --folds {folds}"
                res["train"][f"folds_{folds}"] = {"command": text, "seconds": t, "stdout": stdout.strip()}
                print(f"    {text}: {t:.0f}s")
                for line in stdout.strip().splitlines():
                    print(f"      {line}")

    # (d) model folder size
    sizes = folder_size(model_dir)
    res["model_folder_bytes"] = sizes
    print(f"\n(d) size of {shown(model_dir)}: {sum(sizes.values()) / 1e6:.2f} MB  "
          + ", ".join(f"{k} {v / 1e6:.2f} MB" if v > 1e5 else f"{k} {v / 1e3:.1f} kB" for k, v in sizes.items()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
