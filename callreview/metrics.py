"""Per-call metrics: talk ratio, monologues, interactivity, questions, stages, commitment.

Every metric is a pure function of a :class:`~callreview.records.Call` (and the taxonomy that
says what its labels mean) and returns a :class:`Metric` that says how it was obtained:

``measured``
    computed from what the call holds: cue times for a time metric, words for a word
    count, human labels for a label count.
``estimated``
    a stand-in for what is missing: word shares instead of talk time when the call has no
    cue times, or counts that rest on labels the model predicted.
``not_computable``
    the call cannot tell (no times, written notes, no labels, or a taxonomy without the
    meaning). The value is then ``None``: a time is never made up.

Label names are never written here. The meanings the metrics need ("seller_question",
"buyer_objection", ...) are looked up in the taxonomy (``data/taxonomy.json``), so a team's
own taxonomy works unchanged. Published findings shown beside a value are data
(``data/references.json``), marked as correlations, not rules.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

from .records import Call, Passage
from .taxonomy import Taxonomy, default_taxonomy
from .vocabulary import ranges as _ranges

MEASURED = "measured"
ESTIMATED = "estimated"
NOT_COMPUTABLE = "not_computable"
METHODS = (MEASURED, ESTIMATED, NOT_COMPUTABLE)

#: Short reactions that do not take the floor: they do not end the other side's turn.
#: A passage is a backchannel when it has at most 3 words, all of them from this list.
BACKCHANNEL_WORDS = frozenset(
    "mm mmm mhm mhmm mm-hmm mm-hm uh-huh uh-hum hmm hm yeah yep yup ya right ok okay "
    "sure gotcha got it i see true exactly totally absolutely alright all cool great nice "
    "oh ah wow interesting sounds good".split()
)
#: Filler words and phrases counted by :func:`filler_rate` (English).
FILLER_PATTERN = re.compile(r"\b(?:u+m+|u+h+m*|e+r+m+|e+r+|a+h+|you know|i mean)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9'\-]+")


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """A published finding shown beside a metric: a correlation, not a rule."""

    key: str
    statement: str
    source: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    sample: str | None = None
    year: int | None = None
    url: str | None = None
    applies_to: str | None = None
    kind: str = "published correlation"

    def describe(self) -> str:
        """One line: the figure, then the source."""
        if self.low is not None and self.high is not None:
            figure = f"{_num(self.low)}-{_num(self.high)} {self.unit or ''}".strip()
        elif self.value is not None:
            figure = f"{_num(self.value)}{'' if self.unit == '%' else ' '}{self.unit or ''}".strip()
        else:
            figure = ""
        where = f"{self.source}, {self.year}" if self.year else self.source
        head = f"{figure}: " if figure else ""
        return f"{head}{self.statement} ({where}; {self.kind}, not a rule)"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "kind": self.kind, "statement": self.statement,
                                "source": self.source}
        for name in ("value", "low", "high", "unit", "sample", "year", "url", "applies_to"):
            v = getattr(self, name)
            if v is not None:
                data[name] = v
        return data


@lru_cache(maxsize=1)
def load_references() -> Mapping[str, Reference]:
    """The shipped published references, by metric name."""
    text = resources.files("callreview").joinpath("data/references.json").read_text(encoding="utf-8")
    data = json.loads(text)
    kind = data.get("kind", "published correlation")
    out: dict[str, Reference] = {}
    for key, r in data.get("references", {}).items():
        out[key] = Reference(
            key=key, statement=r["statement"], source=r["source"], value=r.get("value"),
            low=r.get("low"), high=r.get("high"), unit=r.get("unit"), sample=r.get("sample"),
            year=r.get("year"), url=r.get("url"), applies_to=r.get("applies_to"), kind=r.get("kind", kind),
        )
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Metric:
    """One figure about a call, with how it was obtained and where it comes from."""

    name: str
    value: Any
    unit: str | None
    method: str
    reference: Reference | None = None
    #: how it was obtained, in words (and why not, when not computable)
    detail: str = ""
    #: the passages that are its evidence (e.g. the longest monologue, the questions)
    passages: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        if self.method == NOT_COMPUTABLE and self.value is not None:
            raise ValueError("a metric that is not computable has no value")

    @property
    def computable(self) -> bool:
        return self.method != NOT_COMPUTABLE

    def to_json(self) -> dict[str, Any]:
        value = round(self.value, 4) if isinstance(self.value, float) else self.value
        return {
            "name": self.name,
            "value": value,
            "unit": self.unit,
            "method": self.method,
            "detail": self.detail,
            "passages": list(self.passages),
            "reference": self.reference.to_json() if self.reference else None,
        }


@dataclass(frozen=True)
class StageSpan:
    """A run of consecutive passages with the same stage."""

    stage: str | None
    first: int
    last: int
    n_passages: int
    #: share of the call: of its time when measured, of its words when estimated
    share: float
    #: seconds from the span's first start to the next span's start (or its own last end)
    seconds: float | None = None
    start: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "first": self.first,
            "last": self.last,
            "n_passages": self.n_passages,
            "share": round(self.share, 4),
            "seconds": None if self.seconds is None else round(self.seconds, 2),
            "start": self.start,
        }


@dataclass(frozen=True)
class ObjectionPoint:
    """A buyer objection and whether the seller's next turn answered it."""

    index: int
    text: str
    answered: bool
    time: float | None = None
    #: the seller passage that answered it
    response: int | None = None
    #: the seller passages of the next turn that were checked for a response
    checked: tuple[int, ...] = ()

    @property
    def where(self) -> str:
        return format_time(self.time) if self.time is not None else f"passage {self.index}"

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "time": self.time, "where": self.where, "text": self.text,
                "answered": self.answered, "response": self.response}


