"""Take personal data out of calls before they leave the tool.

:class:`Redactor` is built for one call. It replaces, in every piece of text it is given:

* e-mail addresses with ``[email]``, also as people disguise them (``dana(at)example.com``,
  ``dana [at] example [dot] com``, ``dana at example dot com``, ``user@[192.168.0.1]``);
* street addresses (``1420 North Maple Avenue, Suite 300``, ``PO Box 881``, a UK postcode)
  with ``[address]``, and a date given as a date of birth (after "born", "DOB", "date of
  birth", "birthday") with ``[date of birth]``;
* card-like numbers (13 to 19 digits, spaces or dashes allowed) with ``[card number]``;
* phone numbers (7 to 15 digits in groups, an optional ``+country`` and ``(area)``)
  with ``[phone]``, and seven or more digits read out in words ("five five five, oh one
  two...") too; an ISO date such as 2025-04-02 is left alone;
* account-like numbers (IBANs, and any code holding 6 or more digits in a row, such
  as ``ACC-00912345`` or ``#4481902``) with ``[account number]``;
* people's names with their role: each speaker becomes ``Seller 1``, ``Buyer 1``,
  ``Other 1`` (``Speaker 1`` when the role is unknown) in order of first appearance.
  The same alias replaces the name where it occurs inside passage text, comments and
  feedback: the full name, "Last, First", and each part of it (first names included);
  a part two people share (a family name) becomes ``[name]``.
  The call's seller, the people listed on an ``Attendees:`` line of call notes and any
  ``extra_names`` given are treated the same way (``Person 1`` when they do not speak).

Name parts are matched case-insensitively ("jonas" in hastily typed notes), except parts
that are also ordinary English words ("Will", "Grant", "Rose"), which are matched only
when capitalised, and parts shorter than three letters, matched only as written.

Every pattern reads its text in one pass (a megabyte in about a second). What it cannot find: a person mentioned by name who neither speaks nor is listed (there
is no named-entity model offline). Pass such names as ``extra_names``.

:func:`redact_call` applies it to a :class:`~callreview.records.Call`: speakers, passage
text, title, seller, call id, prediction explanations and the string values of ``extra``;
``source`` (a file path, which often holds a name) is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any, Iterable, Mapping

from .records import Call, Passage, Prediction

__all__ = ["Redactor", "redact_call", "redact_text", "EMAIL", "PHONE", "CARD", "ACCOUNT", "ADDRESS", "BIRTH_DATE"]

EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card number]"
ACCOUNT = "[account number]"
ADDRESS = "[address]"
BIRTH_DATE = "[date of birth]"
#: a name part shared by several people, which cannot be given one alias
NAME = "[name]"

_ROLE_ALIAS = {"seller": "Seller", "buyer": "Buyer", "other": "Other", None: "Speaker"}

# every pattern starts where its run starts (a lookbehind) and takes its run atomically, so
# a long run of letters or digits that is not a match costs one pass, not one per position
_AT = r"(?:@|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*)"
_EMAIL_RE = re.compile(
    r"(?<![\w.%+'-])(?>[\w.%+'-]+)" + _AT +
    r"(?:\[[\d.:A-Fa-f]+\]|(?>[\w-]+)(?:" + _DOT + r"(?>[\w-]+))+)"
    # "dana at example dot com", as people write it to dodge spam filters
    r"|(?<![\w.-])(?>[\w.-]+)\s+at\s+(?>[\w-]+)(?:\s+dot\s+(?>[\w-]+))*\s+dot\s+(?:com|org|net|edu|gov|io|co|uk|de|nl|au|ca|in)\b",
    re.UNICODE | re.IGNORECASE)
_CARD_RE = re.compile(r"(?<![\w])(?<!\d[ -])(?:\d[ -]?){12,18}\d(?![\w])")
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w])"
    r"|(?<![\w+])\+\d{7,15}(?![\w])"
)
#: number-like text that is not personal: dates and year ranges
_NOT_PERSONAL = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|(?:19|20)\d\d\s?[-/]\s?(?:19|20)?\d\d")
_IBAN_RE = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])")
_ACCOUNT_RE = re.compile(r"(?<![\w#])(?<!\d-)(?:[A-Za-z]{1,5}[-#]?|#)?(?>\d+(?:-+\d+)*)(?![\w])")

_STREET_TYPES = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
                 r"terrace|parkway|pkwy|highway|hwy|close|crescent|cres|square|sq|circle|cir|trail|row|"
                 r"strasse|straße|straat|weg|laan|gracht")
#: "1420 North Maple Avenue, Suite 300", "12 Gresham St", "PO Box 881", "Flat 4, 22 Elm Road"
_ADDRESS_RE = re.compile(
    r"(?<![\w])(?:(?i:flat|apt|apartment|unit|suite)\s+\w{1,5},?\s+)?\d{1,6}[A-Za-z]?\s+"
    r"(?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*\s+(?i:" + _STREET_TYPES + r")\b\.?"
    r"(?:,?\s+(?i:suite|ste|unit|apt|floor|fl)\.?\s+#?\w{1,5})?"
    r"|(?<![\w])(?i:p\.?\s?o\.?\s+box)\s+\d{1,7}\b"
    r"|(?<![\w])[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}(?![\w])")  # a UK postcode
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
         r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
         r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r",?\s+\d{4})")
#: a date given as someone's date of birth: the cue stays, the date goes
_BIRTH_RE = re.compile(
    r"(?P<cue>\b(?:date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|birthday|born(?:\s+on)?)\b[\s:,-]*(?:is\s+|was\s+|of\s+)?)"
    + _DATE, re.IGNORECASE)
_DIGIT_WORDS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple|o|\d)"
#: a phone number read out in words: "five five five, oh one two three four"
_SPOKEN_PHONE_RE = re.compile(
    r"(?<![\w])(?:" + _DIGIT_WORDS + r"[\s,.-]+){6,14}" + _DIGIT_WORDS + r"(?![\w])", re.IGNORECASE)
_SPOKEN_DIGIT = re.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|o|\d)\b", re.IGNORECASE)

#: words that are also first or last names; as name parts they match only when capitalised
COMMON_WORDS = frozenset("""
will bill mark rich grant may june april august bob sue pat rose art jack frank hope joy faith
grace dawn summer max chase drew gene guy ray skip wade ward reed young long brown white green
black king hill wood stone price cash bell page wells lane park rod sandy penny ruby amber iris
holly ivy lily daisy crystal pearl sky river rock hunter cook baker miller smith carter fisher
taylor mason cole clay dean gray grey hall hart hood ford banks best bird bishop bond book
bright burns chance christian church close cross day dale early fair field fox frost gold good
hale hardy hay heath holiday house hunt joy judge knight law little love major marsh may mayo
moon moore more noble north oakes page parker pierce pike pool power rice rivers rose rush
sage sharp short small snow spring stock storm strong swift tanner thorn ward waters west
whitley wise wolf woods worth april autumn honey precious star sunny trinity victory will
bach case cruz dent do don even gay hand lord man new nice old own pan sun tan van von de del
der di da la le el al ben ed
""".split())

#: speaker labels that are not a person's name
_PLACEHOLDER = re.compile(r"^(?:speaker|unknown|guest|external|extern|participant|caller|host|"
                          r"interviewer|interviewee|customer|client|seller|buyer|rep|agent|me|"
                          r"operator|moderator|system|other|\d+|[?#]+)$", re.IGNORECASE)
_ATTENDEES = re.compile(r"^\s*(?:attendees?|participants?|present|with|people|who)\s*:\s*(.+)$",
                        re.IGNORECASE)


def _fold(text: str) -> str:
    """Accents removed (Müller -> Muller)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _name_parts(name: str) -> tuple[str, list[str]]:
    """"Ortiz, Dana (Contoso)" -> ("Dana Ortiz", ["Dana", "Ortiz"])."""
    n = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", name)
    if n.count(",") == 1:
        last, first = n.split(",")
        if first.strip() and last.strip():
            n = f"{first} {last}"
    full = " ".join(n.split())
    parts = [w.strip(".'-") for w in re.split(r"[\s,/&+]+", full)]
    return full, [w for w in parts if w and not _PLACEHOLDER.match(w) and not w.isdigit()]


