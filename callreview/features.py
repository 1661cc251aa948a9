"""Features of a passage: spaCy tokens and lemmas, rule-based signals, and context.

The spaCy side (``callreview.nlp``) gives tokens, lemmas and sentences; a ``Matcher``
adds rule-based signals (question form, person, modality, negation, numbers and money,
dates and times, past tense, fillers, and cue phrases). Everything here is
taxonomy-free: signals describe the words, never a label.

The scikit-learn side (``callreview.pipeline``) turns the per-passage dicts built here
into vectors with ``DictVectorizer`` and ``TfidfVectorizer``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from .nlp import get_nlp
from .records import Call

if TYPE_CHECKING:  # pragma: no cover
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

WH = ["what", "how", "why", "when", "where", "who", "which", "whose", "whom"]
AUX = ["do", "does", "did", "can", "could", "would", "will", "is", "are", "was", "were", "have",
       "has", "should", "may", "shall", "might", "am", "had", "wo", "ca", "is'nt"]
SUBJ = ["you", "we", "they", "it", "i", "he", "she", "there", "that", "this", "your", "y'all", "anyone",
        "anybody", "someone", "everyone"]
MODALS = ["can", "could", "would", "should", "might", "may", "must", "will", "shall", "ca", "wo"]
NEG = ["not", "n't", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "dont",
       "didnt", "doesnt", "cant", "wont", "isnt", "arent", "wasnt"]
FILLERS = ["um", "uh", "erm", "er", "hmm", "mm", "uhh", "umm", "ah", "eh", "mhm", "mm-hmm", "uh-huh"]
MONTHS = ["january", "february", "march", "april", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
          "nov", "dec"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
        "tomorrow", "tonight", "weekend", "morning", "afternoon", "evening", "noon", "eod"]
TIME_WORDS = ["week", "month", "quarter", "year", "day", "hour", "minute", "q1", "q2", "q3", "q4"]
MONEY_WORDS = ["$", "€", "£", "dollar", "buck", "k", "grand", "price", "cost", "budget", "fee",
               "discount", "invoice", "rate", "pay", "spend", "cheap", "expensive", "pricing", "quote"]

# Cue lexicons: lemmas (lower case). They describe words, not labels.
CUES: dict[str, list[str]] = {
    "consequence": ["affect", "impact", "cost", "happen", "mean", "result", "consequence", "lead",
                    "effect", "knock-on", "downstream", "risk", "lose", "end", "cause", "hit", "hurt"],
    "value": ["worth", "value", "help", "benefit", "useful", "important", "matter", "save", "gain",
              "free", "ideal", "difference", "mean", "valuable", "buy", "easier"],
    "problem": ["problem", "issue", "difficult", "challenge", "struggle", "frustrate", "frustrating",
                "pain", "hard", "slow", "mess", "headache", "break", "fail", "waste", "complain",
                "annoying", "worry", "trouble", "bottleneck", "manual", "behind", "late", "miss",
                "tough", "killing", "nightmare", "error", "wrong", "stuck"],
    "agree": ["yes", "yeah", "yep", "sure", "agree", "absolutely", "definitely", "okay", "ok",
              "deal", "great", "perfect", "fine", "sounds", "works", "go", "let's", "alright"],
    "concern": ["but", "concern", "concerned", "expensive", "budget", "already", "worried", "worry",
                "afraid", "unsure", "hesitant", "risk", "afford", "pricey", "competitor", "contract",
                "locked", "honestly", "problem", "skeptical", "doubt", "hold", "wait", "later",
                "think", "circle", "pass", "interested", "steep", "high"],
    "commit": ["schedule", "book", "sign", "trial", "pilot", "meeting", "calendar", "invite",
               "next", "step", "contract", "order", "proposal", "demo", "introduce", "intro",
               "paperwork", "agreement", "start", "kick", "purchase", "po", "move", "forward",
               "confirm", "lock", "set"],
    "greeting": ["hi", "hello", "hey", "morning", "thanks", "thank", "appreciate", "bye", "goodbye",
                 "nice", "weekend", "weather", "trip", "vacation", "family", "cheers", "pleasure",
                 "welcome", "congrats", "congratulations", "care", "later", "talk", "soon"],
    "feature": ["feature", "dashboard", "integrate", "integration", "report", "automatically",
                "module", "platform", "app", "system", "include", "support", "offer", "plan",
                "option", "api", "sync", "version", "model", "package", "tier", "warranty",
                "install", "service", "team", "customer", "client"],
    "logistics": ["hear", "mute", "unmute", "audio", "connection", "screen", "share", "link",
                  "email", "send", "follow", "drop", "cut", "lag", "video", "camera", "zoom", "teams",
                  "call", "line", "sorry", "repeat", "echo", "frozen"],
}

PHRASES: dict[str, list[list[str]]] = {
    "invite": [["walk", "me", "through"], ["tell", "me", "about"], ["tell", "me", "more"],
               ["help", "me", "understand"], ["i", "be", "curious"], ["i", "'m", "curious"],
               ["curious", "how"], ["curious", "what"], ["talk", "me", "through"],
               ["i", "wonder"], ["i", "be", "wonder"], ["can", "you", "explain"],
               ["give", "me", "a", "sense"], ["paint", "me", "a", "picture"]],
    "summary": [["so", "if", "i"], ["sound", "like"], ["what", "i", "be", "hear"],
                ["what", "i", "'m", "hearing"], ["to", "recap"], ["let", "me", "make", "sure"],
                ["if", "i", "understand"], ["in", "other", "word"], ["so", "basically"],
                ["just", "to", "confirm"], ["let", "me", "play", "that", "back"], ["to", "summarize"],
                ["so", "what", "you", "be", "say"], ["if", "i", "have", "it", "right"], ["so", "far"],
                ["you", "'ve", "tell", "me"], ["you", "have", "tell", "me"], ["recap"], ["summarize"],
                ["to", "sum", "up"], ["make", "sure", "i", "have"], ["the", "way", "i", "see", "it"]],
    "reference_back": [["you", "mention"], ["you", "say"], ["you", "tell", "me"], ["earlier", "you"],
                       ["you", "bring", "up"], ["you", "describe"], ["you", "flag"],
                       ["you", "note"], ["you", "'d", "say"], ["you", "point", "out"],
                       ["your", "concern"], ["you", "be", "worry"], ["you", "be", "tell"],
                       ["since", "you"], ["because", "you"], ["which", "be", "what", "you"]],
    "next_step": [["next", "step"], ["next", "week"], ["set", "up"], ["book", "a"], ["get", "it", "on"],
                  ["on", "the", "calendar"], ["move", "forward"], ["go", "ahead"], ["send", "over"],
                  ["sign", "off"], ["get", "start"], ["can", "we", "schedule"], ["would", "you", "be", "open"],
                  ["be", "you", "open"], ["how", "about", "we"], ["why", "do", "n't", "we"],
                  ["shall", "we"], ["let", "'s", "get"], ["let", "'s", "set"], ["let", "'s", "book"],
                  ["pencil", "in"], ["lock", "in"], ["kick", "off"]],
    "hypothetical": [["if", "you", "could"], ["if", "you", "have"], ["if", "you", "do"],
                     ["if", "we", "could"], ["what", "would", "it"], ["what", "would", "that"],
                     ["how", "would", "it"], ["how", "would", "that"], ["would", "it", "help"],
                     ["would", "that", "help"], ["how", "much", "would"], ["what", "would", "happen"],
                     ["be", "it", "worth"], ["what", "do", "that", "mean"], ["what", "do", "it", "mean"],
                     ["what", "be", "that", "worth"], ["what", "happen", "when"], ["what", "happen", "if"]],
    "agenda": [["agenda"], ["purpose"], ["plan", "for", "today"], ["minute"], ["cover"],
               ["the", "goal"], ["quick", "question"], ["ask", "a", "few"], ["ask", "you", "a"],
               ["do", "that", "work"], ["work", "for", "you"], ["sound", "okay"], ["sound", "good"],
               ["before", "we", "start"], ["to", "start"], ["first", "i"], ["would", "love", "to"],
               ["hop", "into"], ["jump", "in"], ["dive", "in"]],
    "deferral": [["circle", "back"], ["call", "me"], ["think", "about", "it"], ["get", "back", "to"],
                 ["not", "right", "now"], ["next", "quarter"], ["next", "year"], ["not", "interested"],
                 ["not", "a", "priority"], ["not", "sure"], ["send", "me", "some"], ["let", "me", "think"],
                 ["run", "it", "by"], ["talk", "to", "my"], ["check", "with"]],
}


# Single-word lexicons matched on the lower-cased form.
WORD_SETS: dict[str, list[str]] = {
    "you": ["you", "your", "yours", "yourself", "y'all", "ya", "u"],
    "i": ["i", "me", "my", "mine", "myself", "im"],
    "we": ["we", "us", "our", "ours", "ourselves"],
    "modal": MODALS,
    "negation": NEG,
    "filler": FILLERS + ["like"],
    "date_time": MONTHS + DAYS,
    "money": ["$", "€", "£", "dollars", "dollar", "bucks", "k", "grand", "price", "cost", "costs",
              "budget", "fee", "fees", "discount", "invoice", "rate", "pay", "spend", "pricing", "quote",
              "expensive", "cheap", "cheaper", "per", "month", "annual", "year"],
    "past_irregular": sorted(_IRREGULAR_PAST) if False else [],  # filled below
    "if": ["if", "unless", "suppose", "imagine"],
}

_IRREGULAR_PAST_WORDS = ["was", "were", "had", "did", "said", "told", "went", "came", "saw", "got", "gave",
                         "took", "made", "thought", "felt", "knew", "left", "met", "sent", "spent", "bought",
                         "brought", "ran", "wrote", "began", "spoke", "heard", "found", "kept", "led", "paid"]
WORD_SETS["past_irregular"] = _IRREGULAR_PAST_WORDS

QUESTION_OPENERS = frozenset(WH)
AUX_SET = frozenset(AUX)
SUBJ_SET = frozenset(SUBJ)
LEAD_INS = frozenset(["so", "and", "but", "okay", "ok", "right", "now", "then", "also", "well", "just",
                      "and", "um", "uh", "alright", "great", "perfect", "sure", "yeah", "got", "it"])


_IRREGULAR = {"be": ["am", "is", "are", "was", "were", "'m", "'re", "'s", "been", "being"],
              "say": ["said", "says"], "tell": ["told", "tells"], "have": ["has", "had", "'ve"],
              "do": ["does", "did"], "hear": ["heard"], "bring": ["brought"], "get": ["got", "gets"],
              "send": ["sent"], "set": ["sets"], "think": ["thought"], "go": ["went", "goes"],
              "can": ["could"], "will": ["would", "'ll"], "run": ["ran"], "sum": ["summed"]}


def _variants(word: str) -> set[str]:
    out = {word, word + "s", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    out.update(_IRREGULAR.get(word, ()))
    return out


def _phrase_variants(phrase: list[str]) -> list[str]:
    forms = [[""]]
    for w in phrase:
        forms.append([f"{prefix} {v}".strip() for prefix in forms[-1] for v in sorted(_variants(w))][:400])
    return forms[-1]


class Signals:
    """The spaCy matcher and lookup table behind the rule-based signals (built once).

    Multi-word cue phrases and word lists go through a ``PhraseMatcher`` on the lower-cased
    form (inflected variants generated from the base forms); single-word cue lexicons are
    matched on lemmas from the pipeline's lookup lemmatizer table.
    """

    def __init__(self) -> None:
        from spacy.matcher import PhraseMatcher

        from .nlp import lemma_table

        nlp = get_nlp()
        self.nlp = nlp
        self.table = lemma_table()
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        make = nlp.make_doc
        for name, words in WORD_SETS.items():
            self.lower.add(name, [make(w) for w in words])
        for name, phrases in PHRASES.items():
            self.lower.add(name, [make(v) for p in phrases for v in _phrase_variants(p)])
        self.cues: dict[str, tuple[str, ...]] = {}
        for name, words in CUES.items():
            for w in words:
                self.cues[w] = self.cues.get(w, ()) + ("cue_" + name,)
        self.strings = nlp.vocab.strings

    def lemma(self, tok) -> str:
        return self.table.get(tok.orth, tok.text).lower()

    def __call__(self, doc: "Doc") -> tuple[dict[str, float], str]:
        """Signals of one passage and its normalised word string."""
        hits: dict[str, set[int]] = {}
        for match_id, start, _end in self.lower(doc):
            hits.setdefault(self.strings[match_id], set()).add(start)
        cue_counts: dict[str, int] = {}
        words: list[str] = []
        n = qmarks = nums = money = past = 0
        wh = aux = 0
        first_in_sent = True
        after_aux = False
        table_get = self.table.get
        cues = self.cues
        for tok in doc:
            if tok.is_sent_start:
                first_in_sent = True
            text = tok.text
            if tok.is_punct:
                if "?" in text:
                    qmarks += 1
                    words.append("<q>")
                continue
            if tok.is_space:
                continue
            n += 1
            low = tok.lower_
            if after_aux and low in SUBJ_SET:
                aux += 1
            after_aux = False
            if first_in_sent:
                if low in QUESTION_OPENERS:
                    wh += 1
                    first_in_sent = False
                elif low in AUX_SET:
                    after_aux = True
                    first_in_sent = False
                elif low not in LEAD_INS:
                    first_in_sent = False
            if tok.like_num or (not tok.is_alpha and any(c.isdigit() for c in text)):
                nums += 1
                words.append("<num>")
                continue
            if tok.is_currency:
                money += 1
                words.append("<money>")
                continue
            if len(low) > 4 and low.endswith("ed"):
                past += 1
            lemma = low if low in _KEEP_FORM else table_get(tok.orth, text).lower()
            words.append(lemma)
            for cue in cues.get(lemma, ()) or cues.get(low, ()):
                cue_counts[cue] = cue_counts.get(cue, 0) + 1
        n = max(n, 1)
        sents = sum(1 for s in doc.sents if len(s) > 0)

        def count(name: str) -> int:
            return len(hits.get(name, ()))

        out = {
            "question_mark": float(min(qmarks, 3)),
            "wh_start": float(min(wh, 3)),
            "aux_inversion": float(min(aux, 3)),
            "length": math.log1p(n),
            "sentences": math.log1p(sents),
            "number": min(3.0, 10.0 * nums / n),
            "money": min(3.0, 10.0 * (money + count("money")) / n),
            "past_tense": min(3.0, 10.0 * (past + count("past_irregular")) / n),
        }
        for k in ("invite", "summary", "reference_back", "next_step", "hypothetical", "agenda", "deferral"):
            out[k] = float(min(count(k), 3))
        for k in ("you", "i", "we", "modal", "negation", "filler", "date_time", "if"):
            out[k] = min(3.0, 10.0 * count(k) / n)
        for k in CUES:
            out["cue_" + k] = min(3.0, 10.0 * cue_counts.get("cue_" + k, 0) / n)
        return out, " ".join(words)


# Forms the lookup table lemmatizes badly ("us" -> "u"); kept as written.
_KEEP_FORM = frozenset({"us", "as", "its", "'s", "'re", "'ll", "'ve", "'d", "this", "has", "less", "was"})

SIGNAL_NAMES = (
    "question_mark", "wh_start", "aux_inversion", "length", "sentences", "number", "money", "past_tense",
    "invite", "summary", "reference_back", "next_step", "hypothetical", "agenda", "deferral",
    "you", "i", "we", "modal", "negation", "filler", "date_time", "if",
    *(f"cue_{k}" for k in CUES),
)
NEIGHBOUR_SIGNALS = ("question_mark", "wh_start", "aux_inversion", "cue_problem", "cue_concern", "next_step",
                     "deferral", "cue_agree", "summary", "hypothetical", "length", "cue_value", "cue_commit")
ROLE_NAMES = ("seller", "buyer", "other", "unknown")


@lru_cache(maxsize=1)
def get_signals() -> Signals:
    return Signals()


def _numeric_names() -> list[str]:
    names = [f"sig:{s}" for s in SIGNAL_NAMES]
    names += [f"role={r}" for r in ROLE_NAMES]
    names += ["notes", "position", "position^2", "first_passages", "last_passages"]
    for tag in ("prev", "next", "prev2"):
        names += [f"{tag}_role={r}" for r in ROLE_NAMES]
        names += [f"{tag}_same_speaker", f"{tag}_none"]
        names += [f"{tag}:{s}" for s in NEIGHBOUR_SIGNALS]
    return names


NUMERIC_NAMES = tuple(_numeric_names())


@dataclass
class FeatureBatch:
    """Columnar features of the passages of several calls (calls back to back)."""

    words: list[str]  # lower-cased lemmas with <num>, <money>, <q> placeholders
    role_words: list[str]  # the same words tagged with the speaker's role initial
    chars: list[str]  # the lower-cased text, for character n-grams
    numeric: "np.ndarray"  # (n_passages, len(NUMERIC_NAMES)) signals, role, position, neighbours
    bounds: list[tuple[int, int]]  # per call: [start, end) rows

    def __len__(self) -> int:
        return len(self.words)

    def take(self, call_indices: Sequence[int]) -> "FeatureBatch":
        """The rows of some calls (features are label-free, so cross-validation
        computes them once and takes each fold's calls)."""
        import numpy as np

        rows: list[int] = []
        bounds = []
        for ci in call_indices:
            s, e = self.bounds[ci]
            bounds.append((len(rows), len(rows) + e - s))
            rows.extend(range(s, e))
        return FeatureBatch(words=[self.words[r] for r in rows], role_words=[self.role_words[r] for r in rows],
                            chars=[self.chars[r] for r in rows], numeric=self.numeric[np.array(rows, dtype=np.int64)],
                            bounds=bounds)


def call_features(calls: Sequence[Call]) -> FeatureBatch:
    """Local features of every passage of the calls (no labels used)."""
    import numpy as np

    sig = get_signals()
    texts = [p.text for c in calls for p in c.passages]
    total = len(texts)
    S = len(SIGNAL_NAMES)
    sigs = np.zeros((total, S), dtype=np.float32)
    words: list[str] = []
    from .nlp import sentence_docs

    for k, doc in enumerate(sentence_docs(texts)):
        values, w = sig(doc)
        sigs[k] = [values[s] for s in SIGNAL_NAMES]
        words.append(w)
    col = {name: i for i, name in enumerate(NUMERIC_NAMES)}
    num = np.zeros((total, len(NUMERIC_NAMES)), dtype=np.float32)
    num[:, :S] = sigs
    nb_idx = [SIGNAL_NAMES.index(s) for s in NEIGHBOUR_SIGNALS]
    role_words: list[str] = []
    bounds: list[tuple[int, int]] = []
    k = 0
    for call in calls:
        n = len(call.passages)
        bounds.append((k, k + n))
        rows = slice(k, k + n)
        roles = [p.role if p.role in ROLE_NAMES else "unknown" for p in call.passages]
        speakers = [p.speaker for p in call.passages]
        pos = np.arange(n, dtype=np.float32) / max(n - 1, 1)
        num[rows, col["position"]] = pos
        num[rows, col["position^2"]] = pos * pos
        num[rows, col["notes"]] = 1.0 if call.kind == "notes" else 0.0
        num[k:k + min(3, n), col["first_passages"]] = 1.0
        num[k + max(0, n - 3):k + n, col["last_passages"]] = 1.0
        for i, r in enumerate(roles):
            num[k + i, col[f"role={r}"]] = 1.0
            role_words.append(" ".join(f"{r[0]}_{w}" for w in words[k + i].split()))
        for tag, off in (("prev", -1), ("next", 1), ("prev2", -2)):
            base = col[f"{tag}:{NEIGHBOUR_SIGNALS[0]}"]
            for i in range(n):
                j = i + off
                if 0 <= j < n:
                    num[k + i, col[f"{tag}_role={roles[j]}"]] = 1.0
                    if speakers[i] and speakers[i] == speakers[j]:
                        num[k + i, col[f"{tag}_same_speaker"]] = 1.0
                    num[k + i, base:base + len(nb_idx)] = sigs[k + j, nb_idx]
                else:
                    num[k + i, col[f"{tag}_none"]] = 1.0
        k += n
    return FeatureBatch(words=words, role_words=role_words, chars=[t.lower() for t in texts],
                        numeric=num, bounds=bounds)
