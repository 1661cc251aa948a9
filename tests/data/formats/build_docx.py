"""Build the Microsoft Teams .docx transcripts the docx tests read, with python-docx.

Two layouts Teams has produced (see callreview/formats/teams_docx.py):

- ``current``: a title block, then per turn a "Name   m:ss" line and the text, in one
  paragraph with a line break (as Teams writes it) or in two paragraphs;
- ``cues``: the older layout, "00:00:03.120 --> 00:00:07.000", then the speaker, then the
  text, one paragraph each.

Run ``python build_docx.py OUTDIR`` to write both files; the tests call the functions.
"""

from __future__ import annotations

import sys
from pathlib import Path

TURNS = [
    ("Dana Ortiz", "0:03", "Thanks for making the time, Sam. I'd like to hear how returns work today."),
    ("Sam Lee", "0:11", "Sure. Honestly it's a mess; we lose about a week a month to it."),
    ("Dana Ortiz", "0:19", "Where does the week go?"),
    ("Dana Ortiz", "0:22", "Is it the labels, or the refunds?"),
    ("Sam Lee", "1:02:05", "Mostly refunds & chasing approvals."),
]


def current_layout(path: Path, *, line_breaks: bool = True) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Returns discovery - Northwind")
    document.add_paragraph("October 14, 2024, 3:02PM")
    document.add_paragraph("1h 2m 30s")
    document.add_paragraph("Dana Ortiz started transcription")
    for name, ts, text in TURNS:
        if line_breaks:
            para = document.add_paragraph()
            para.add_run(f"{name}   {ts}")
            para.add_run().add_break()
            para.add_run(text)
        else:
            document.add_paragraph(f"{name}   {ts}")
            document.add_paragraph(text)
    document.add_paragraph("Dana Ortiz stopped transcription")
    document.save(path)
    return path


def cue_layout(path: Path) -> Path:
    import docx

    cues = [
        ("00:00:03.120 --> 00:00:07.000", "Dana Ortiz", "Thanks for making the time, Sam."),
        ("0:0:7.200 --> 0:0:10.500", "Dana Ortiz", "I'd like to hear how returns work today."),
        ("00:00:11.000 --> 00:00:18.250", "Sam Lee", "Honestly it's a mess; we lose about a week a month to it."),
        ("00:00:19.000 --> 00:00:21.000", "Dana Ortiz", "Where does the week go?"),
    ]
    document = docx.Document()
    for timing, name, text in cues:
        document.add_paragraph(timing)
        document.add_paragraph(name)
        document.add_paragraph(text)
    document.save(path)
    return path


def not_a_transcript(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Quarterly business review")
    document.add_paragraph("Revenue grew in every region except the north-east.")
    document.save(path)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    current_layout(out / "teams_current.docx")
    cue_layout(out / "teams_cues.docx")
