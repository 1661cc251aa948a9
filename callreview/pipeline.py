"""The classifier: scikit-learn pipelines over spaCy features, with call context and
sequence decoding.

Shape (for every task the corpus has labels for, e.g. ``behavior`` and ``stage``):

1. **Local features** (one ``FeatureUnion``): TF-IDF word 1-2-grams of the lemmas, the
   same words tagged with the speaker's role, TF-IDF character n-grams of the text (robust
   to speech-recognition misspellings), and a ``DictVectorizer`` of the rule-based signals,
   role, relative position and the neighbouring passages' roles and signals
   (``callreview.features``).
2. **First pass**: a logistic regression per task on the local features. Its out-of-fold
   probabilities (grouped by call, so a call never predicts itself) become **context
   features**: what the previous and next passages look like, and which labels occurred
   earlier in the call (this is how ``benefit_statement`` learns that it needs a need stated
   earlier), for every task.
3. **Second pass**: a logistic regression per task on local + context features. Logistic
   regression minimises log loss, so its probabilities are calibrated (``evaluate``
   reports the expected calibration error to show it). For labels that are not a
   sequence (behaviors), the probabilities are then divided by the label's share of the
   training passages to the power ``balance`` (0.5) and renormalised: argmax of calibrated
   probabilities maximises accuracy, which lets the big labels win; a manager's rare
   labels (a summary, an implication question) matter as much, so the decision aims at
   macro-F1 instead. On corpora/default's balanced labels this changes almost nothing; on
   PersuasionForGood's skewed ones it adds two points of macro-F1.
4. **Sequence decoding** for sequential tasks (stages): transition and start
   probabilities counted from the corpus, combined with the second-pass probabilities by
   forward-backward (confidence) and Viterbi (labels).
5. **Calibration**: the balance and the decoding move the shown probabilities away from
   calibrated (behaviors came out under-confident, stages over-confident), so one
   temperature per task, fitted by log loss on out-of-fold second-pass predictions whose
   folds hold out whole voices (a corpus file is one writer's batch), brings them back: the
   confidence shown is the one the model earns on a voice it has not seen, not on its own.
   A power of the posteriors: no label changes.

Prediction (context, second pass, balance, decoding, explanations) lives in
:class:`callreview.predict.Predictor`, shared with the numpy-only
:class:`~callreview.predict.CompiledClassifier` that ``callreview annotate`` loads.

The estimator follows scikit-learn's conventions: parameters in ``__init__``, learned
state in attributes ending in ``_``, ``fit`` returns ``self``. Labels are whatever
strings the corpus holds.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler, Normalizer

from . import segment
from .features import NUMERIC_NAMES, FeatureBatch, call_features
from .predict import CONTEXT, Predictor, TaskModel
from .records import Call

__all__ = ["CallClassifier", "TaskModel", "make_local_union"]

Progress = Callable[[str], None]


class Field(BaseEstimator, TransformerMixin):
    """Select one column of a :class:`FeatureBatch` (a picklable selector)."""

    def __init__(self, name: str = "words"):
        self.name = name

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return getattr(X, self.name)


def _split(text: str) -> list[str]:
    return text.split()


def _word_tfidf(min_df: int, ngrams: int) -> TfidfVectorizer:
    return TfidfVectorizer(tokenizer=_split, token_pattern=None, lowercase=False, ngram_range=(1, ngrams),
                           min_df=min_df, sublinear_tf=True, max_features=40000, dtype=np.float32)


def make_local_union(char_ngrams: bool = True, lsa: int = 0, min_df: int = 2, ngrams: int = 2) -> FeatureUnion:
    parts = [
        ("words", Pipeline([("field", Field("words")), ("tfidf", _word_tfidf(min_df, ngrams))])),
        ("role_words", Pipeline([("field", Field("role_words")),
                                 ("tfidf", TfidfVectorizer(tokenizer=_split, token_pattern=None, lowercase=False,
                                                           ngram_range=(1, 1), min_df=2, sublinear_tf=True,
                                                           dtype=np.float32))])),
        ("local", Pipeline([("field", Field("numeric")),
                            ("scale", MaxAbsScaler())])),
    ]
    if lsa:
        # latent topics of the words (LSA): passages that say the same thing in other words
        parts.append(("topics", Pipeline([("field", Field("words")), ("tfidf", _word_tfidf(min_df, ngrams)),
                                          ("svd", TruncatedSVD(lsa, random_state=0)),
                                          ("norm", Normalizer(copy=False))])))
    if char_ngrams:
        parts.insert(2, ("chars", Pipeline([
            ("field", Field("chars")),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True,
                                      max_features=30000, dtype=np.float32))])))
    return FeatureUnion(parts)


def _readable_local(name: str) -> str:
    if name.startswith("sig:"):
        return "signal: " + name[4:].replace("cue_", "").replace("_", " ") + " words" * name.startswith("sig:cue_")
    if name.startswith("role="):
        return f"speaker role: {name[5:]}"
    for tag, what in (("prev2", "two passages back"), ("prev", "previous passage"), ("next", "next passage")):
        if name.startswith(tag + "_role="):
            return f"{what} by: {name.split('=', 1)[1]}"
        if name == tag + "_same_speaker":
            return f"{what} has the same speaker"
        if name == tag + "_none":
            return f"no {what}"
        if name.startswith(tag + ":"):
            return f"{what}: {name.split(':', 1)[1].replace('cue_', '').replace('_', ' ')}"
    return name.replace("_", " ")


_PLACEHOLDERS = (("<q>", "?"), ("<num>", "#"), ("<money>", "$"), ("<s>", "(start)"))


def _readable_words(words: str) -> str:
    """The features' placeholder tokens as a manager reads them."""
    for token, shown in _PLACEHOLDERS:
        words = words.replace(token, shown)
    return words