@dataclass(frozen=True)
class CallMetrics:
    """All the metrics of one call."""

    call_id: str
    kind: str
    outcome: str | None
    n_passages: int
    timed: bool
    metrics: tuple[Metric, ...]
    timeline: tuple[StageSpan, ...] = ()
    timeline_method: str = NOT_COMPUTABLE
    objections: tuple[ObjectionPoint, ...] = ()
    title: str | None = None
    notes: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def get(self, name: str) -> Metric | None:
        try:
            return self[name]
        except KeyError:
            return None

    def to_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "title": self.title,
            "kind": self.kind,
            "outcome": self.outcome,
            "n_passages": self.n_passages,
            "timed": self.timed,
            "metrics": [m.to_json() for m in self.metrics],
            "timeline": {"method": self.timeline_method, "spans": [s.to_json() for s in self.timeline]},
            "objections": [o.to_json() for o in self.objections],
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- helpers


def format_time(seconds: float | None) -> str:
    """12:03, or 1:02:03 past an hour."""
    if seconds is None:
        return "?"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def is_backchannel(passage: Passage) -> bool:
    """A short reaction ("mm-hmm", "right", "got it") that does not take the floor."""
    tokens = _TOKEN.findall(passage.text.lower())
    return 0 < len(tokens) <= 3 and all(t in BACKCHANNEL_WORDS for t in tokens)


def side(passage: Passage, taxonomy: Taxonomy | None = None) -> str | None:
    """seller, buyer or other: the role, else what the behavior label implies, else None."""
    if passage.role in ("seller", "buyer", "other"):
        return passage.role
    tax = taxonomy or default_taxonomy()
    if passage.behavior in tax.seller_behaviors:
        return "seller"
    if passage.behavior in tax.buyer_behaviors:
        return "buyer"
    return None


def is_timed(call: Call) -> bool:
    """Every passage has a start and an end time (a transcript with cue times)."""
    return call.kind != "notes" and all(p.start is not None and p.end is not None for p in call.passages)


def _nc(name: str, unit: str | None, why: str, ref: Reference | None = None) -> Metric:
    return Metric(name, None, unit, NOT_COMPUTABLE, ref, why)


def _ref(name: str, references: Mapping[str, Reference] | None) -> Reference | None:
    refs = load_references() if references is None else references
    return refs.get(name)


def where(passage: Passage) -> str:
    """The passage's time when known, else its number."""
    return format_time(passage.start) if passage.start is not None else f"passage {passage.index}"


