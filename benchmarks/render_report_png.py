"""Render docs/report-sample.png: the HTML coaching report of a sample call, as headless
Chromium shows it.

The sample is call ``fieldservice-1011`` of corpora/default (a software demo that ended
in "maybe next month"). It is labeled by the current model, put in a throw-away review
store, and reviewed the way a manager would: the corpus's human labels stand in for the
manager's corrections where the model got a passage wrong, every other label is
accepted, and a few comments and the call-level feedback are written below.

    python benchmarks/render_report_png.py                 # writes docs/report-sample.png
    python benchmarks/render_report_png.py --check-docx    # also DOCX -> PDF -> PNG pages

Needs /usr/bin/chromium (Debian: apt-get install -y chromium); ``--check-docx`` also
needs LibreOffice (soffice) and pdftoppm. Nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL_ID = "fieldservice-1011"
MANAGER = "Alex Moreno"

COMMENTS = {
    6: "You set the agenda as a tour of the whole platform before knowing what they need. "
       "Try: \"I'd like to understand how scheduling works for you today, then show only what fits.\"",
    24: "This is the question that opened the call up, and it came three minutes in, after the tour. "
        "Lead with it next time.",
    29: "Good: you tied the dispatch board straight back to the two trucks on Culebra.",
    34: "Lupe raised price and you answered before understanding it. Ask what they had in mind, "
        "then connect it to the three weeks of unbilled invoices.",
    41: "Asking for the agreement on a first demo was too big a step for where they were. "
        "A smaller next step (a one-week trial of the board for Carla) fits better.",
}
FEEDBACK = {
    "strengths": "A friendly, relaxed opening, and once you asked about their headaches you listened: the two "
                 "trucks on Culebra and the three weeks of unbilled invoices are exactly the pain worth solving. "
                 "Your answer about the dispatch board tied straight back to it.",
    "improve": "The call was a feature tour first and discovery second: three minutes of screens before the "
               "first problem question. When Lupe and Carla raised price, the older techs and setup time, each "
               "answer was a quick reassurance rather than a question. Asking them to sign on a first demo "
               "pushed them to \"maybe next month\".",
    "focus": "Open with two or three questions about how their day runs before you share your screen, and when "
             "a concern comes up, ask one question about it before you answer.",
}


def build_report(store_dir: Path):
    from callreview.artifacts import load_model
    from callreview.classify import annotate
    from callreview.corpora import read_corpus
    from callreview.export import from_store
    from callreview.records import TASKS
    from callreview.store import Store

    gold = next(c for c in read_corpus(ROOT / "corpora" / "default") if c.call_id == CALL_ID)
    model = load_model()
    predicted = annotate([gold], model, keep_labels=False)[0]
    store = Store.open(store_dir / "reviews.sqlite3")
    cid = store.add_call(predicted, seller="Bryce Langford").call_id
    for p, g in zip(predicted.passages, gold.passages):
        for task in TASKS:
            if p.predictions[task].label == g.label(task):
                store.decide(cid, p.index, task, "accept", reviewer=MANAGER)
            else:
                store.decide(cid, p.index, task, "relabel", g.label(task), reviewer=MANAGER)
    for index, text in COMMENTS.items():
        store.comment(cid, index, text, reviewer=MANAGER)
    store.set_feedback(cid, reviewer=MANAGER, **FEEDBACK)
    store.set_status(cid, "done", reviewer=MANAGER)
    data = from_store(store, cid)
    store.close()
    return data


def chromium_screenshot(html_file: Path, png: Path, size: str = "1200,2400") -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={size}",
                        html_file.as_uri()], check=True, capture_output=True, timeout=120)


def docx_pages(docx_file: Path, out_dir: Path) -> list[Path]:
    """Convert the Word report to PDF with LibreOffice, then each page to PNG."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_file)],
                   check=True, capture_output=True, timeout=300)
    pdf = out_dir / (docx_file.stem + ".pdf")
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(out_dir / "page")], check=True, timeout=120)
    return sorted(out_dir.glob("page*.png"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report-sample.png")
    ap.add_argument("--check-docx", action="store_true", help="also render the Word report through LibreOffice")
    ap.add_argument("--keep", type=Path, default=None, help="keep the HTML/DOCX/PDF/PNG files in this folder")
    args = ap.parse_args(argv)

    from callreview.export import render, write_atomic

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        data = build_report(Path(tmp))
        html_file = work / "report-sample.html"
        write_atomic(html_file, render([data], "html"))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        chromium_screenshot(html_file, args.out)
        print(f"wrote {args.out}")
        if args.check_docx:
            docx_file = work / "report-sample.docx"
            write_atomic(docx_file, render([data], "docx"))
            pages = docx_pages(docx_file, work)
            print(f"DOCX rendered by LibreOffice: {len(pages)} pages")
            for p in pages:
                print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