def _feature_names(union: FeatureUnion) -> list[str]:
    names: list[str] = []
    for part, pipe in union.transformer_list:
        raw = list(NUMERIC_NAMES) if part == "local" else list(pipe.steps[-1][1].get_feature_names_out())
        if part == "words":
            names += [f"word '{_readable_words(w)}'" for w in raw]
        elif part == "role_words":
            names += [f"{'seller' if w[0] == 's' else 'buyer' if w[0] == 'b' else w[0]} says '{_readable_words(w[2:])}'"
                      for w in raw]
        elif part == "chars":
            names += [f"letters '{w.strip()}'" for w in raw]
        elif part == "topics":
            names += [f"first look: topic {i}" for i in range(len(raw))]  # latent: never shown as a reason
        else:
            names += [_readable_local(w) for w in raw]
    return names


def _readable_context(name: str) -> str:
    # c:{task}:{where}={label}
    _, task, rest = name.split(":", 2)
    where, label = rest.split("=", 1)
    return {
        "self": f"first look: {label}",
        "prev": f"previous passage looks like {label}",
        "next": f"next passage looks like {label}",
        "earlier": f"earlier in the call: {label}",
        "prev_same": f"the speaker's previous passage looks like {label}",
        "next_same": f"the speaker's next passage looks like {label}",
        "run": f"the speaker's other passages in a row look like {label}",
    }.get(where, name)


def _voice_groups(calls: Sequence[Call], bounds: list[tuple[int, int]]) -> np.ndarray:
    """Per passage, the voice its call was written in: the corpus file it came from (each
    file of a corpus is one writer's batch). With fewer than three files, each call is its
    own group."""
    sources = [c.source or "" for c in calls]
    keys = sources if len(set(sources)) >= 3 else [str(i) for i in range(len(calls))]
    ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    return np.concatenate([np.full(e - s, ids[k]) for k, (s, e) in zip(keys, bounds)])


