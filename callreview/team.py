"""The team a call is compared with: one definition for ``coach``, ``report``, the review
app and the exports.

A team is the calls with outcomes and labels that a call (or the team report) is read
against, and where they came from. :func:`load_team` decides which, in this order:

1. **files** named by the user (``coach --against``, ``report FILE...``, ``review
   --against``, ``export --against``): corpus files or folders, or any transcript format
   :func:`callreview.formats.load_calls` reads;
2. **the review store** when asked for (``report --store``, ``coach --store``): the
   reviewed calls as the manager decided them (:meth:`Store.reviewed_calls`: decided labels
   only, the current outcome and seller), those with an outcome. This is exactly what
   ``callreview reviews export`` writes, so reporting on the store and on that export give
   the same table;
3. **the shipped corpus** (:func:`callreview.corpora.default_corpus_dir`) when nothing is named;
4. else, where a store is open (the review app), its reviewed calls with an outcome.

Calls with unlabeled passages are labeled by the model first, keeping every label they
carry (:func:`annotate_missing`): a raw transcript in a team file, or the passages of a
reviewed call the manager has not decided yet. The model is loaded only when a call needs
it. Calls without an outcome stay in the team and are left out (and counted) when it is
split by outcome (:func:`callreview.insights.split_by_outcome`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from .errors import UsageError
from .records import Call

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store
    from .taxonomy import Taxonomy

FILES = "files"
STORE = "store"
SHIPPED = "shipped"

#: a loaded model (callreview.artifacts.Model), a model folder, or None for the current model
ModelLike = Any


@dataclass(frozen=True)
class Team:
    """The calls a call is compared with, where they came from, and how many the model labeled."""

    calls: tuple[Call, ...]
    #: as shown to a manager: "team.jsonl" (file names, not paths), "the shipped corpus",
    #: "the review store"
    source: str
    #: FILES, STORE or SHIPPED
    kind: str
    #: calls that had unlabeled passages and were labeled by the model
    n_annotated: int = 0

    def against(self, call: Call | None = None) -> list[Call]:
        """The team a call is coached against: every call but the call itself (same call_id)."""
        return [c for c in self.calls if call is None or c.call_id != call.call_id]

    def size(self, call: Call | None = None, taxonomy: "Taxonomy | None" = None) -> tuple[int, int]:
        """(successful, other) calls the comparison uses (without ``call``)."""
        from .insights import split_by_outcome

        split = split_by_outcome(self.against(call), taxonomy)
        return len(split.success), len(split.other)

    def describe(self, call: Call | None = None, taxonomy: "Taxonomy | None" = None) -> str:
        """'7 successful and 5 other calls from team.jsonl'."""
        ns, no = self.size(call, taxonomy)
        return f"{ns} successful and {no} other calls from {self.source}"


# --------------------------------------------------------------------------- reading


def _files(path: str | Path) -> list[Path]:
    """A file, or the corpus .jsonl files of a folder."""
    p = Path(path)
    if p.is_dir():
        from .corpora import corpus_files

        return corpus_files(p)
    return [p]


def load_paths(paths: Iterable[str | Path], sellers: Sequence[str] = (), input_format: str = "auto",
               warn: Callable[[str], None] | None = None) -> list[Call]:
    """The calls in files (any format the readers know) or corpus folders."""
    from .formats import load_calls

    calls: list[Call] = []
    for path in paths:
        for f in _files(path):
            calls.extend(load_calls(f, format=input_format, sellers=tuple(sellers), warn=warn))
    return calls


def needs_model(call: Call) -> bool:
    """The call has passages without a behavior label. A plan never does: its lines get
    elements from a plan model, not behaviors (:mod:`callreview.plan_coach`)."""
    if call.is_plan:
        return False
    return any(not p.behavior for p in call.passages)


def annotate_missing(calls: Sequence[Call], model: ModelLike = None) -> tuple[list[Call], int]:
    """Label the calls that have unlabeled passages with the model, keeping the labels they
    have; the others are returned as they are. ``model``: a loaded model, a model folder, or
    None for the current model (loaded only when some call needs it)."""
    todo = [i for i, c in enumerate(calls) if needs_model(c)]
    out = list(calls)
    if not todo:
        return out, 0
    from .classify import annotate

    if model is None or isinstance(model, (str, Path)):
        from .artifacts import load_model

        model = load_model(model)
    for i, c in zip(todo, annotate([calls[i] for i in todo], model, keep_labels=True)):
        out[i] = c
    return out, len(todo)


# --------------------------------------------------------------------------- the team


def from_paths(paths: Sequence[str | Path], *, model: ModelLike = None, input_format: str = "auto",
               warn: Callable[[str], None] | None = None) -> Team:
    calls, n = annotate_missing(load_paths(paths, input_format=input_format, warn=warn), model)
    return Team(tuple(calls), ", ".join(Path(p).name for p in paths), FILES, n)


def store_calls(store: "Store") -> list[Call]:
    """The store's reviewed calls that have an outcome, as ``reviews export`` writes them."""
    return [c for c in store.reviewed_calls() if c.outcome]


def from_store(store: "Store", *, model: ModelLike = None) -> Team:
    calls, n = annotate_missing(store_calls(store), model)
    return Team(tuple(calls), "the review store", STORE, n)


def shipped(*, model: ModelLike = None) -> Team | None:
    """The shipped corpus as the team, or None when it is not installed."""
    from .corpora import default_corpus_dir

    folder = default_corpus_dir()
    if folder is None:
        return None
    calls, n = annotate_missing(load_paths([folder]), model)
    return Team(tuple(calls), "the shipped corpus", SHIPPED, n)


def load_team(paths: Sequence[str | Path] | None = None, *, store: "Store | None" = None,
              use_store: bool = False, model: ModelLike = None, input_format: str = "auto",
              warn: Callable[[str], None] | None = None) -> Team:
    """The team, in the order of the module docstring: ``paths``; the store when
    ``use_store``; the shipped corpus; the store's reviewed calls when ``store`` is open.
    Raises :class:`UsageError` (with the remedy) when there is none."""
    if paths:
        return from_paths(paths, model=model, input_format=input_format, warn=warn)
    if use_store:
        if store is None:
            raise UsageError("no review store to read the team from",
                             hint="pass --store PATH, or set CALLREVIEW_STORE")
        return from_store(store, model=model)
    team = shipped(model=model)
    if team is not None:
        return team
    if store is not None:
        return from_store(store, model=model)
    raise UsageError("no team calls to compare against: the shipped corpora/default was not found",
                     hint="pass --against PATH with your team's labeled calls (a corpus .jsonl file or a "
                          "folder of them), or --store to use the reviewed calls")


__all__ = ["Team", "FILES", "STORE", "SHIPPED", "load_team", "from_paths", "from_store", "shipped",
           "store_calls", "load_paths", "annotate_missing", "needs_model"]
