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
   reports the expected calibration error to show it).
4. **Sequence decoding** for sequential tasks (stages): transition and start
   probabilities counted from the corpus, combined with the second-pass probabilities by
   forward-backward (confidence) and Viterbi (labels).

The estimator follows scikit-learn's conventions: parameters in ``__init__``, learned
state in attributes ending in ``_``, ``fit`` returns ``self``. Labels are whatever
strings the corpus holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import MaxAbsScaler, Normalizer

from .features import NUMERIC_NAMES, FeatureBatch, call_features
from .records import Call

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


def _feature_names(union: FeatureUnion) -> list[str]:
    names: list[str] = []
    for part, pipe in union.transformer_list:
        raw = list(NUMERIC_NAMES) if part == "local" else list(pipe.steps[-1][1].get_feature_names_out())
        if part == "words":
            names += [f"word '{w}'".replace("<q>", "?").replace("<num>", "#").replace("<money>", "$") for w in raw]
        elif part == "role_words":
            names += [f"{'seller' if w[0] == 's' else 'buyer' if w[0] == 'b' else w[0]} says '{w[2:]}'"
                      .replace("<q>", "?").replace("<num>", "#").replace("<money>", "$") for w in raw]
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
    }.get(where, name)


@dataclass
class TaskModel:
    labels: tuple[str, ...]
    first: LogisticRegression
    second: LogisticRegression
    sequence: bool
    log_start: np.ndarray | None = None
    log_trans: np.ndarray | None = None
    log_prior: np.ndarray | None = None
    rel_coef: np.ndarray | None = None