class CallClassifier(BaseEstimator, Predictor):
    """Labels every passage of a call for each task found in the training corpus."""

    def __init__(self, C: float = 1.0, C_first: float = 1.0, context_weight: float = 0.5,
                 sequence_context_weight: float = 1.0, context: tuple[str, ...] = CONTEXT,
                 inner_folds: int = 4, char_ngrams: bool = False, sequence_tasks: tuple[str, ...] = ("stage",),
                 prior_weight: float = 0.0, max_iter: int = 400, random_state: int = 0,
                 lsa: int = 0, min_df: int = 2, ngrams: int = 2, balance: float = 0.5, calibrate: bool = True,
                 split_turns: bool = True):
        self.split_turns = split_turns
        self.balance = balance
        self.calibrate = calibrate
        self.context = context
        self.sequence_context_weight = sequence_context_weight
        self.lsa = lsa
        self.min_df = min_df
        self.ngrams = ngrams
        self.C = C
        self.C_first = C_first
        self.context_weight = context_weight
        self.inner_folds = inner_folds
        self.char_ngrams = char_ngrams
        self.sequence_tasks = sequence_tasks
        self.prior_weight = prior_weight
        self.max_iter = max_iter
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def _lr(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=self.max_iter, solver="newton-cg", random_state=self.random_state)

    def fit(self, calls: Sequence[Call], tasks: Sequence[str] = ("behavior", "stage"),
            progress: Progress | None = None, batch: FeatureBatch | None = None) -> "CallClassifier":
        """Fit on labeled calls. ``batch`` may carry their precomputed features."""
        say = progress or (lambda _m: None)
        if batch is None:
            say("features")
            batch = call_features(calls)
        groups = np.concatenate([np.full(e - s, ci) for ci, (s, e) in enumerate(batch.bounds)])
        self.union_ = make_local_union(self.char_ngrams, self.lsa, self.min_df, self.ngrams)
        X = self.union_.fit_transform(batch).tocsr()
        for _, pipe in self.union_.transformer_list:  # keep the pickle small
            last = pipe.steps[-1][1]
            if hasattr(last, "stop_words_"):
                last.stop_words_ = None
        self.tasks_ = tuple(t for t in tasks if any(p.label(t) for c in calls for p in c.passages))
        ys = {t: np.array([p.label(t) or "" for c in calls for p in c.passages], dtype=object) for t in self.tasks_}
        self.models_: dict[str, TaskModel] = {}
        # First pass, with out-of-fold probabilities for the context features (and for the
        # sentences the boundary classifier learns from, see callreview.segment).
        first_probs: dict[str, np.ndarray] = {}
        n_groups = len(batch.bounds)
        seg_task = segment.TASK if segment.TASK in self.tasks_ and self.split_turns else None
        if seg_task:
            say("sentence boundaries: features")
            fine_calls, seg_examples = segment.training_boundaries(calls)
            owner = {c.call_id: i for i, c in enumerate(calls)}
            fine_batch = call_features(fine_calls)
            X_fine = self.union_.transform(fine_batch).tocsr()
            fine_groups = np.concatenate([np.full(e - s, owner[c.call_id]) for c, (s, e) in
                                          zip(fine_calls, fine_batch.bounds)]) if fine_calls else np.zeros(0, int)
        for t in self.tasks_:
            y = ys[t]
            mask = y != ""
            labels = tuple(sorted(set(y[mask])))
            oof = np.zeros((X.shape[0], len(labels)), dtype=np.float32)
            fine_oof = np.zeros((X_fine.shape[0], len(labels))) if t == seg_task else None
            folds = min(self.inner_folds, n_groups)
            if folds >= 2 and len(labels) > 1:
                for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(X, groups=groups)):
                    say(f"{t}: first pass, fold {k + 1}/{folds}")
                    trm = tr[mask[tr]]
                    if len(set(y[trm])) < 2:
                        continue
                    m = self._lr(self.C_first).fit(X[trm], y[trm])
                    cols = [labels.index(c) for c in m.classes_]
                    oof[np.ix_(te, cols)] = m.predict_proba(X[te])
                    if fine_oof is not None:
                        fte = np.flatnonzero(np.isin(fine_groups, np.unique(groups[te])))
                        if len(fte):
                            fine_oof[np.ix_(fte, cols)] = m.predict_proba(X_fine[fte])
            say(f"{t}: first pass, all calls")
            first = self._lr(self.C_first).fit(X[mask], y[mask]) if len(labels) > 1 else None
            first_probs[t] = oof
            if fine_oof is not None:
                say("sentence boundaries: fitting")
                self.boundary_ = self._fit_boundaries(fine_calls, fine_batch.bounds, fine_oof, seg_examples)
            self.models_[t] = TaskModel(labels=labels, first=first, second=None,  # type: ignore[arg-type]
                                        sequence=t in self.sequence_tasks)
        unknown = set(self.context) - set(CONTEXT)
        if unknown:
            raise ValueError(f"unknown context blocks {sorted(unknown)}; known: {', '.join(CONTEXT)}")
        C_ctx, ctx_names = self._context(batch, first_probs)
        for t in self.tasks_:
            y = ys[t]
            mask = y != ""
            tm = self.models_[t]
            Xf = self._with_context(X, C_ctx, tm)
            if len(tm.labels) > 1:
                say(f"{t}: second pass")
                tm.second = self._lr(self.C).fit(Xf[mask], y[mask])
                if self.balance and not tm.sequence:
                    # the decision favours macro-F1 over accuracy: divide by the prior to a power
                    prior = np.array([(y[mask] == lab).mean() for lab in tm.labels])
                    tm.log_bias = -float(self.balance) * np.log(np.maximum(prior, 1e-6))
            if tm.sequence:
                self._fit_transitions(tm, calls, t)
            if self.calibrate and tm.second is not None:
                say(f"{t}: calibration")
                tm.temperature = self._fit_temperature(tm, Xf, y, mask, _voice_groups(calls, batch.bounds),
                                                       batch.bounds)
        local_names = _feature_names(self.union_)
        self.feature_names_ = np.array(local_names + [_readable_context(n) for n in ctx_names], dtype=object)
        self._is_context = np.array([False] * len(local_names) + [True] * len(ctx_names))
        self._showable = np.array([not str(n).startswith("first look") for n in self.feature_names_])
        for tm in self.models_.values():
            if tm.second is not None:
                W = tm.second.coef_
                tm.rel_coef = (W - W.mean(axis=0, keepdims=True)).astype(np.float32)
        return self

    def _fit_boundaries(self, fine_calls, bounds, P: np.ndarray, examples) -> LogisticRegression | None:
        """The sentence-boundary classifier (see :mod:`callreview.segment`) on out-of-fold
        first-pass probabilities of the corpus's sentences."""
        ys = [y for *_, y in examples]
        if len(set(ys)) < 2:
            return None
        F = np.vstack([segment.boundary_features(P[bounds[ci][0]:bounds[ci][1]], fine_calls[ci], left, right, rows)
                       for ci, left, right, rows, _y in examples])
        return LogisticRegression(C=1.0, max_iter=1000, random_state=self.random_state).fit(F, np.asarray(ys))

    def _fit_temperature(self, tm: TaskModel, Xf, y: np.ndarray, mask: np.ndarray, groups: np.ndarray,
                         bounds: list[tuple[int, int]]) -> float:
        """One temperature for what is shown (after balance and decoding), fitted on
        out-of-fold second-pass predictions by log loss. The balance and the decoding move
        probabilities away from calibrated; a power of the posteriors (p ** (1/T),
        renormalised) brings them back without changing any label. The folds hold out whole
        voices (``groups``: the corpus file each call came from, see :func:`_voice_groups`),
        so the confidence shown is the one the model earns on a voice it has not seen."""
        n_voices = len(set(groups[mask].tolist()))
        folds = min(5, n_voices) if n_voices >= 3 else min(2, n_voices)
        if folds < 2:
            return 1.0
        oof = np.zeros((Xf.shape[0], len(tm.labels)))
        seen = np.zeros(Xf.shape[0], dtype=bool)
        for tr, te in GroupKFold(n_splits=folds).split(Xf, groups=groups):
            trm = tr[mask[tr]]
            if len(set(y[trm])) < 2:
                continue
            m = self._lr(self.C).fit(Xf[trm], y[trm])
            oof[te] = self._aligned(m, tm.labels, Xf[te])
            seen[te] = True
        saved, tm.temperature = getattr(tm, "temperature", None), None
        post, _, _ = self._posteriors(tm, oof, bounds)
        tm.temperature = saved
        rows = np.flatnonzero(mask & seen)
        if not len(rows):
            return 1.0
        truth = np.array([tm.labels.index(v) for v in y[rows]])
        logp = np.log(np.clip(post[rows], 1e-12, 1.0))
        best_T, best = 1.0, np.inf
        for T in np.exp(np.linspace(-1.2, 1.2, 49)):
            z = logp / T
            z -= z.max(axis=1, keepdims=True)
            nll = float(-(z[np.arange(len(rows)), truth] - np.log(np.exp(z).sum(axis=1))).mean())
            if nll < best - 1e-12:
                best_T, best = float(T), nll
        return best_T

    def _fit_transitions(self, tm: TaskModel, calls: Sequence[Call], task: str) -> None:
        L = len(tm.labels)
        idx = {lab: i for i, lab in enumerate(tm.labels)}
        start = np.ones(L)
        trans = np.ones((L, L))
        prior = np.ones(L)
        for c in calls:
            seq = [idx.get(p.label(task)) for p in c.passages]
            if seq and seq[0] is not None:
                start[seq[0]] += 1
            for a, b in zip(seq, seq[1:]):
                if a is not None and b is not None:
                    trans[a, b] += 1
            for s in seq:
                if s is not None:
                    prior[s] += 1
        tm.log_start = np.log(start / start.sum())
        tm.log_trans = np.log(trans / trans.sum(axis=1, keepdims=True))
        tm.log_prior = np.log(prior / prior.sum())

    # --------------------------------------------------------------- predicting
    def _local(self, batch: FeatureBatch):
        return self.union_.transform(batch).tocsr()
