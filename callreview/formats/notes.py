"""Written call notes (``kind="notes"``): what a rep types after a call.

Layout
    An optional header block at the top (``Title:``, ``Seller:``, ``Outcome:``, ``Date:``,
    ``Customer:``; a Markdown ``# Title`` line works too) goes into the call's metadata.
    After it, every non-empty line is one passage, its bullet (``-``, ``*``, ``•``, ``1.``,
    ``a)``, ``[ ]``) removed. An indented line without a bullet under a bulleted line
    continues it (a wrapped bullet).

Roles (``roles_inferred=True``; the first rule that applies wins)
    1. ``other``: the note-taker's own lines: who attended and where (``Attendees: ...``,
       ``Present:``, ``Location:``, ``Call with ...``, ``Met w/ ...``, ``On site at ...``),
       a line that is only a date, a section heading (``Next steps:``, ``## Pricing``), and
       the first note line when it names when or how the call happened (a date or clock
       time, or Zoom/Teams/phone/on site/office/appt: ``Cold call - Acme, 11/6 10:15``).
    2. ``seller``: the rep's notes to self and own steps (``TODO ...``, ``Next: ...``,
       ``Note to self``, ``Reminder ...``, ``Agenda: ...``, ``Small talk re ...``,
       ``Ballpark $...``, ``Recap: ...``, ``Risk - ...``, ``CRM -> ...``).
    3. The line's subject, when it has one:
       ``I``/``we``/``me``/``rep``/the seller's name -> ``seller``;
       ``customer``/``client``/``they``/``he``/``she``/a job title (``CFO``) -> ``buyer``;
       another person's name -> ``buyer``, unless a presenting verb follows it (show, demo,
       explain, propose, quote, ... see ``PRESENTING``: ``Sanjay showed the new set`` is the
       seller's colleague).
    4. Telegraphic lines start with their verb. Its lemma (spaCy's lookup lemma table via
       ``callreview.nlp``) decides: a seller action (ask, show, propose, walk, demo, said,
       explain, send, recommend, summarize, quote, ... see ``SELLER_VERBS``) -> ``seller``,
       except "asked us/me ..." (the customer asked); what a customer does (worry, want,
       need, use, agree, decline, ... see ``BUYER_VERBS``) -> ``buyer``.
    5. Anything else (``3 sites + a warehouse``, ``Budget ~40k``) is a fact learned about the
       customer -> ``buyer``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from ..records import Call
from ..roles import name_key
from ._base import Source, Turn, build_call, header_fields, read_header, split_label

BULLET = re.compile(r"^\s*(?:[-*•·‣◦–—+>]+|\d{1,3}[a-z]?[.)]|[a-zA-Z][.)](?=\s)|\[[ xX✓]?\])\s*(?:\[[ xX✓]?\]\s*)?")

SELLER_VERBS = frozenset("""
ask show propose walk demo demonstrate present explain offer send share suggest recommend pitch
cover clarify summarize summarise recap probe follow quote introduce intro open position highlight
address respond answer schedule set review outline describe emphasize emphasise stress say mention
point reframe acknowledge confirm check dig request counter discount discuss tell email call
invite promise give provide prepare draft build frame handle tie connect calculate estimate
model compare reference mirror validate qualify test challenge push close pull screen-share
screenshare loop thank chat apologize apologise play catch reach greet congratulate book start run""".split())
BUYER_VERBS = frozenset("""
worry concern complain want need use have prefer like love hate struggle plan agree decline
object refuse hesitate wonder expect budget own lose spend pay employ rely depend consider
evaluate seem sound react reply balk raise doubt fear feel think believe insist demand
flag admit grumble wish hope prioritize prioritise choose pick sign commit approve reject
accept deny lack miss currently""".split())
#: verbs that make a named subject the seller's colleague ("Sanjay showed ...")
PRESENTING = frozenset("show demo demonstrate present walk explain propose offer quote pitch recap summarize "
                       "summarise position highlight outline play run".split())
#: two-word seller actions whose verb alone is ambiguous ("ran through", "went over")
SELLER_PHRASES = frozenset({("run", "through"), ("go", "over"), ("go", "through"), ("go", "thru"),
                            ("take", "through"), ("push", "for"), ("lay", "out"), ("talk", "through")})
SELLER_START = re.compile(
    r"^(?:todo\b|to-do\b|next(?:\s+steps?)?\s*[:\-]|note to self|nb\b|note\s*:|reminder|task\b|f/u\b"
    r"|follow[\s-]?up\b|agenda\b|purpose\b|goal\b|small\s+talk|chit[\s-]?chat|ballpark|recap|risk\b|crm\b|lead\s*->)",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b\d{1,2}/\d{1,2}\b|\b\d{1,2}:\d{2}\s*(?:[ap]m?)?\b|\b\d{1,2}\s*[ap]m\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b(?:zoom|teams|google meet|webex|phone|on[\s-]?site|office|conf\.?\s*r(?:oo)?m|appt|visit)\b",
    re.IGNORECASE,
)

SELLER_SUBJECTS = frozenset("i we i've i'd i'll i'm we've we'd we'll we're me myself rep seller ae sdr us".split())
BUYER_SUBJECTS = frozenset("""
customer customers client clients buyer buyers prospect prospects they they're they've they'd
they'll their them he she he's she's his her cfo ceo cto coo cio cmo vp svp evp director
manager owner owners procurement legal finance ops everyone both team gm founder president
head lead admin engineer engineers user users staff""".split())
OTHER_START = re.compile(
    r"^(?:(?:attendees?|attending|present|participants?|people|on\s+(?:the\s+)?call|location|where|venue"
    r"|when|time|date|via|cc|on|reached|attended|spoke\s+(?:to|with)|status|outcome|result|next\s+call)\s*:"
    r"|(?:attendees?|participants?)\b"
    r"|(?:met|call|meeting|mtg|spoke|zoom|teams)\s+(?:with|w/)"
    r"|on[\s-]?site\s+(?:at|in|w/|with)|onsite\b)",
    re.IGNORECASE,
)
#: how a note-taker writes the call's result: "ADVANCE - mtg 3/11", "No sale. Not a fit", "ORDER - signed"
_OUTCOME_LINE = re.compile(r"^(?:advance|order|continuation|no[\s_-]?sale|won|lost)\b\s*[-:.,–—(]", re.IGNORECASE)
#: words a section heading of notes is made of ("Pilot recap", "-- Next steps --", "Concerns")
_HEADING_WORDS = frozenset("""opening intro intros introduction discovery demo presentation pricing price concerns
objections objection next steps step decision decisions discussion outcome outcomes background setup recap summary
pain pains needs notes agenda attendees action actions items follow followup up status situation questions close
closing wrap wrap-up results pilot call meeting their our the and of what we learned heard offered asked they said
risks risk timeline budget competition current state issues issue takeaways todo proposal proposals terms
year in review what's changing for them next-steps overview context history commercials""".split())
#: a line listing who attended: two or more "Name (title)" entries
_ROSTER = re.compile(r"^(?:[^,;()]{2,40}\([^()]{1,40}\)\s*[,;&]\s*){1,}[^,;()]{2,40}\([^()]{1,40}\)\.?\s*(?:[,;&].*)?$")
#: the seller's questions and the buyer's answers written as "Q: ..." / "A: ..."
_QA = re.compile(r"^(q|a)\s*[:.)-]\s*", re.IGNORECASE)
_DATE_ONLY = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s*)?(?:\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?"
    r"|\d{1,2}\s+[a-z]{3,9}\.?(?:\s+\d{2,4})?|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{2,4})?)"
    r"(?:\s*,?\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?$",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(?:#{1,6}\s+\S.*|[^.?!]{1,40}:)$")
_WORD = re.compile(r"[\w'’/-]+")


#: shorthand of written notes: w/, ->, b/c, re:, q's, ~40, $40k, +
_SHORTHAND = re.compile(r"\bw/o?\b|\bw/|->|=>|\bb/c\b|\bre:|\bre\s(?=[a-z])|\bq's\b|\bmtg\b|\bf/u\b|\bapprox\b"
                        r"|~\s?\$?\d|\$\d[\d.,]*\s?[kKmM]\b|\s\+\s|\bthx\b|\bpls\b|\bmgr\b|\bcust\b|\btbd\b",
                        re.IGNORECASE)
#: what speech has and notes rarely do: the other person addressed, questions, fillers
_SPEECH = re.compile(r"\?|\b(?:you|your|you're|you've|you'll|i'm|i'll|let's|yeah|yep|um+|uh+|hmm+|hi|hello"
                     r"|thanks|thank you|okay so|gonna|wanna)\b", re.IGNORECASE)
_IRREGULAR_PAST = frozenset("said told showed shown sent gave took went thought felt met spoke brought "
                            "led ran wrote chose sold bought got made kept".split())
#: a label that is the note-taker, not a speaker: "Me: asked ..."
_SELF_LABEL = re.compile(r"^\s*(?:[-*•]\s*)?(?:me|us|our side|myself)\s*(?:\([^()]*\))?\s*:", re.IGNORECASE)


def _reports_an_action(body: str) -> bool:
    """The line starts like a note ("asked how many sites", "wants a pilot"), not like speech."""
    words = _WORD.findall(body)
    i = 0
    while i < len(words) - 1 and words[i].casefold() in _SKIP_WORDS:
        i += 1
    if not words:
        return False
    w = words[i].casefold()
    if w in _IRREGULAR_PAST:
        return True
    lemma = _lemma(w)
    verb = lemma in SELLER_VERBS or lemma in BUYER_VERBS
    return verb and lemma != w and (w.endswith("ed") or w.endswith("s"))


def reads_as_notes(lines: Iterable[str]) -> bool:
    """Whether lines of the shape ``Name: text`` are written notes rather than speech:
    most of them report actions ("Priya (COO): said the budget is frozen", "Me: asked who
    signs off") or use note shorthand (w/, ->, ~$40k), and few address anyone or ask."""
    notes = speech = n = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        n += 1
        self_label = bool(_SELF_LABEL.match(line))
        body = line.split(":", 1)[1] if ":" in line[:60] else line
        if self_label or _reports_an_action(body) or _SHORTHAND.search(body):
            notes += 1
        elif _SPEECH.search(body):
            speech += 1
    return n > 0 and notes * 10 >= n * 3 and notes > speech


def split_lines(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    """(line number, text without bullet) for each note line; wrapped bullets joined."""
    out: list[tuple[int, str]] = []
    prev_bulleted = False
    for n, raw in enumerate(lines, first_line):
        if not raw.strip():
            prev_bulleted = False
            continue
        m = BULLET.match(raw)
        bulleted = bool(m and m.end() < len(raw) and (m.group(0).strip() or False))
        if not bulleted and prev_bulleted and raw[:1] in " \t" and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + raw.strip())
            continue
        text = raw[m.end():] if bulleted and m else raw
        out.append((n, text.strip()))
        prev_bulleted = bulleted
    return out


def _lemma(word: str) -> str:
    from ..nlp import lemma_table

    w = word.casefold().strip("'’")
    w = re.sub(r"['’]d$", "", w)  # "intro'd"
    if w.startswith("re-"):
        w = w[3:]  # "re-showed" -> "showed"
    lemma = lemma_table().get(w, w)
    if lemma in SELLER_VERBS or lemma in BUYER_VERBS:
        return lemma
    for suffix, repl in (("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", ""), ("ing", ""),
                         ("ing", "e")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)] + repl
            if stem in SELLER_VERBS or stem in BUYER_VERBS:
                return stem
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in SELLER_VERBS | BUYER_VERBS:
                return stem[:-1]  # "dropped" -> "drop"
    return lemma


#: words skipped before the verb of a telegraphic line ("Also asked ...", "Then showed ...")
_SKIP_WORDS = frozenset("also then later briefly quickly quick brief again still already finally just to will would "
                        "and so after before first next".split())


def _is_heading(body: str) -> bool:
    """A section heading without a colon: a few heading words, maybe between dashes or stars."""
    core = body.strip(" -=*_#~").strip()
    words = core.casefold().replace("/", " ").replace("&", " ").split()
    return 0 < len(words) <= 4 and not any(ch.isdigit() for ch in core) and all(w in _HEADING_WORDS for w in words)


def _body(text: str) -> str:
    body = text.strip()
    m = BULLET.match(body)
    if m and m.group(0).strip() and m.end() < len(body):
        body = body[m.end():]
    return body.lstrip("#").strip()


def _explicit_role(body: str) -> str | None:
    """The role a line's form alone gives, before who it names: the note-taker's own lines
    (attendees, headings, the result) are ``other``; ``Q:`` is the seller's question and
    ``A:`` the buyer's answer."""
    if not body:
        return "other"
    if OTHER_START.match(body) or _DATE_ONLY.match(body) or _HEADING.match(body) or _is_heading(body) \
            or _OUTCOME_LINE.match(body) or _ROSTER.match(body) or len(_NAMED_TITLE.findall(body)) >= 2 \
            or (re.match(r"^(?:w/|with)\s", body, re.IGNORECASE) and "(" in body):
        return "other"
    qa = _QA.match(body)
    if qa:
        return "seller" if qa.group(1).casefold() == "q" else "buyer"
    return None


#: "Stuart Kemp (maint mgr)": a person with a title, as attendee lines list them
_NAMED_TITLE = re.compile(r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)*\s*\([^()]{1,40}\)")


def line_role(text: str, seller_names: Iterable[str] = (), *, first: bool = False) -> str:
    """The role of one note line (rules in the module docstring); ``first`` is True for
    the first note line after the header."""
    body = _body(text)
    explicit = _explicit_role(body)
    if explicit:
        return explicit
    if first and _WHEN.search(body):
        return "other"
    if SELLER_START.match(body):
        return "seller"
    words = _WORD.findall(re.sub(r"\([^()]*\)", " ", body))
    if not words:
        return "buyer"
    seller_tokens = {t for name in seller_names for t in name_key(name).split()}
    low = words[0].casefold()
    if low in SELLER_SUBJECTS or (seller_tokens and low in seller_tokens):
        return "seller"
    if low in BUYER_SUBJECTS or words[0] == "IT":
        return "buyer"
    i = 0
    while i < len(words) - 1 and words[i].casefold() in _SKIP_WORDS:
        i += 1
    verb = _lemma(words[i])
    particle = words[i + 1].casefold() if i + 1 < len(words) else ""
    if verb == "ask" and particle in ("us", "me"):
        return "buyer"  # "Asked us to hold the dates": the customer asked
    if verb in SELLER_VERBS or (verb, particle) in SELLER_PHRASES:
        return "seller"
    if verb in BUYER_VERBS:
        return "buyer"
    if words[0][:1].isupper() and len(words) > 1:  # a named subject: "Sanjay showed", "Maria said"
        k = 2 if len(words) > 2 and words[1][:1].isupper() else 1
        if _lemma(words[k]) in PRESENTING:
            return "seller"
    # a named customer ("Maria said ...") or a fact about the customer ("3 sites")
    return "buyer"


#: verbs that report what anyone said; they tell nothing about who a label is
_REPORTING = frozenset("say mention tell reply respond answer confirm add note agree".split())


def _label_of(text: str) -> str | None:
    """Who a ``Name: ...`` note line is about, as one key for every spelling of the label:
    ``Priya (COO):`` and ``Priya:`` give ``priya``; ``Me:`` gives ``me``. None for other lines,
    and for a heading (``Proposal:``), a verb (``Recapped: ...``) or ``Q:``/``A:``."""
    m = _SELF_LABEL.match(text)
    label = text[:m.end()].rstrip(": ").strip() if m else (got[0] if (got := split_label(text)) else None)
    if label is None or not text.split(":", 1)[1].strip():
        return None
    if not m:
        first = label.split()[0].casefold()
        if _is_heading(label) or _QA.match(label + ":") or _lemma(first) in SELLER_VERBS | BUYER_VERBS:
            return None
    return name_key(re.sub(r"\([^()]*\)", " ", label)) or label.casefold()


def label_roles(lines: Sequence[str], seller_names: Iterable[str] = ()) -> dict[str, str]:
    """The role of each ``Name:`` label of note lines, one role per label: the note-taker
    (``Me:``) and the named sellers are the seller; a label with a customer title
    (``Priya (COO)``) is the buyer; otherwise the verbs of the label's lines vote (asked,
    showed, proposed: seller; wants, worries, agreed: buyer). When no label is the seller
    that way and nearly every line is labeled, the label whose lines most report seller
    actions is."""
    sellers = {name_key(n) for n in seller_names}
    seller_tokens = {t for key in sellers for t in key.split()}
    votes: dict[str, Counter[str]] = {}
    fixed: dict[str, str] = {}
    labeled = 0
    lines_of: Counter[str] = Counter()
    for line in lines:
        label = _label_of(line)
        if label is None:
            continue
        labeled += 1
        lines_of[label] += 1
        head, body = line.split(":", 1)
        v = votes.setdefault(label, Counter())
        key = label
        title = " ".join(re.findall(r"\(([^()]*)\)", head)).casefold().split()
        if _SELF_LABEL.match(line) or key in sellers or (key and key.split()[0] in seller_tokens):
            fixed[label] = "seller"
        elif any(w.strip(".,") in BUYER_SUBJECTS for w in title):
            fixed.setdefault(label, "buyer")
        words = _WORD.findall(body)
        if words:
            verb = _lemma(words[0])
            if verb in _REPORTING:
                continue
            if verb in SELLER_VERBS:
                v["seller"] += 1
            elif verb in BUYER_VERBS:
                v["buyer"] += 1
    # a label on one line only is a topic ("Usage: ..."), not a person, unless it is sure to be one
    votes = {lab: v for lab, v in votes.items() if lab in fixed or lines_of[lab] >= 2}
    roles = {lab: fixed.get(lab) or ("seller" if v["seller"] > v["buyer"] else "buyer") for lab, v in votes.items()}
    n_lines = sum(1 for line in lines if line.strip())
    # when the note-taker writes their own lines without a label, no label is theirs
    if roles and "seller" not in roles.values() and labeled * 10 >= n_lines * 8:
        best = max(votes, key=lambda lab: (votes[lab]["seller"] - votes[lab]["buyer"], votes[lab]["seller"]))
        if votes[best]["seller"] > 0 and fixed.get(best) != "buyer":
            roles[best] = "seller"
    return roles


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    lines = src.lines()
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    md_title = None
    m = re.match(r"^\s*#\s+(.+?)\s*$", lines[start]) if lines else None
    if m:
        md_title, start = m.group(1), start + 1
    header, skip = read_header(lines[start:])
    if len(header) < 2 and "title" not in header and any(len(v.split()) > 8 for v in header.values()):
        header, skip = {}, 0  # a lone long "Customer: ..." is a note line, not a header block
    fields = header_fields(header)
    fields["title"] = fields["title"] or md_title
    sellers = [*known, *([fields["seller"]] if fields["seller"] else [])]
    note_lines = split_lines(lines[start + skip:], start + skip + 1)
    by_label = label_roles([text for _, text in note_lines], sellers)
    turns = [Turn(text, None, None, None, n, role=_explicit_role(_body(text)) or by_label.get(_label_of(text) or "")
                  or line_role(text, sellers, first=k == 0))
             for k, (n, text) in enumerate(note_lines)]
    if not turns:
        raise src.error("no note lines after the header", line=start + skip + 1,
                        hint="write one note per line below the 'Outcome:'/'Seller:' header")
    if fields["seller"] is None and known:
        fields["seller"] = next(iter(known))
    return build_call(src, turns, fmt="notes", kind="notes", roles_inferred=True, **fields)