def _variants(word: str) -> set[str]:
    return {word, _fold(word)}


def attendee_names(text: str) -> list[str]:
    """The people listed on a notes line such as ``Attendees: Maria Chen (VP Ops), Raj Patel, me``."""
    m = _ATTENDEES.match(text)
    if not m:
        return []
    body = re.sub(r"\([^()]*\)", " ", m.group(1))
    out = []
    for item in re.split(r",|;|\band\b|&|\+", body):
        words = item.split()
        if 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
            out.append(" ".join(words))
    return out


def redact_numbers(text: str) -> str:
    """E-mail addresses (also written ``name(at)example.com``), street addresses, dates of
    birth, card, phone (also read out in words) and account numbers replaced by a placeholder."""
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _BIRTH_RE.sub(lambda m: m.group("cue") + BIRTH_DATE, text)
    text = _ADDRESS_RE.sub(ADDRESS, text)

    def spoken(m: re.Match[str]) -> str:
        s = m.group(0)
        # "one or two" in prose is not a number: ask for seven spoken digits or more
        return PHONE if len(_SPOKEN_DIGIT.findall(s)) >= 7 else s

    text = _SPOKEN_PHONE_RE.sub(spoken, text)
    text = _IBAN_RE.sub(ACCOUNT, text)
    text = _CARD_RE.sub(CARD, text)

    def phone(m: re.Match[str]) -> str:
        s = m.group(0)
        digits = sum(ch.isdigit() for ch in s)
        if not 7 <= digits <= 15 or _NOT_PERSONAL.fullmatch(s.strip()):
            return s
        return PHONE

    text = _PHONE_RE.sub(phone, text)

    def account(m: re.Match[str]) -> str:
        s = m.group(0)
        if _NOT_PERSONAL.fullmatch(s.strip()) or sum(ch.isdigit() for ch in s) < 6:
            return s
        return ACCOUNT

    return _ACCOUNT_RE.sub(account, text)