def _excerpt(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class _Labels:
    """How the call's behavior labels can be read with this taxonomy."""

    usable: bool
    why: str
    method: str
    detail: str


def _label_status(call: Call, taxonomy: Taxonomy) -> _Labels:
    labeled = [p for p in call.passages if p.behavior]
    if not labeled:
        return _Labels(False, "the call has no behavior labels (annotate it with a model first)",
                       NOT_COMPUTABLE, "")
    if taxonomy.behaviors and not any(p.behavior in taxonomy.behaviors for p in labeled):
        return _Labels(False, f"the call's behavior labels are not in taxonomy {taxonomy.name!r}",
                       NOT_COMPUTABLE, "")
    from_model = sum(1 for p in labeled
                     if "behavior" in p.predictions and p.predictions["behavior"].label == p.behavior)
    missing = len(call.passages) - len(labeled)
    parts = ["from the behavior labels"]
    if from_model:
        parts.append(f"{from_model} of {len(labeled)} predicted by the model")
    if missing:
        parts.append(f"{missing} passages unlabeled, not counted")
    method = ESTIMATED if from_model else MEASURED
    return _Labels(True, "", method, "; ".join(parts))


def _with(tax: Taxonomy, meaning: str) -> frozenset[str]:
    return tax.labels(meaning)


# --------------------------------------------------------------------------- time and talk


def duration(call: Call) -> Metric:
    """Seconds from the first passage's start to the last passage's end."""
    if call.kind == "notes":
        return _nc("duration", "s", "written call notes have no times")
    starts = [p.start for p in call.passages if p.start is not None]
    ends = [p.end for p in call.passages if p.end is not None]
    if not starts or not ends:
        return _nc("duration", "s", "the call has no cue times")
    return Metric("duration", max(ends) - min(starts), "s", MEASURED,
                  detail="from the first cue's start to the last cue's end")


def talk_ratio(call: Call, taxonomy: Taxonomy | None = None,
               references: Mapping[str, Reference] | None = None) -> Metric:
    """The seller side's share of all talk, in percent."""
    tax = taxonomy or default_taxonomy()
    ref = _ref("talk_ratio", references)
    if call.kind == "notes":
        return _nc("talk_ratio", "%", "written call notes have no talk time", ref)
    sided = [(p, side(p, tax)) for p in call.passages]
    known = [(p, s) for p, s in sided if s is not None]
    unknown = len(sided) - len(known)
    if not any(s == "seller" for _, s in known):
        return _nc("talk_ratio", "%", "no passage is known to be the seller's (set roles or --seller)", ref)
    note = f"; {unknown} passages with no known side left out" if unknown else ""
    if is_timed(call):
        total = sum(p.duration or 0.0 for p, _ in known)
        seller = sum(p.duration or 0.0 for p, s in known if s == "seller")
        if total > 0:
            return Metric("talk_ratio", 100.0 * seller / total, "%", MEASURED, ref,
                          f"seller talk {seller:.1f} s of {total:.1f} s, from cue times{note}")
    total_w = sum(p.words for p, _ in known)
    seller_w = sum(p.words for p, s in known if s == "seller")
    if total_w == 0:
        return _nc("talk_ratio", "%", "the call has no words", ref)
    return Metric("talk_ratio", 100.0 * seller_w / total_w, "%", ESTIMATED, ref,
                  f"seller words {seller_w} of {total_w}: the word share stands in for talk time "
                  f"(no cue times){note}")


def _runs(call: Call, who: str, tax: Taxonomy) -> list[list[int]]:
    """Runs of consecutive passages of one side; the other side's backchannels don't break them."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for p in call.passages:
        s = side(p, tax)
        if s == who:
            cur.append(p.index)
        elif cur and is_backchannel(p):
            continue
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def longest_run(call: Call, who: str, taxonomy: Taxonomy | None = None,
                references: Mapping[str, Reference] | None = None) -> Metric:
    """The seller's longest monologue (who="seller") or the buyer's longest story (who="buyer").

    A run is consecutive passages of one side; a short backchannel from the other side
    ("mm-hmm", "right") does not end it. Measured in seconds from the run's first start to
    its last end when the call has cue times, else estimated in words.
    """
    tax = taxonomy or default_taxonomy()
    name = "longest_seller_monologue" if who == "seller" else "longest_buyer_story"
    ref = _ref(name, references)
    if call.kind == "notes":
        return _nc(name, "s", "written call notes have no turns or talk time", ref)
    by_index = {p.index: p for p in call.passages}
    runs = _runs(call, who, tax)
    if not runs:
        return _nc(name, "s", f"no passage is known to be the {who}'s", ref)
    if is_timed(call):
        def secs(run: list[int]) -> float:
            return max(0.0, by_index[run[-1]].end - by_index[run[0]].start)  # type: ignore[operator]
        best = max(runs, key=secs)
        return Metric(name, secs(best), "s", MEASURED, ref,
                      f"passages {_ranges(best)}, from cue times; the other side's short backchannels "
                      "do not break a turn", tuple(best))

    def words(run: list[int]) -> int:
        return sum(by_index[i].words for i in run)
    best = max(runs, key=words)
    return Metric(name, words(best), "words", ESTIMATED, ref,
                  f"passages {_ranges(best)}, in words (no cue times, so no seconds)", tuple(best))


def _speaker_key(p: Passage, tax: Taxonomy) -> str | None:
    return p.speaker or side(p, tax)


def interactivity(call: Call, taxonomy: Taxonomy | None = None) -> Metric:
    """Speaker switches per minute (with cue times) or per 100 words (without)."""
    tax = taxonomy or default_taxonomy()
    if call.kind == "notes":
        return _nc("interactivity", "switches/min", "written call notes are not turns")
    keys = [k for k in (_speaker_key(p, tax) for p in call.passages) if k is not None]
    if len(keys) < len(call.passages):
        return _nc("interactivity", "switches/min", "some passages have no speaker or role")
    switches = sum(1 for a, b in zip(keys, keys[1:]) if a != b)
    d = duration(call)
    if is_timed(call) and d.value:
        return Metric("interactivity", switches / (d.value / 60.0), "switches/min", MEASURED,
                      detail=f"{switches} speaker switches in {d.value / 60.0:.1f} min")
    words = sum(p.words for p in call.passages)
    return Metric("interactivity", 100.0 * switches / words, "switches/100 words", ESTIMATED,
                  detail=f"{switches} speaker switches in {words} words (no cue times, so per 100 words)")


def patience(call: Call, taxonomy: Taxonomy | None = None) -> Metric:
    """Median pause (s) between the buyer's turn ending and the seller answering."""
    tax = taxonomy or default_taxonomy()
    if call.kind == "notes":
        return _nc("patience", "s", "written call notes have no times")
    pauses: list[float] = []
    at: list[int] = []
    ps = call.passages
    for prev, p in zip(ps, ps[1:]):
        if side(p, tax) == "seller" and side(prev, tax) == "buyer" and not is_backchannel(p):
            if p.start is not None and prev.end is not None:
                pauses.append(max(0.0, p.start - prev.end))
                at.append(p.index)
    if not pauses:
        return _nc("patience", "s", "no buyer-to-seller hand-over with cue times")
    return Metric("patience", float(statistics.median(pauses)), "s", MEASURED,
                  detail=f"median of {len(pauses)} pauses before the seller answered the buyer "
                  "(overlaps count as 0)", passages=tuple(at))


def talking_speed(call: Call, taxonomy: Taxonomy | None = None,
                  references: Mapping[str, Reference] | None = None) -> Metric:
    """The seller's words per minute of their own talk time."""
    tax = taxonomy or default_taxonomy()
    ref = _ref("talking_speed", references)
    if call.kind == "notes":
        return _nc("talking_speed", "wpm", "written call notes have no talk time", ref)
    seller = [p for p in call.passages if side(p, tax) == "seller"]
    if not seller:
        return _nc("talking_speed", "wpm", "no passage is known to be the seller's", ref)
    timed = [p for p in seller if p.duration]
    if not timed or len(timed) < len(seller):
        return _nc("talking_speed", "wpm", "the seller's passages have no cue times", ref)
    secs = sum(p.duration for p in timed)  # type: ignore[misc]
    words = sum(p.words for p in timed)
    return Metric("talking_speed", words / (secs / 60.0), "wpm", MEASURED, ref,
                  f"{words} seller words in {secs:.1f} s of seller talk")


def filler_rate(call: Call, taxonomy: Taxonomy | None = None) -> Metric:
    """The seller's filler words (um, uh, er, you know, I mean) per 100 words."""
    tax = taxonomy or default_taxonomy()
    if call.kind == "notes":
        return _nc("filler_rate", "per 100 words", "written call notes are not speech")
    seller = [p for p in call.passages if side(p, tax) == "seller"]
    words = sum(p.words for p in seller)
    if not words:
        return _nc("filler_rate", "per 100 words", "no words known to be the seller's")
    hits = [(p.index, len(FILLER_PATTERN.findall(p.text))) for p in seller]
    n = sum(c for _, c in hits)
    return Metric("filler_rate", 100.0 * n / words, "per 100 words", MEASURED,
                  detail=f"{n} fillers (um, uh, er, ah, you know, I mean) in {words} seller words",
                  passages=tuple(i for i, c in hits if c))


# --------------------------------------------------------------------------- labels


def question_counts(call: Call, taxonomy: Taxonomy | None = None,
                    references: Mapping[str, Reference] | None = None) -> list[Metric]:
    """Seller questions (total and by type) from the labels; buyer questions."""
    tax = taxonomy or default_taxonomy()
    st = _label_status(call, tax)
    q_labels = _with(tax, "seller_question")
    types: dict[str, None] = {}
    for lab in sorted(q_labels, key=lambda x: tax.behaviors.index(x) if x in tax.behaviors else 99):
        types.setdefault(tax.question_type(lab) or lab, None)
    out: list[Metric] = []
    if not st.usable or not q_labels:
        why = st.why or f"taxonomy {tax.name!r} has no label meaning 'seller_question'"
        out.append(_nc("seller_questions", "questions", why, _ref("seller_questions", references)))
        for t in types:
            name = f"seller_questions.{t}"
            out.append(_nc(name, "questions", why, _ref(name, references)))
    else:
        qs = [p.index for p in call.passages if p.behavior in q_labels]
        out.append(Metric("seller_questions", len(qs), "questions", st.method,
                          _ref("seller_questions", references), st.detail, tuple(qs)))
        for t in types:
            idx = tuple(p.index for p in call.passages
                        if p.behavior in q_labels and (tax.question_type(p.behavior) or p.behavior) == t)
            name = f"seller_questions.{t}"
            out.append(Metric(name, len(idx), "questions", st.method, _ref(name, references),
                              st.detail, idx))
    out.append(_buyer_questions(call, tax, st))
    return out


def _buyer_questions(call: Call, tax: Taxonomy, st: _Labels) -> Metric:
    labels = _with(tax, "buyer_question")
    if labels and st.usable:
        idx = tuple(p.index for p in call.passages if p.behavior in labels)
        return Metric("buyer_questions", len(idx), "questions", st.method, detail=st.detail, passages=idx)
    if call.kind == "notes":
        return _nc("buyer_questions", "questions",
                   "the taxonomy has no buyer-question label and notes do not mark questions")
    buyer = [p for p in call.passages if side(p, tax) == "buyer"]
    if not buyer:
        return _nc("buyer_questions", "questions", "no passage is known to be the buyer's")
    idx = tuple(p.index for p in buyer if "?" in p.text)
    return Metric("buyer_questions", len(idx), "questions", ESTIMATED,
                  detail="buyer passages with a question mark (the taxonomy has no buyer-question label)",
                  passages=idx)


def _count(call: Call, tax: Taxonomy, st: _Labels, name: str, meaning: str, unit: str,
           references: Mapping[str, Reference] | None) -> Metric:
    labels = _with(tax, meaning)
    ref = _ref(name, references)
    if not st.usable:
        return _nc(name, unit, st.why, ref)
    if not labels:
        return _nc(name, unit, f"taxonomy {tax.name!r} has no label meaning {meaning!r}", ref)
    idx = tuple(p.index for p in call.passages if p.behavior in labels)
    return Metric(name, len(idx), unit, st.method, ref, st.detail, idx)


def benefit_counts(call: Call, taxonomy: Taxonomy | None = None,
                   references: Mapping[str, Reference] | None = None) -> list[Metric]:
    """Benefits, the benefits that follow a need the buyer stated, plain information, needs."""
    tax = taxonomy or default_taxonomy()
    st = _label_status(call, tax)
    benefits = _count(call, tax, st, "benefits", "benefit", "statements", references)
    needs = _count(call, tax, st, "buyer_needs", "buyer_need", "statements", references)
    info = _count(call, tax, st, "information", "information", "statements", references)
    name = "benefits_linked_to_need"
    ref = _ref(name, references)
    if not benefits.computable or not needs.computable:
        linked = _nc(name, "statements", benefits.detail if not benefits.computable else needs.detail, ref)
    else:
        first_need = min(needs.passages) if needs.passages else None
        idx = tuple(i for i in benefits.passages if first_need is not None and i > first_need)
        linked = Metric(name, len(idx), "statements", st.method, ref,
                        "benefits that come after a need the buyer stated earlier in the call; "
                        + st.detail, idx)
    summaries = _count(call, tax, st, "summaries", "summary", "statements", references)
    return [benefits, linked, info, needs, summaries]


def commitment(call: Call, taxonomy: Taxonomy | None = None,
               references: Mapping[str, Reference] | None = None) -> list[Metric]:
    """Whether (and where) the seller asked for a commitment, and whether the buyer committed."""
    tax = taxonomy or default_taxonomy()
    st = _label_status(call, tax)
    out = []
    for name, meaning, who in (("commitment_requested", "commitment_request", "the seller asked"),
                               ("buyer_committed", "buyer_commitment", "the buyer committed")):
        labels = _with(tax, meaning)
        if not st.usable:
            out.append(_nc(name, None, st.why, _ref(name, references)))
            continue
        if not labels:
            out.append(_nc(name, None, f"taxonomy {tax.name!r} has no label meaning {meaning!r}"))
            continue
        hits = [p for p in call.passages if p.behavior in labels]
        if hits:
            detail = f"{who} at {', '.join(where(p) for p in hits[:5])}" + (" ..." if len(hits) > 5 else "")
        else:
            detail = f"never: no passage where {who}"
        out.append(Metric(name, bool(hits), None, st.method, _ref(name, references),
                          f"{detail}; {st.detail}", tuple(p.index for p in hits)))
    return out


def objections(call: Call, taxonomy: Taxonomy | None = None) -> tuple[ObjectionPoint, ...]:
    """Each buyer objection, and whether the seller's next turn responded to it.

    The seller's next turn is the first run of seller passages after the objection that is
    not a mere backchannel; the objection counts as answered when a passage of that run
    carries an "objection_response" label (in the default taxonomy that includes a benefit
    tied back to a need). A later answer, after the seller has moved on, does not count.
    """
    tax = taxonomy or default_taxonomy()
    obj, resp = _with(tax, "buyer_objection"), _with(tax, "objection_response")
    ps = call.passages
    out = []
    for i, p in enumerate(ps):
        if p.behavior not in obj:
            continue
        j = i + 1
        while j < len(ps) and (side(ps[j], tax) != "seller" or is_backchannel(ps[j])):
            j += 1
        response = None
        checked: list[int] = []
        while j < len(ps) and side(ps[j], tax) == "seller":
            checked.append(ps[j].index)
            if ps[j].behavior in resp:
                response = ps[j].index
                break
            j += 1
        out.append(ObjectionPoint(p.index, _excerpt(p.text), response is not None, p.start, response,
                                  tuple(checked)))
    return tuple(out)


def objection_metrics(call: Call, taxonomy: Taxonomy | None = None,
                      points: Sequence[ObjectionPoint] | None = None) -> list[Metric]:
    tax = taxonomy or default_taxonomy()
    st = _label_status(call, tax)
    if not st.usable:
        return [_nc("objections", "objections", st.why), _nc("objections_unanswered", "objections", st.why)]
    if not _with(tax, "buyer_objection"):
        why = f"taxonomy {tax.name!r} has no label meaning 'buyer_objection'"
        return [_nc("objections", "objections", why), _nc("objections_unanswered", "objections", why)]
    pts = objections(call, tax) if points is None else points
    un = [o for o in pts if not o.answered]
    return [
        Metric("objections", len(pts), "objections", st.method, detail=st.detail,
               passages=tuple(o.index for o in pts)),
        Metric("objections_unanswered", len(un), "objections", st.method,
               detail="objections the seller's next turn did not respond to; " + st.detail,
               passages=tuple(o.index for o in un)),
    ]


# --------------------------------------------------------------------------- stages


def stage_timeline(call: Call) -> tuple[tuple[StageSpan, ...], str]:
    """Ordered spans of consecutive passages with the same stage, and how shares were obtained.

    With cue times a span lasts from its first start to the next span's first start (the
    first from the call's start, the last to the call's end) and its share is of the call's
    duration (measured);
    without, the share is of the call's words (estimated) and there are no seconds.
    """
    groups: list[list[Passage]] = []
    for p in call.passages:
        if groups and groups[-1][-1].stage == p.stage:
            groups[-1].append(p)
        else:
            groups.append([p])
    if not any(p.stage for p in call.passages):
        return (), NOT_COMPUTABLE
    if is_timed(call):
        t0 = min(p.start for p in call.passages)  # type: ignore[type-var]
        t1 = max(p.end for p in call.passages)  # type: ignore[type-var]
        total = t1 - t0
        if total > 0:
            # boundaries between spans, kept in order and inside the call even when cues
            # overlap or run backwards, so the spans always add up to the call's duration
            bounds = [t0]
            for g in groups[1:]:
                bounds.append(min(max(bounds[-1], g[0].start), t1))  # type: ignore[type-var]
            bounds.append(t1)
            spans = []
            for k, g in enumerate(groups):
                secs = bounds[k + 1] - bounds[k]
                spans.append(StageSpan(g[0].stage, g[0].index, g[-1].index, len(g), secs / total, secs,
                                       bounds[k]))
            return tuple(spans), MEASURED
    words = sum(p.words for p in call.passages) or 1
    return tuple(StageSpan(g[0].stage, g[0].index, g[-1].index, len(g), sum(p.words for p in g) / words)
                 for g in groups), ESTIMATED


# --------------------------------------------------------------------------- all together


def call_metrics(call: Call, taxonomy: Taxonomy | None = None, *,
                 references: Mapping[str, Reference] | None = None) -> CallMetrics:
    """Every per-call metric of one call."""
    tax = taxonomy or default_taxonomy()
    ms: list[Metric] = [
        duration(call),
        talk_ratio(call, tax, references),
        longest_run(call, "seller", tax, references),
        longest_run(call, "buyer", tax, references),
        interactivity(call, tax),
        patience(call, tax),
        talking_speed(call, tax, references),
        filler_rate(call, tax),
    ]
    ms += question_counts(call, tax, references)
    ms += benefit_counts(call, tax, references)
    pts = objections(call, tax) if _label_status(call, tax).usable else ()
    ms += objection_metrics(call, tax, pts)
    ms += commitment(call, tax, references)
    spans, tl_method = stage_timeline(call)
    notes = []
    if call.kind == "notes":
        notes.append("written call notes: no talk time, speed, pauses or turns; label counts still apply")
    elif not is_timed(call):
        notes.append("no cue times: time metrics are estimated from words or not computable")
    if call.roles_inferred:
        notes.append("speaker roles were guessed, not given")
    return CallMetrics(call.call_id, call.kind, call.outcome, len(call.passages), is_timed(call),
                       tuple(ms), spans, tl_method, tuple(pts), call.title, tuple(notes))


def metrics_many(calls: Iterable[Call], taxonomy: Taxonomy | None = None) -> list[CallMetrics]:
    return [call_metrics(c, taxonomy) for c in calls]


__all__ = [
    "MEASURED", "ESTIMATED", "NOT_COMPUTABLE", "Reference", "Metric", "StageSpan", "ObjectionPoint",
    "CallMetrics", "load_references", "call_metrics", "metrics_many", "duration", "talk_ratio",
    "longest_run", "interactivity", "patience", "talking_speed", "filler_rate", "question_counts",
    "benefit_counts", "commitment", "objections", "objection_metrics", "stage_timeline",
    "is_backchannel", "side", "is_timed", "format_time", "where",
]