class CallClassifier(BaseEstimator):
    """Labels every passage of a call for each task found in the training corpus."""

    def __init__(self, C: float = 1.0, C_first: float = 1.0, context_weight: float = 1.0,
                 inner_folds: int = 4, char_ngrams: bool = False, sequence_tasks: tuple[str, ...] = ("stage",),
                 prior_weight: float = 0.0, max_iter: int = 400, random_state: int = 0,
                 lsa: int = 0, min_df: int = 2, ngrams: int = 2):
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
        # First pass, with out-of-fold probabilities for the context features.
        first_probs: dict[str, np.ndarray] = {}
        n_groups = len(batch.bounds)
        for t in self.tasks_:
            y = ys[t]
            mask = y != ""
            labels = tuple(sorted(set(y[mask])))
            oof = np.zeros((X.shape[0], len(labels)), dtype=np.float32)
            folds = min(self.inner_folds, n_groups)
            if folds >= 2 and len(labels) > 1:
                for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(X, groups=groups)):
                    say(f"{t}: first pass, fold {k + 1}/{folds}")
                    trm = tr[mask[tr]]
                    if len(set(y[trm])) < 2:
                        continue
                    m = self._lr(self.C_first).fit(X[trm], y[trm])
                    oof[np.ix_(te, [labels.index(c) for c in m.classes_])] = m.predict_proba(X[te])
            say(f"{t}: first pass, all calls")
            first = self._lr(self.C_first).fit(X[mask], y[mask]) if len(labels) > 1 else None
            first_probs[t] = oof
            self.models_[t] = TaskModel(labels=labels, first=first, second=None,  # type: ignore[arg-type]
                                        sequence=t in self.sequence_tasks)
        C_ctx, ctx_names = self._context(batch.bounds, first_probs)
        Xf = sp.hstack([X, sp.csr_matrix(C_ctx * self.context_weight)], format="csr")
        for t in self.tasks_:
            y = ys[t]
            mask = y != ""
            tm = self.models_[t]
            if len(tm.labels) > 1:
                say(f"{t}: second pass")
                tm.second = self._lr(self.C).fit(Xf[mask], y[mask])
            if tm.sequence:
                self._fit_transitions(tm, calls, t)
        local_names = _feature_names(self.union_)
        self.feature_names_ = np.array(local_names + [_readable_context(n) for n in ctx_names], dtype=object)
        self._is_context = np.array([False] * len(local_names) + [True] * len(ctx_names))
        self._showable = np.array([not str(n).startswith("first look") for n in self.feature_names_])
        for tm in self.models_.values():
            if tm.second is not None:
                W = tm.second.coef_
                tm.rel_coef = (W - W.mean(axis=0, keepdims=True)).astype(np.float32)
        return self

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

    def _context(self, bounds: list[tuple[int, int]], probs: dict[str, np.ndarray]) -> tuple[np.ndarray, list[str]]:
        """Context features from first-pass probabilities: the passage itself, its
        neighbours, and (for non-sequential tasks) the most a label occurred earlier."""
        blocks, names = [], []
        for t in self.tasks_:
            P = probs[t].astype(np.float32)
            labels = self.models_[t].labels
            prev = np.zeros_like(P)
            nxt = np.zeros_like(P)
            earlier = np.zeros_like(P)
            for s, e in bounds:
                if e - s > 1:
                    prev[s + 1:e] = P[s:e - 1]
                    nxt[s:e - 1] = P[s + 1:e]
                    earlier[s + 1:e] = np.maximum.accumulate(P[s:e - 1], axis=0)
            wheres = [("self", P), ("prev", prev), ("next", nxt)]
            if not self.models_[t].sequence:
                wheres.append(("earlier", earlier))
            for where, M in wheres:
                blocks.append(M)
                names += [f"c:{t}:{where}={lab}" for lab in labels]
        C = np.hstack(blocks)
        C[C < 0.02] = 0.0  # a label the first pass gives under 2% says nothing; keeps the matrix sparse
        return C, names

    # --------------------------------------------------------------- predicting
    def predict_calls(self, calls: Sequence[Call], explain: int = 5,
                      batch: FeatureBatch | None = None) -> list[dict[str, list[dict[str, Any]]]]:
        """For each call and task: one dict per passage with label, probability,
        alternatives (next two) and explanation (top features)."""
        if not calls:
            return []
        if batch is None:
            batch = call_features(calls)
        X = self.union_.transform(batch).tocsr()
        first_probs = {}
        for t in self.tasks_:
            tm = self.models_[t]
            first_probs[t] = (self._aligned(tm.first, tm.labels, X) if tm.first is not None
                              else np.ones((X.shape[0], 1), np.float32))
        C_ctx, _ = self._context(batch.bounds, first_probs)
        Xf = sp.hstack([X, sp.csr_matrix(C_ctx * self.context_weight)], format="csr")
        results: list[dict[str, list[dict[str, Any]]]] = [dict() for _ in calls]
        for t in self.tasks_:
            tm = self.models_[t]
            if tm.second is None:
                P = np.ones((Xf.shape[0], 1))
            else:
                P = self._aligned(tm.second, tm.labels, Xf)
            posts, paths = [], []
            for k, end in batch.bounds:
                Pc = P[k:end]
                if tm.sequence and tm.log_trans is not None and end - k > 1:
                    post, path = self._decode(tm, Pc)
                else:
                    post, path = Pc, Pc.argmax(axis=1)
                posts.append(post)
                paths.append(path)
            post_all = np.vstack(posts) if posts else P
            path_all = np.concatenate(paths) if paths else np.zeros(0, dtype=np.int64)
            reasons = self._explain_all(tm, Xf, path_all, explain) if explain else None
            order = np.argsort(-post_all, axis=1)[:, :3]
            independent = P.argmax(axis=1)
            labels = tm.labels
            for ci, (k, end) in enumerate(batch.bounds):
                rows = []
                for r in range(k, end):
                    lab = int(path_all[r])
                    alts = [(labels[j], float(post_all[r, j])) for j in order[r] if j != lab][:2]
                    rows.append({"label": labels[lab], "probability": float(post_all[r, lab]),
                                 "alternatives": alts, "independent": labels[int(independent[r])],
                                 "explanation": reasons[r] if reasons is not None else []})
                results[ci][t] = rows
        return results

    @staticmethod
    def _aligned(model: LogisticRegression, labels: tuple[str, ...], X) -> np.ndarray:
        P = model.predict_proba(X)
        if tuple(model.classes_) == labels:
            return P
        out = np.zeros((X.shape[0], len(labels)))
        out[:, [labels.index(c) for c in model.classes_]] = P
        return out

    def _decode(self, tm: TaskModel, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Forward-backward posteriors and the Viterbi path of one call."""
        em = np.log(np.clip(P, 1e-9, 1.0)) - self.prior_weight * tm.log_prior
        n, L = em.shape
        A = tm.log_trans
        # Viterbi
        score = tm.log_start + em[0]
        back = np.zeros((n, L), dtype=np.int64)
        for i in range(1, n):
            cand = score[:, None] + A
            back[i] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[i]
        path = np.zeros(n, dtype=np.int64)
        path[-1] = int(score.argmax())
        for i in range(n - 1, 0, -1):
            path[i - 1] = back[i, path[i]]
        # Forward-backward with per-step scaling (probability space: cheaper than log-sum-exp)
        E = np.exp(em - em.max(axis=1, keepdims=True))
        T = np.exp(A)
        fwd = np.empty((n, L))
        f = np.exp(tm.log_start) * E[0]
        fwd[0] = f / f.sum()
        for i in range(1, n):
            f = (fwd[i - 1] @ T) * E[i]
            fwd[i] = f / f.sum()
        bwd = np.empty((n, L))
        bwd[-1] = 1.0 / L
        for i in range(n - 2, -1, -1):
            b = T @ (E[i + 1] * bwd[i + 1])
            bwd[i] = b / b.sum()
        post = fwd * bwd
        post /= post.sum(axis=1, keepdims=True)
        return post, path

    def _explain_all(self, tm: TaskModel, Xf, labels_idx: np.ndarray, top: int) -> list[list[str]]:
        """For every row, the features that pushed most toward its label: value times the
        label's weight relative to the other labels, largest first. The first pass's own
        guess and latent topics are never shown; at most two context reasons."""
        n = Xf.shape[0]
        if tm.second is None or n == 0:
            return [[] for _ in range(n)]
        coef = self._relative_coef(tm)
        if getattr(self, "_showable", None) is None:  # a model saved before it existed
            self._showable = np.array([not str(n).startswith("first look") for n in self.feature_names_])
        class_of = {c: i for i, c in enumerate(tm.second.classes_)}
        ci = np.array([class_of[tm.labels[j]] for j in labels_idx], dtype=np.int64)
        counts = np.diff(Xf.indptr)
        rows = np.repeat(np.arange(n), counts)
        contrib = Xf.data * coef[ci[rows], Xf.indices]
        keep = (contrib > 0) & self._showable[Xf.indices]
        rows, cols, contrib = rows[keep], Xf.indices[keep], contrib[keep]
        # rows are already in order: sort within each row by contribution, largest first
        order = np.argsort(rows - contrib / (2.0 * float(contrib.max()) + 1e-12), kind="stable") if len(rows) else rows
        rows, cols = rows[order], cols[order]
        starts = np.searchsorted(rows, np.arange(n + 1))
        names, is_ctx = self.feature_names_, self._is_context
        out: list[list[str]] = []
        for r in range(n):
            reasons: list[str] = []
            n_context = 0
            for c in cols[starts[r]:starts[r + 1]]:
                if is_ctx[c]:
                    if n_context >= 2:
                        continue
                    n_context += 1
                reasons.append(names[c])
                if len(reasons) >= top:
                    break
            out.append(reasons)
        return out

    @staticmethod
    def _relative_coef(tm: TaskModel) -> np.ndarray:
        """Each label's weights minus the mean over labels: what pushes toward *this* label."""
        if tm.rel_coef is None:
            W = tm.second.coef_
            tm.rel_coef = (W - W.mean(axis=0, keepdims=True)).astype(np.float32)
        return tm.rel_coef
