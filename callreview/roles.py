"""Who is the seller: give every speaker of a call the role ``seller``, ``buyer`` or ``other``.

:func:`assign_roles` decides in this order (first that applies wins):

1. **Roles in the data.** A passage that already has a role (a corpus file, a CSV role
   column) keeps it; speakers without one are decided by the rules below.
2. **Not a participant -> other.** Speakers named like a machine or a placeholder are
   ``other``: "Unknown", "Unknown Speaker", "Speaker ?", "?", "Operator", "Moderator",
   "Interpreter", "Notetaker"/"Note taker" (also inside a name, e.g. "Fireflies.ai
   Notetaker"), names ending in "bot" or ".ai" ("Otter.ai"), and "System".
3. **Named sellers.** ``sellers`` (``--seller NAME``) and the call's own seller (a
   ``Seller: NAME`` header line) name the seller. Names match case- and accent-
   insensitively, ignoring a trailing "(Company)" and the order of "Ortiz, Dana" vs
   "Dana Ortiz"; a name given with fewer words ("Dana") matches a speaker whose name
   contains all of them when exactly one speaker does. ``sellers`` given on the command
   line also override roles found in the data.
4. **Inferred seller** (``roles_inferred=True``) when no name matched. Each remaining
   speaker gets a score and the highest is the seller (ties go to who spoke first):

   - share of the call's questions they ask (passages with "?"), weight 1.0;
   - speaking first, 0.5 (sellers usually open: greeting and agenda);
   - share of the words spoken, 0.5 (sellers present);
   - share of the call's seller phrases they say ("thanks for taking the time",
     "my name is ... from ...", "let me show/share", "our platform/product/solution",
     "I'll send", "next step"), weight 1.0;
   - a Teams guest/external tag ("Sam Lee (Guest)", "(External)") rules the speaker out:
     Teams puts it on people outside the organiser's company.

5. **Colleagues.** Speakers who carry the same "(Company)" tag as a seller are sellers
   too (the seller side of the call), and so is a speaker a seller introduces as a
   colleague: "my colleague Vikram", "Omar Farouk, our solutions consultant", "Tunde
   from our pricing team", "I've got Irina from finance on the line", "I have Devon with
   me" (the speaker's first or full name next to such a phrase, in a seller's passage).
   A colleague found this way marks the roles as inferred.
6. **Everyone else is buyer.**

A call with no speakers at all (captions without names, notes) is returned unchanged: its
roles stay as the reader set them (None for captions, per-line rules for notes).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Iterable

from .records import Call

_UNIDENTIFIED = re.compile(
    r"^(?:unknown(?:\s+speaker)?(?:\s+\d+)?|speaker\s*[?#]+|[?]+|operator|moderator|interpreter|system"
    r"|transcriber|recorder|captioner)$"
    r"|note[\s-]?taker|\bbot\)?$|\.ai\b",
    re.IGNORECASE,
)
_TAG = re.compile(r"\(([^()]{1,40})\)\s*$")
_OUTSIDE_TAGS = {"guest", "external", "extern", "externe", "invité", "invitado", "gast"}
_SELLER_PHRASES = re.compile(
    r"thanks? (?:you )?for (?:taking|making) (?:the )?time|my name is \w+(?: \w+)? (?:from|with|at)\b"
    r"|\b(?:i'm|i am) \w+(?: \w+)? (?:from|with) \w+|\blet me (?:show|share|walk|pull up)"
    r"|\bour (?:platform|product|solution|software|tool|pricing|offering|customers|clients)\b"
    r"|\bi'll send\b|\bnext steps?\b|\bwhat i'd like to\b|\bagenda\b|\bdemo\b",
    re.IGNORECASE,
)


def name_key(name: str) -> str:
    """A name for comparing: case and accents folded, "(Company)" dropped,
    "Ortiz, Dana" turned into "dana ortiz"."""
    n = unicodedata.normalize("NFKD", name)
    n = "".join(ch for ch in n if not unicodedata.combining(ch))
    n = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", n)
    if n.count(",") == 1:
        last, first = n.split(",")
        if first.strip():
            n = f"{first} {last}"
    n = re.sub(r"[^\w'\-?]+", " ", n.casefold())
    return " ".join(n.split())


def is_unidentified(speaker: str) -> bool:
    """True for speakers that are not a participant: "Unknown", "Speaker ?", "Operator",
    a note-taking bot. They get role ``other``."""
    return bool(_UNIDENTIFIED.search(speaker.strip()))


def org_tag(speaker: str) -> str | None:
    """The "(Company)" tag of a Teams display name, lower-cased, or None."""
    m = _TAG.search(speaker)
    return m.group(1).strip().casefold() if m else None


def match_speakers(names: Iterable[str], speakers: Iterable[str]) -> set[str]:
    """The speakers that the given names refer to (see rule 3 in the module docstring)."""
    speakers = list(speakers)
    keys = {s: name_key(s) for s in speakers}
    found: set[str] = set()
    for name in names:
        key = name_key(name)
        if not key:
            continue
        exact = {s for s, k in keys.items() if k == key}
        if exact:
            found |= exact
            continue
        words = set(key.split())
        partial = {s for s, k in keys.items() if words <= set(k.split())}
        if len(partial) == 1:
            found |= partial
    return found


_TEAM = r"(?:team|office|side|group|department|desk)"
_TITLE = (r"(?:consultant|engineer|specialist|manager|lead|director|expert|architect|rep|representative|"
          r"colleague|head|vp|analyst|partner|advisor|adviser|cto|ceo|cfo|coo|founder|owner)")
_INTRO = (
    r"(?:my|our) (?:colleague|teammate|partner|boss|manager|engineer|specialist|consultant|expert|lead)s? {n}\b",
    rf"\b{{n}}(?: \w+)?,? (?:who is |who's |he's |she's |is )?our (?:[\w-]+ ){{{{0,2}}}}{_TITLE}\b",
    rf"\b{{n}}(?: \w+)?,? (?:is )?(?:here |on |joining )?from (?:our|my) (?:[\w-]+ ){{{{0,2}}}}{_TEAM}\b",
    r"\b(?:i've got|i have got|i have|i've brought|i brought|i'm joined by|joined by|bringing in|looping in|"
    r"brought in) {n}\b",
    r"\b{n}(?: \w+)?,? (?:is )?(?:here |on |also )?with me\b",
)


def _introduced_colleagues(call: Call, sellers: set[str], candidates: list[str]) -> set[str]:
    """Candidates whom a seller introduces as a colleague (rule 5)."""
    said = [unicodedata.normalize("NFC", p.text.casefold()) for p in call.passages if p.speaker in sellers]
    if not any(said):
        return set()
    found = set()
    for cand in candidates:
        key = " ".join(re.sub(r"\([^()]*\)", " ", cand).split()).casefold()
        if "," in key:
            last, first = key.split(",", 1)
            key = f"{first.strip()} {last.strip()}"
        names = {key, key.split()[0]} if key else set()
        for name in names:
            if len(name) < 2:
                continue
            # only the seller's passages that say the name (a one-hour call is 100 kB of text)
            hay = " ".join(t for t in said if name in t)
            n = re.escape(name)
            if hay and any(re.search(pat.format(n=n), hay) for pat in _INTRO):
                found.add(cand)
                break
    return found


def _infer_seller(call: Call, candidates: list[str]) -> str:
    questions: Counter[str] = Counter()
    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for p in call.passages:
        if p.speaker in candidates:
            questions[p.speaker] += "?" in p.text
            words[p.speaker] += p.words
            phrases[p.speaker] += len(_SELLER_PHRASES.findall(p.text))
    total_q = sum(questions.values()) or 1
    total_w = sum(words.values()) or 1
    total_ph = sum(phrases.values()) or 1
    first = next((p.speaker for p in call.passages if p.speaker in candidates), None)

    def score(s: str) -> float:
        if org_tag(s) in _OUTSIDE_TAGS:
            return -10.0
        return (questions[s] / total_q + 0.5 * (s == first) + 0.5 * words[s] / total_w
                + phrases[s] / total_ph)

    # max() keeps the first of equal scores: candidates are in order of first appearance
    return max(candidates, key=score)


def assign_roles(call: Call, sellers: Iterable[str] = ()) -> Call:
    """The call with every passage's role set (rules in the module docstring)."""
    speakers = call.speakers
    if not speakers:
        return call
    sellers = [s for s in sellers if s and s.strip()]
    given = {p.speaker: p.role for p in call.passages if p.speaker and p.role}
    others = {s for s in speakers if is_unidentified(s)}
    humans = [s for s in speakers if s not in others]

    named = match_speakers(sellers, humans)
    if named:  # the user said who sells: this overrides roles in the data (but not 'other')
        given = {s: r for s, r in given.items() if r == "other" and s not in named}
    elif call.seller:
        named = {s for s in match_speakers([call.seller], humans) if s not in given}
    if all(s in given for s in speakers):
        return call

    seller_side = set(named) | {s for s, r in given.items() if r == "seller"}
    inferred = call.roles_inferred
    undecided = [s for s in humans if s not in given]
    if not seller_side and undecided:
        seller_side = {_infer_seller(call, undecided)}
        inferred = True
    tags = {org_tag(s) for s in seller_side} - {None} - _OUTSIDE_TAGS
    rest = [s for s in undecided if s not in seller_side and not (tags and org_tag(s) in tags)]
    colleagues = _introduced_colleagues(call, seller_side, rest) if rest else set()
    if colleagues:
        seller_side |= colleagues
        inferred = True
    roles: dict[str, str] = {}
    for s in speakers:
        if s in given:
            roles[s] = given[s]  # type: ignore[assignment]
        elif s in others:
            roles[s] = "other"
        elif s in seller_side or (tags and org_tag(s) in tags):
            roles[s] = "seller"
        else:
            roles[s] = "buyer"
    passages = tuple(
        replace(p, role=p.role if p.speaker in given and p.role else roles[p.speaker]) if p.speaker else p
        for p in call.passages
    )
    out = replace(call, passages=passages, roles_inferred=inferred)
    if out.seller is None and named and len(named) == 1:
        out = replace(out, seller=next(iter(named)))
    return out
