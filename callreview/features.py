"""Features of a passage: spaCy tokens and lemmas, rule-based signals, and context.

The spaCy side (``callreview.nlp``) gives tokens, lemmas and sentences; a ``Matcher``
adds rule-based signals (question form, person, modality, negation, numbers and money,
dates and times, past tense, fillers, and cue phrases). Everything here is
taxonomy-free: signals describe the words, never a label.

The scikit-learn side (``callreview.pipeline``) turns the per-passage dicts built here
into vectors with ``DictVectorizer`` and ``TfidfVectorizer``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from .nlp import get_nlp
from .records import Call

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

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
    "past_irregular": ["was", "were", "had", "did", "said", "told", "went", "came", "saw", "got", "gave",
                       "took", "made", "thought", "felt", "knew", "left", "met", "sent", "spent", "bought",
                       "brought", "ran", "wrote", "began", "spoke", "heard", "found", "kept", "led", "paid"],
    "if": ["if", "unless", "suppose", "imagine"],
}

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


# Verbs in the cue phrases get inflected variants; every other word matches as written.
_VERBS = frozenset("""walk tell help understand talk wonder explain give paint recap summarize confirm make play
see say mention bring describe flag note point worry sound hear set book get move go send sign start schedule
pencil lock kick have do happen mean think run check circle call sum cover ask hop jump dive love work""".split())


def _variants(word: str) -> set[str]:
    if word not in _VERBS and word not in _IRREGULAR:
        return {word}
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


# Per-word-type flags, computed once per distinct word and cached (spaCy caches
# lexemes the same way): the hot path then works on arrays, not token objects.
TYPE_FLAGS = ("word", "q", "final", "wh", "aux", "subj", "leadin", "num", "money", "past", "you", "i", "we",
              "modal", "negation", "filler", "date_time", "if", *(f"cue_{k}" for k in CUES))
_FINAL_PUNCT = frozenset([".", "!", "?", "...", "…", "?!", "!?", "??", "!!"])


class Signals:
    """Turns the passages of a call into word strings and rule-based signal counts.

    The pipeline's tokenizer (each whitespace piece tokenized once and cached), the lookup
    lemma table, and a ``PhraseMatcher`` for multi-word cue phrases (inflected variants
    generated from base forms), run once over the whole call. Single words are classified
    once per word type and cached; counting is then done with numpy over the call.
    Sentence starts follow the sentencizer's rule (after ``.``, ``!``, ``?``).
    """

    def __init__(self) -> None:
        import numpy as np
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        from .nlp import lemma_table

        nlp = get_nlp()
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.table = lemma_table()
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for name, phrases in PHRASES.items():
            # built from words, not tokenized: "i 'm curious" must stay three tokens as in "I'm curious"
            self.phrases.add(name, [Doc(nlp.vocab, words=v.split()) for p in phrases for v in _phrase_variants(p)])
        self.phrase_names = tuple(PHRASES)
        self.words_of = {k: frozenset(v) for k, v in WORD_SETS.items()}
        self.cues = {k: frozenset(v) for k, v in CUES.items()}
        self._lock = threading.Lock()
        self._index: dict[int, int] = {}
        self._flags = np.zeros((0, len(TYPE_FLAGS)), dtype=np.float32)
        self._words: list[str] = []
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._Doc = Doc

    def _type_row(self, orth: int) -> tuple[list[float], str]:
        lex = self.vocab[orth]
        text = lex.orth_
        low = lex.lower_
        f = dict.fromkeys(TYPE_FLAGS, 0.0)
        word = ""
        if lex.is_punct or lex.is_space or not text.strip():
            if "?" in text:
                f["q"] = 1.0
                word = "<q>"
            if text in _FINAL_PUNCT or (text and set(text) <= set(".!?…")):
                f["final"] = 1.0
            return [f[k] for k in TYPE_FLAGS], word
        f["word"] = 1.0
        if low in QUESTION_OPENERS:
            f["wh"] = 1.0
        if low in AUX_SET:
            f["aux"] = 1.0
        if low in SUBJ_SET:
            f["subj"] = 1.0
        if low in LEAD_INS:
            f["leadin"] = 1.0
        if lex.like_num or (not lex.is_alpha and any(c.isdigit() for c in text)):
            f["num"] = 1.0
            return [f[k] for k in TYPE_FLAGS], "<num>"
        if lex.is_currency:
            f["money"] = 1.0
            return [f[k] for k in TYPE_FLAGS], "<money>"
        lemma = low if low in _KEEP_FORM else self.table.get(text, text).lower()
        if low in self.words_of["money"]:
            f["money"] = 1.0
        if (len(low) > 4 and low.endswith("ed")) or low in self.words_of["past_irregular"]:
            f["past"] = 1.0
        for k in ("you", "i", "we", "modal", "negation", "filler", "date_time", "if"):
            if low in self.words_of[k]:
                f[k] = 1.0
        for k, words in self.cues.items():
            if lemma in words or low in words:
                f["cue_" + k] = 1.0
        return [f[k] for k in TYPE_FLAGS], lemma

    def _rows(self, orths) -> tuple["np.ndarray", "np.ndarray"]:
        """Type ids of the tokens and their flag rows. The type cache grows as new words
        arrive; a lock keeps it consistent when workers annotate in threads."""
        with self._lock:
            tid = self._rows_unlocked(orths)
            return tid, self._flags[tid]

    def _rows_unlocked(self, orths) -> "np.ndarray":
        import numpy as np

        index = self._index
        uniq, inv = np.unique(orths, return_inverse=True)
        new = [int(o) for o in uniq if int(o) not in index]
        if new:
            rows = []
            for o in new:
                flags, word = self._type_row(o)
                index[o] = len(self._words)
                self._words.append(word)
                rows.append(flags)
            self._flags = np.vstack([self._flags, np.asarray(rows, dtype=np.float32)])
        ids = np.fromiter((index[int(o)] for o in uniq), dtype=np.int64, count=len(uniq))
        return ids[inv]

    def _tokens(self, texts: Sequence[str]) -> tuple[list[int], list[int]]:
        """Orth ids of the tokens of every passage, and each passage's token count.

        spaCy's tokenizer first splits on whitespace and then tokenizes each piece on its
        own (prefixes, suffixes, infixes, special cases), so the pieces are tokenized once
        and cached here, as spaCy's own cache does, without building a ``Doc`` per passage.
        Tests check that each piece gets spaCy's tokens and that on real text the result
        equals ``nlp.tokenizer(text)``."""
        cache, tok = self._pieces, self.nlp.tokenizer
        ids: list[int] = []
        lengths: list[int] = []
        with self._lock:
            if len(cache) > 500_000:
                cache.clear()
            for text in texts:
                n0 = len(ids)
                for piece in (text.split() or ["."]):
                    got = cache.get(piece)
                    if got is None:
                        # one piece at a time: joined in one Doc, spaCy's special cases can
                        # tokenize a piece differently by what precedes it ("a:) :)a")
                        got = cache[piece] = tuple(t.orth for t in tok(piece))  # tuples: untracked by the GC
                    ids.extend(got)
                lengths.append(len(ids) - n0)
        return ids, lengths

    def call(self, texts: Sequence[str]) -> tuple["np.ndarray", list[str]]:
        """Signals (n_passages x len(SIGNAL_NAMES)) and word strings of one call's passages."""
        import numpy as np

        ids, lengths_l = self._tokens(texts)
        lengths = np.asarray(lengths_l, dtype=np.int64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        orths = np.asarray(ids, dtype=np.uint64)
        tid, F = self._rows(orths)
        col = {k: i for i, k in enumerate(TYPE_FLAGS)}
        n_tok = len(orths)
        # sentence starts: the first token of a passage, or the token after final punctuation,
        # skipping up to two lead-in words ("so, how ...", "okay and do you ...")
        start = np.zeros(n_tok, dtype=bool)
        start[starts[starts < n_tok]] = True
        start[1:] |= F[:-1, col["final"]] > 0
        eff = start.copy()
        skip = (F[:, col["leadin"]] > 0) | (F[:, col["word"]] == 0)
        for _ in range(2):
            eff[1:] |= eff[:-1] & skip[:-1]
        nxt_subj = np.zeros(n_tok, dtype=np.float32)
        nxt_subj[:-1] = F[1:, col["subj"]]
        per_tok = {
            "wh_start": (eff & (F[:, col["wh"]] > 0)).astype(np.float32),
            "aux_inversion": (eff & (F[:, col["aux"]] > 0)).astype(np.float32) * nxt_subj,
            "sent": (start & (F[:, col["word"]] > 0)).astype(np.float32),
        }
        cum = np.vstack([np.zeros((1, F.shape[1]), np.float32), np.cumsum(F, axis=0)])
        sums = cum[ends] - cum[starts]
        extra = {k: np.concatenate([[0.0], np.cumsum(v)]) for k, v in per_tok.items()}
        extra_sums = {k: v[ends] - v[starts] for k, v in extra.items()}
        n_p = len(texts)
        hits = np.zeros((n_p, len(self.phrase_names)), dtype=np.float32)
        pname = {self.vocab.strings[n]: i for i, n in enumerate(self.phrase_names)}
        # the phrase matcher runs once over the whole call; a match may not cross passages
        strings = self.vocab.strings
        doc = self._Doc(self.vocab, words=[strings[o] for o in ids]) if ids else None
        seen = set()
        for match_id, s, e in (self.phrases(doc) if doc is not None else ()):
            p = int(np.searchsorted(ends, s, side="right"))
            if e <= ends[p] and (match_id, s) not in seen:  # one hit per phrase start, however many variants match
                seen.add((match_id, s))
                hits[p, pname[match_id]] += 1
        n = np.maximum(sums[:, col["word"]], 1.0)
        out = np.zeros((n_p, len(SIGNAL_NAMES)), dtype=np.float32)
        sig = {name: i for i, name in enumerate(SIGNAL_NAMES)}

        def rate(v):
            return np.minimum(3.0, 10.0 * v / n)

        out[:, sig["question_mark"]] = np.minimum(sums[:, col["q"]], 3)
        out[:, sig["wh_start"]] = np.minimum(extra_sums["wh_start"], 3)
        out[:, sig["aux_inversion"]] = np.minimum(extra_sums["aux_inversion"], 3)
        out[:, sig["length"]] = np.log1p(n)
        out[:, sig["sentences"]] = np.log1p(np.maximum(extra_sums["sent"], 1))
        out[:, sig["number"]] = rate(sums[:, col["num"]])
        out[:, sig["money"]] = rate(sums[:, col["money"]])
        out[:, sig["past_tense"]] = rate(sums[:, col["past"]])
        for k in self.phrase_names:
            out[:, sig[k]] = np.minimum(hits[:, self.phrase_names.index(k)], 3)
        for k in ("you", "i", "we", "modal", "negation", "filler", "date_time", "if"):
            out[:, sig[k]] = rate(sums[:, col[k]])
        for k in CUES:
            out[:, sig["cue_" + k]] = rate(sums[:, col["cue_" + k]])
        with self._lock:
            words_arr = list(self._words)
        # "<s>" before the first word of each sentence, so word pairs see how a sentence
        # opens ("<s> have", "<s> i"): a question, a story and a pitch start differently
        toks = [words_arr[t] for t in tid.tolist()]
        for i in np.flatnonzero(start).tolist():
            w = toks[i]
            if w and w != "<q>":
                toks[i] = "<s> " + w
        words = [" ".join(w for w in toks[s:e] if w) for s, e in zip(starts.tolist(), ends.tolist())]
        return out, words


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
    speakers: list[str] | None = None  # who says each passage (the speaker's name, else the role)

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
                            bounds=bounds,
                            speakers=[self.speakers[r] for r in rows] if self.speakers is not None else None)


