"""Reports and data out: every review leaves the tool in the forms people use.

    >>> from callreview.export import from_store, render, write_atomic
    >>> data = from_store(store, "northwind-0412")          # or from_files([...], model=...)
    >>> write_atomic("northwind.html", render([data], "html"))

The core builds one :class:`ReportData` per call (:mod:`.report`) and each format renders
that one structure:

``md`` / ``html`` / ``docx``
    the coaching report a seller reads (:mod:`.markdown`, :mod:`.html_report`,
    :mod:`.docx_report`, all laid out from :func:`.view.report_view`);
``csv``
    one row per passage for spreadsheets, formula-injection safe (:mod:`.data`);
``json``
    the full review as structured data;
``jsonl``
    corpus format v1, the retraining interchange (via :mod:`callreview.corpora`).

Redaction (:func:`redacted`) is applied to the ReportData before rendering, so it is the
same in every format. :func:`render` returns ``str`` (``bytes`` for docx); only
:func:`write_atomic` touches the file system.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import UsageError
from ..files import write_atomic
from .report import MODEL, REVIEW, Decision, Evidence, ReportData, from_call, from_files, from_store, redacted

if TYPE_CHECKING:  # pragma: no cover
    from ..taxonomy import Taxonomy

__all__ = [
    "FORMATS", "REPORT_FORMATS", "DATA_FORMATS", "BINARY_FORMATS", "ReportData", "Decision", "Evidence",
    "from_store", "from_call", "from_files", "redacted", "render", "write_atomic", "format_for_path",
    "REVIEW", "MODEL",
]

#: every export format
FORMATS = ("md", "html", "docx", "csv", "json", "jsonl")
#: the coaching report a seller reads
REPORT_FORMATS = ("md", "html", "docx")
#: data for the team (also what ``--all`` writes)
DATA_FORMATS = ("csv", "json", "jsonl")
#: formats that cannot go to a terminal
BINARY_FORMATS = ("docx",)

_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx",
             ".csv": "csv", ".json": "json", ".jsonl": "jsonl"}


def format_for_path(path: str | os.PathLike[str] | None) -> str | None:
    """The format a file name asks for (``report.html`` -> "html"), or None."""
    if path is None or str(path) == "-":
        return None
    return _SUFFIXES.get(Path(path).suffix.lower())


def render(reports: Sequence[ReportData], fmt: str, taxonomy: "Taxonomy | None" = None) -> str | bytes:
    """The reports in one format: a ``str`` for text formats, ``bytes`` for docx."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint="use --format " + "|".join(FORMATS))
    if fmt == "md":
        from . import markdown

        return markdown.render(reports, taxonomy)
    if fmt == "html":
        from . import html_report

        return html_report.render(reports, taxonomy)
    if fmt == "docx":
        from . import docx_report

        return docx_report.render(reports, taxonomy)
    from . import data

    if fmt == "csv":
        return data.render_csv(reports)
    if fmt == "json":
        return data.render_json(reports)
    return data.render_jsonl(reports)