class Redactor:
    """Redaction for one call: its people and their aliases, and the text patterns."""

    def __init__(self, call: Call | None = None, *, extra_names: Iterable[str] = ()) -> None:
        #: person as written -> alias ("Sam Lee (Guest)" -> "Buyer 1")
        self.aliases: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        if call is not None:
            for speaker, role in call.roles.items():
                self._alias(speaker, _ROLE_ALIAS.get(role, "Speaker"))
            if call.seller:
                self._seller(call)
            for p in call.passages:
                for name in attendee_names(p.text):
                    self._person(name)
        for name in extra_names:
            if name and name.strip():
                self._person(name.strip())
        self._pattern, self._lookup = self._compile()

    # ---------------------------------------------------------------- people

    def _alias(self, name: str, kind: str) -> str:
        if name in self.aliases:
            return self.aliases[name]
        self._counts[kind] = self._counts.get(kind, 0) + 1
        alias = f"{kind} {self._counts[kind]}"
        self.aliases[name] = alias
        return alias

    def _person(self, name: str) -> str:
        """A person who may also be a speaker under another spelling."""
        from .roles import match_speakers

        found = match_speakers([name], self.aliases)
        if found:
            alias = self.aliases[sorted(found)[0]]
            self.aliases.setdefault(name, alias)
            return alias
        return self._alias(name, "Person")

    def _seller(self, call: Call) -> None:
        from .roles import match_speakers

        found = match_speakers([call.seller], call.speakers)  # type: ignore[list-item]
        if found:
            self.aliases.setdefault(call.seller, self.aliases[sorted(found)[0]])  # type: ignore[index]
        else:
            self._alias(call.seller, "Seller")  # type: ignore[arg-type]

    def _compile(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        """One alternation of every spelling of every name, longest first."""
        exact: dict[str, str] = {}  # matched as written
        folded: dict[str, str] = {}  # matched case-insensitively

        def put(table: dict[str, str], key: str, alias: str) -> None:
            # a spelling two people share ("Hernandez" of Carla and Lupe) names neither
            table[key] = alias if table.get(key, alias) == alias else NAME

        for name, alias in self.aliases.items():
            full, parts = _name_parts(name)
            # a name made only of ordinary words ("Will Grant") is matched only as written
            plain = bool(parts) and all(len(w) < 3 or w.casefold() in COMMON_WORDS for w in parts)
            for form in {name.strip(), full, " ".join(reversed(full.split())),
                         ", ".join(reversed(full.split(" ", 1))) if " " in full else full}:
                if len(form) >= 2 and not _PLACEHOLDER.match(form):
                    for v in _variants(form):
                        if plain:
                            put(exact, v, alias)
                        else:
                            put(folded, v.casefold(), alias)
            for part in parts:
                for v in _variants(part):
                    if len(v) < 3 or v.casefold() in COMMON_WORDS:
                        put(exact, v, alias)
                        if len(v) >= 3:
                            put(exact, v.upper(), alias)
                    else:
                        put(folded, v.casefold(), alias)
        lookup = dict(folded)
        alts: list[str] = []
        for key in sorted(set(folded) | set(exact), key=len, reverse=True):
            if key in folded:
                alts.append(f"(?i:{re.escape(key)})")
            if key in exact and key not in folded:
                lookup[key] = exact[key]
                alts.append(re.escape(key))
        if not alts:
            return None, lookup
        return re.compile(r"(?<![\w@])(?:" + "|".join(alts) + r")(?![\w@])"), lookup

    # ---------------------------------------------------------------- text

    def text(self, text: str | None) -> str | None:
        """Everything personal in a piece of text replaced."""
        if not text:
            return text
        out = redact_numbers(text)
        if self._pattern is not None:
            out = self._pattern.sub(self._replace, out)
        return out

    def _replace(self, m: re.Match[str]) -> str:
        s = m.group(0)
        return self._lookup.get(s) or self._lookup.get(s.casefold()) or NAME

    def speaker(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.aliases.get(name) or self.text(name)

    def slug(self, text: str) -> str:
        """An identifier (a call id from a file name) with names and numbers taken out."""
        out = self.text(text.replace("-", " ").replace("_", " ")) or ""
        out = re.sub(r"[^\w]+", "-", out.casefold()).strip("-")
        return out or "call"

    def value(self, value: Any) -> Any:
        """Strings inside any JSON-like value redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.value(v) for v in value)
        return value

    def prediction(self, pred: Prediction) -> Prediction:
        return replace(pred, explanation=tuple(self.text(e) or "" for e in pred.explanation))

    def passage(self, p: Passage) -> Passage:
        return replace(
            p, text=self.text(p.text) or "", speaker=self.speaker(p.speaker),
            predictions={t: self.prediction(pr) for t, pr in p.predictions.items()},
            extra=self.value(dict(p.extra)),
        )

    def call(self, call: Call) -> Call:
        """The call with every name and number redacted and its source path dropped."""
        extra = {k: v for k, v in call.extra.items() if k != "content_sha256"}
        return replace(
            call,
            call_id=self.call_id(call.call_id),
            title=self.text(call.title),
            seller=self.speaker(call.seller),
            source=None,
            passages=tuple(self.passage(p) for p in call.passages),
            extra=self.value(extra),
        )

    def call_id(self, call_id: str) -> str:
        """The call id, unchanged unless it holds a name or a number (then a redacted slug)."""
        spaced = call_id.replace("-", " ").replace("_", " ")
        if self.text(spaced) == spaced:
            return call_id
        return self.slug(call_id)


def redact_text(text: str, names: Iterable[str] = ()) -> str:
    """One text with numbers and the given names (as ``Person 1``...) redacted."""
    return Redactor(extra_names=names).text(text) or ""


def redact_call(call: Call, *, extra_names: Iterable[str] = ()) -> Call:
    """The call with its people and numbers redacted (see the module docstring)."""
    return Redactor(call, extra_names=extra_names).call(call)