def call_features(calls: Sequence[Call]) -> FeatureBatch:
    """Local features of every passage of the calls (no labels used)."""
    import numpy as np

    sig = get_signals()
    texts = [p.text for c in calls for p in c.passages]
    total = len(texts)
    S = len(SIGNAL_NAMES)
    sigs = np.zeros((total, S), dtype=np.float32)
    words: list[str] = []
    k0 = 0
    for call in calls:
        n = len(call.passages)
        if n:
            values, w = sig.call(texts[k0:k0 + n])
            sigs[k0:k0 + n] = values
            words.extend(w)
        k0 += n
    col = {name: i for i, name in enumerate(NUMERIC_NAMES)}
    num = np.zeros((total, len(NUMERIC_NAMES)), dtype=np.float32)
    num[:, :S] = sigs
    nb_idx = np.array([SIGNAL_NAMES.index(s) for s in NEIGHBOUR_SIGNALS])
    nb_sigs = sigs[:, nb_idx]
    role_idx = {r: i for i, r in enumerate(ROLE_NAMES)}
    role_of = np.array([role_idx.get(p.role or "unknown", role_idx["unknown"]) for c in calls for p in c.passages],
                       dtype=np.int64)
    speaker_of = [p.speaker for c in calls for p in c.passages]
    role_base = col[f"role={ROLE_NAMES[0]}"]
    num[np.arange(total), role_base + role_of] = 1.0
    role_words = [" ".join(f"{ROLE_NAMES[r][0]}_{w}" for w in ws.split()) for r, ws in zip(role_of, words)]
    bounds: list[tuple[int, int]] = []
    k = 0
    for call in calls:
        n = len(call.passages)
        bounds.append((k, k + n))
        rows = slice(k, k + n)
        pos = np.arange(n, dtype=np.float32) / max(n - 1, 1)
        num[rows, col["position"]] = pos
        num[rows, col["position^2"]] = pos * pos
        num[rows, col["notes"]] = 1.0 if call.kind == "notes" else 0.0
        num[k:k + min(3, n), col["first_passages"]] = 1.0
        num[k + max(0, n - 3):k + n, col["last_passages"]] = 1.0
        i = np.arange(k, k + n)
        for tag, off in (("prev", -1), ("next", 1), ("prev2", -2)):
            j = i + off
            ok = (j >= k) & (j < k + n)
            src, dst = j[ok], i[ok]
            num[dst, col[f"{tag}_role={ROLE_NAMES[0]}"] + role_of[src]] = 1.0
            same = np.fromiter((bool(speaker_of[a]) and speaker_of[a] == speaker_of[b] for a, b in zip(dst, src)),
                               dtype=bool, count=len(dst))
            num[dst[same], col[f"{tag}_same_speaker"]] = 1.0
            base = col[f"{tag}:{NEIGHBOUR_SIGNALS[0]}"]
            num[dst, base:base + len(nb_idx)] = nb_sigs[src]
            num[i[~ok], col[f"{tag}_none"]] = 1.0
        k += n
    speakers = [s or ROLE_NAMES[r] for s, r in zip(speaker_of, role_of)]
    return FeatureBatch(words=words, role_words=role_words, chars=[t.lower() for t in texts],
                        numeric=num, bounds=bounds, speakers=speakers)
