"""Prediction with numpy alone: the fitted classifier as plain arrays.

Training needs scikit-learn; labelling a call does not. A fitted
:class:`~callreview.pipeline.CallClassifier` is a handful of linear maps: TF-IDF
vocabularies and idf weights, a max-abs scale, and logistic-regression weights. This
module holds the prediction half of the classifier (context features, the second pass,
label balancing, sequence decoding, explanations) in :class:`Predictor`, shared by the
scikit-learn estimator and by :class:`CompiledClassifier`, which holds those arrays only.

A model folder keeps both: ``model.joblib`` (the fitted estimator, a pickle) and
``model.npz`` (the arrays, read with ``allow_pickle=False``, so loading it runs no code).
``callreview annotate`` then starts without importing scikit-learn, which is most of its
cold start. Both give the same probabilities (tests check it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .features import FeatureBatch, call_features
from .records import Call

NPZ_FORMAT = 1
#: the second pass's context blocks (see ``Predictor._context``)
CONTEXT = ("self", "prev", "next", "prev_same", "next_same", "earlier", "run")
#: what models trained before ``context`` existed used
OLD_CONTEXT = ("self", "prev", "next", "earlier")
#: the blocks a sequential task (stages) uses
SEQUENCE_CONTEXT = ("self", "prev", "next")


class Linear:
    """A fitted logistic regression as arrays: ``predict_proba`` as scikit-learn computes it
    (softmax of the decision function; a logistic for two classes)."""

    def __init__(self, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray):
        self.classes_ = np.asarray(classes, dtype=object)
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)

    def predict_proba(self, X) -> np.ndarray:
        z = np.asarray(X @ self.coef_.T) + self.intercept_
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p, p])
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z


@dataclass
class TaskModel:
    labels: tuple[str, ...]
    first: Any  # LogisticRegression or Linear (anything with classes_, coef_, predict_proba)
    second: Any
    sequence: bool
    log_start: np.ndarray | None = None
    log_trans: np.ndarray | None = None
    log_prior: np.ndarray | None = None
    rel_coef: np.ndarray | None = None
    log_bias: np.ndarray | None = None
    temperature: float | None = None


class Predictor:
    """The prediction half of the classifier. Subclasses provide ``_local(batch)`` (the
    local feature matrix) and the fitted attributes ``tasks_``, ``models_``,
    ``feature_names_``, ``_is_context``, ``_showable``, ``context``, ``context_weight``,
    ``sequence_context_weight`` and ``prior_weight`` (models saved before ``context``
    existed fall back to :data:`OLD_CONTEXT` and one weight)."""

    def _local(self, batch: FeatureBatch):  # pragma: no cover - abstract
        raise NotImplementedError

    def _context(self, batch: FeatureBatch, probs: dict[str, np.ndarray]) -> tuple[np.ndarray, list[str]]:
        """Context features from first-pass probabilities, the blocks named in ``context``:
        the passage itself (``self``), its neighbours (``prev``, ``next``), the same
        speaker's previous and next passages at any distance (``prev_same``,
        ``next_same``), the mean of the rest of the speaker's run of consecutive passages
        (``run``) and the most a label occurred earlier in the call (``earlier``).
        Sequential tasks use only self, prev and next (their decoding sees the rest)."""
        bounds = batch.bounds
        n = sum(e - s for s, e in bounds)
        spk = batch.speakers if batch.speakers is not None else [""] * n
        wanted = tuple(getattr(self, "context", None) or OLD_CONTEXT)
        # rows of the same speaker's previous / next passage (n: none), and each row's run
        prev_same = np.full(n, n, dtype=np.int64)
        next_same = np.full(n, n, dtype=np.int64)
        run_of = np.zeros(n, dtype=np.int64)
        run = -1
        for s, e in bounds:
            last: dict[str, int] = {}
            for r in range(s, e):
                if r == s or spk[r] != spk[r - 1]:
                    run += 1
                run_of[r] = run
                if spk[r] in last:
                    prev_same[r] = last[spk[r]]
                    next_same[last[spk[r]]] = r
                last[spk[r]] = r
        run_len = np.bincount(run_of, minlength=run + 1)
        others = np.maximum(run_len[run_of] - 1, 1).astype(np.float32)[:, None]
        blocks, names = [], []
        for t in self.tasks_:
            P = probs[t].astype(np.float32)
            labels = self.models_[t].labels
            sequence = self.models_[t].sequence
            prev = np.zeros_like(P)
            nxt = np.zeros_like(P)
            earlier = np.zeros_like(P)
            for s, e in bounds:
                if e - s > 1:
                    prev[s + 1:e] = P[s:e - 1]
                    nxt[s:e - 1] = P[s + 1:e]
                    earlier[s + 1:e] = np.maximum.accumulate(P[s:e - 1], axis=0)
            Pz = np.vstack([P, np.zeros((1, P.shape[1]), np.float32)])
            run_sum = np.zeros((run + 1, P.shape[1]), np.float32)
            np.add.at(run_sum, run_of, P)
            block = {"self": lambda: P, "prev": lambda: prev, "next": lambda: nxt, "earlier": lambda: earlier,
                     "prev_same": lambda: Pz[prev_same], "next_same": lambda: Pz[next_same],
                     "run": lambda: (run_sum[run_of] - P) / others}
            for where in wanted:
                if sequence and where not in SEQUENCE_CONTEXT:
                    continue
                blocks.append(block[where]())
                names += [f"c:{t}:{where}={lab}" for lab in labels]
        C = np.hstack(blocks)
        C[C < 0.02] = 0.0  # a label the first pass gives under 2% says nothing; keeps the matrix sparse
        return C, names

    #: the sentence-boundary classifier of :mod:`callreview.segment` (None: split nothing)
    boundary_: Any = None

    def first_pass(self, calls: Sequence[Call], task: str) -> np.ndarray:
        """First-pass probabilities of ``task`` for every passage of the calls, in order
        (columns: the task's labels)."""
        tm = self.models_[task]
        X = self._local(call_features(calls))
        if tm.first is None:
            return np.ones((X.shape[0], len(tm.labels)))
        return self._aligned(tm.first, tm.labels, X)

    def _with_context(self, X, C_ctx: np.ndarray, tm: TaskModel):
        """Local features plus the context features, scaled by the task's context weight
        (sequential tasks have their own: their decoding already sees the neighbours)."""
        w = self.context_weight
        if tm.sequence:
            w = getattr(self, "sequence_context_weight", None) or self.context_weight
        return sp.hstack([X, sp.csr_matrix(C_ctx * w)], format="csr")

    def predict_calls(self, calls: Sequence[Call], explain: int = 5,
                      batch: FeatureBatch | None = None) -> list[dict[str, list[dict[str, Any]]]]:
        """For each call and task: one dict per passage with label, probability,
        alternatives (next two) and explanation (top features)."""
        if not calls:
            return []
        if batch is None:
            batch = call_features(calls)
        X = self._local(batch)
        first_probs = {}
        for t in self.tasks_:
            tm = self.models_[t]
            first_probs[t] = (self._aligned(tm.first, tm.labels, X) if tm.first is not None
                              else np.ones((X.shape[0], 1), np.float32))
        C_ctx, _ = self._context(batch, first_probs)
        results: list[dict[str, list[dict[str, Any]]]] = [dict() for _ in calls]
        for t in self.tasks_:
            tm = self.models_[t]
            Xf = self._with_context(X, C_ctx, tm)
            if tm.second is None:
                P = np.ones((Xf.shape[0], 1))
            else:
                P = self._aligned(tm.second, tm.labels, Xf)
            post_all, path_all, P = self._posteriors(tm, P, batch.bounds)
            reasons = self._explain_all(tm, Xf, path_all, explain) if explain else None
            n, L = post_all.shape
            # the two best labels other than the chosen one (the path may not be the argmax)
            others = post_all.copy()
            others[np.arange(n), path_all] = -1.0
            alt_idx = np.argsort(-others, axis=1)[:, :min(2, L - 1)]
            alt_p = np.take_along_axis(post_all, alt_idx, axis=1).tolist()
            alt_idx = alt_idx.tolist()
            prob = post_all[np.arange(n), path_all].tolist()
            path_l = path_all.tolist()
            independent = P.argmax(axis=1).tolist()
            labels = tm.labels
            for ci, (k, end) in enumerate(batch.bounds):
                results[ci][t] = [{"label": labels[path_l[r]], "probability": prob[r],
                                   "alternatives": [(labels[j], pj) for j, pj in zip(alt_idx[r], alt_p[r])],
                                   "independent": labels[independent[r]],
                                   "explanation": reasons[r] if reasons is not None else []}
                                  for r in range(k, end)]
        return results

    def _posteriors(self, tm: TaskModel, P: np.ndarray, bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """From second-pass probabilities to what is shown: the balance (behaviors), the
        sequence decoding (stages), the calibration temperature. Returns the posteriors,
        the chosen labels, and the balanced probabilities before decoding."""
        if getattr(tm, "log_bias", None) is not None:
            P = P * np.exp(tm.log_bias - tm.log_bias.max())
            P /= P.sum(axis=1, keepdims=True)
        posts, paths = [], []
        for k, end in bounds:
            Pc = P[k:end]
            if tm.sequence and tm.log_trans is not None and end - k > 1:
                post, path = self._decode(tm, Pc)
            else:
                post, path = Pc, Pc.argmax(axis=1)
            posts.append(post)
            paths.append(path)
        post_all = np.vstack(posts) if posts else P
        path_all = np.concatenate(paths) if paths else np.zeros(0, dtype=np.int64)
        T = getattr(tm, "temperature", None)
        if T is not None and T != 1.0:  # a power keeps every row's order: labels do not change
            post_all = np.power(np.clip(post_all, 1e-12, 1.0), 1.0 / T)
            post_all /= post_all.sum(axis=1, keepdims=True)
        return post_all, path_all, P

    @staticmethod
    def _aligned(model, labels: tuple[str, ...], X) -> np.ndarray:
        P = model.predict_proba(X)
        if tuple(model.classes_) == labels:
            return P
        out = np.zeros((X.shape[0], len(labels)))
        out[:, [labels.index(c) for c in model.classes_]] = P
        return out

    def _decode(self, tm: TaskModel, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Forward-backward posteriors and the Viterbi path of one call.

        The posteriors are products of per-passage matrices, computed as prefix products
        in log2(n) batched steps instead of n small ones."""
        em = np.log(np.clip(P, 1e-9, 1.0)) - self.prior_weight * tm.log_prior
        n, L = em.shape
        A = tm.log_trans
        # Viterbi (a max-plus scan costs more than this loop: no BLAS for (max, +))
        score = tm.log_start + em[0]
        back = np.zeros((n, L), dtype=np.int64)
        cols = np.arange(L)
        for i in range(1, n):
            cand = score[:, None] + A
            back[i] = best = cand.argmax(axis=0)
            score = cand[best, cols] + em[i]
        path = np.zeros(n, dtype=np.int64)
        j = int(score.argmax())
        path[-1] = j
        back_l = back.tolist()
        for i in range(n - 1, 0, -1):
            j = back_l[i][j]
            path[i - 1] = j
        # Forward-backward in probability space, every prefix product rescaled
        E = np.exp(em - em.max(axis=1, keepdims=True))
        M = np.exp(A)[None, :, :] * E[1:, None, :]  # M[i-1] takes passage i-1 to passage i
        f0 = np.exp(tm.log_start) * E[0]
        fwd = np.empty((n, L))
        fwd[0] = f0
        bwd = np.ones((n, L))
        if n > 1:
            fwd[1:] = np.einsum("k,ikj->ij", f0, _scan(M))
            # suffix products M[i] ... M[n-2], as prefix products of the reversed transposes
            R = _scan(np.ascontiguousarray(M[::-1].transpose(0, 2, 1)))
            bwd[:-1] = R.sum(axis=1)[::-1]
        fwd /= fwd.sum(axis=1, keepdims=True)
        bwd /= bwd.sum(axis=1, keepdims=True)
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
        ci = np.array([class_of[lab] for lab in tm.labels], dtype=np.int64)[labels_idx]
        counts = np.diff(Xf.indptr)
        rows = np.repeat(np.arange(n), counts)
        contrib = Xf.data * coef[ci[rows], Xf.indices]
        keep = (contrib > 0) & self._showable[Xf.indices]
        rows, cols, contrib = rows[keep], Xf.indices[keep], contrib[keep]
        # rows are already in order: sort within each row by contribution, largest first
        order = np.argsort(rows - contrib / (2.0 * float(contrib.max()) + 1e-12), kind="stable") if len(rows) else rows
        rows, cols = rows[order], cols[order]
        # at most two context reasons per row, then the first ``top`` of what is left
        is_ctx = self._is_context[cols]
        starts = np.searchsorted(rows, np.arange(n + 1))
        ctx_rank = np.cumsum(is_ctx) - np.repeat(np.concatenate([[0], np.cumsum(is_ctx)])[starts[:-1]],
                                                  np.diff(starts))
        keep = ~is_ctx | (ctx_rank <= 2)
        rows, cols = rows[keep], cols[keep]
        starts = np.searchsorted(rows, np.arange(n + 1))
        rank = np.arange(len(rows)) - np.repeat(starts[:-1], np.diff(starts))
        keep = rank < top
        rows, cols = rows[keep], cols[keep]
        bounds = np.searchsorted(rows, np.arange(n + 1)).tolist()
        names = self.feature_names_[cols].tolist()
        return [names[bounds[r]:bounds[r + 1]] for r in range(n)]

    @staticmethod
    def _relative_coef(tm: TaskModel) -> np.ndarray:
        """Each label's weights minus the mean over labels: what pushes toward *this* label."""
        if tm.rel_coef is None:
            W = tm.second.coef_
            tm.rel_coef = (W - W.mean(axis=0, keepdims=True)).astype(np.float32)
        return tm.rel_coef


def _scan(M: np.ndarray) -> np.ndarray:
    """Inclusive prefix products ``M[0] @ M[1] @ ... @ M[i]`` for every i (Hillis-Steele),
    each rescaled so its largest entry is 1 (only ratios matter to the caller)."""
    Q = M.copy()
    d = 1
    while d < len(Q):
        Q[d:] = Q[:-d] @ Q[d:]
        Q[d:] /= Q[d:].max(axis=(1, 2), keepdims=True)
        d *= 2
    return Q


# ---------------------------------------------------------------------- local features
def _pair_index(terms: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """For uni- and bigram terms: the words that occur in them (numbered in order), each
    word's unigram column (-1: none; one extra slot for unknown words), and the bigrams as
    sorted keys ``first * (len(words) + 1) + second`` with their columns."""
    words: dict[str, int] = {}
    uni: list[tuple[int, int]] = []
    pairs: list[tuple[int, int, int]] = []
    for col, term in enumerate(terms):
        ids = [words.setdefault(w, len(words)) for w in term.split(" ")]
        if len(ids) == 1:
            uni.append((ids[0], col))
        else:
            pairs.append((ids[0], ids[1], col))
    uni_col = np.full(len(words) + 1, -1, dtype=np.int64)
    for w, col in uni:
        uni_col[w] = col
    k = len(words) + 1
    keys = np.array([a * k + b for a, b, _ in pairs], dtype=np.int64)
    order = np.argsort(keys)
    return list(words), uni_col, keys[order], np.array([c for _, _, c in pairs], dtype=np.int64)[order]


class _Tfidf:
    """``TfidfVectorizer(tokenizer=str.split, ngram_range=(1, n), sublinear_tf=True)``
    after fitting: n-grams joined by a space, 1 + log(count), times idf, L2-normalised.

    For uni- and bigrams the lookup is vectorised: every word that occurs in a term gets a
    number, a bigram is the pair of numbers, found by binary search in the sorted pairs."""

    def __init__(self, field: str, terms: list[str], idf: np.ndarray, ngrams: int, sublinear: bool, norm: bool,
                 index: tuple | None = None):
        self.field = field
        self.terms = terms
        self.idf = idf.astype(np.float32)
        self.ngrams = ngrams
        self.sublinear = sublinear
        self.norm = norm
        self.width = len(terms)
        if ngrams <= 2:
            words, self.uni_col, self.pair_keys, self.pair_cols = index if index is not None else _pair_index(terms)
            self.words = dict(zip(words, range(len(words))))

    @cached_property
    def vocab(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}

    def _cells(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every term occurrence."""
        if self.ngrams <= 2:
            split = [d.split() for d in docs]
            lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
            toks = [t for ts in split for t in ts]
            unknown = len(self.words)
            ids = np.fromiter(map(self.words.get, toks, repeat(unknown, len(toks))), dtype=np.int64, count=len(toks))
            doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
            cols = self.uni_col[ids]
            rows = doc_of
            if self.ngrams == 2 and len(ids) > 1 and len(self.pair_keys):
                same = (doc_of[1:] == doc_of[:-1]) & (ids[1:] != unknown) & (ids[:-1] != unknown)
                keys = ids[:-1][same] * (unknown + 1) + ids[1:][same]
                at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
                hit = self.pair_keys[at] == keys
                rows = np.concatenate([rows, doc_of[:-1][same][hit]])
                cols = np.concatenate([cols, self.pair_cols[at[hit]]])
            return rows, cols
        grams: list[str] = []
        per_doc: list[int] = []
        for doc in docs:
            toks = doc.split()
            n0 = len(grams)
            for n in range(1, self.ngrams + 1):
                grams += [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
            per_doc.append(len(grams) - n0)
        cols = np.fromiter(map(self.vocab.get, grams, repeat(-1, len(grams))), dtype=np.int64, count=len(grams))
        return np.repeat(np.arange(len(docs), dtype=np.int64), per_doc), cols

    def transform(self, docs: list[str]) -> sp.csr_matrix:
        rows, cols = self._cells(docs)
        known = cols >= 0
        key, counts = np.unique(rows[known] * self.width + cols[known], return_counts=True)
        rows, cols = key // self.width, key % self.width
        data = counts.astype(np.float32)
        if self.sublinear:
            data = np.log(data) + 1.0
        data *= self.idf[cols]
        if self.norm and len(data):
            norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(docs))).astype(np.float32)
            data /= norms[rows]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(docs)))])
        return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(len(docs), self.width))


class _Scaled:
    """``MaxAbsScaler`` on a dense field."""

    def __init__(self, field: str, scale: np.ndarray):
        self.field = field
        self.scale = scale.astype(np.float32)
        self.width = len(scale)

    def transform(self, M: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix(np.asarray(M, dtype=np.float32) / self.scale)


class CompiledClassifier(Predictor):
    """A fitted classifier read from ``model.npz``: same predictions, no scikit-learn."""

    sequence_tasks: tuple[str, ...] = ()

    def _local(self, batch: FeatureBatch):
        return sp.hstack([p.transform(getattr(batch, p.field)) for p in self.parts_], format="csr")


class NotCompilable(Exception):
    """The fitted union has a part the numpy predictor does not implement (e.g. char n-grams)."""


def _tfidf_arrays(vec) -> tuple[np.ndarray, np.ndarray, dict]:
    terms = vec.get_feature_names_out()
    if vec.analyzer != "word" or vec.token_pattern is not None or vec.lowercase or vec.stop_words \
            or vec.ngram_range[0] != 1 or vec.norm not in ("l2", None) or vec.binary or not vec.use_idf:
        raise NotCompilable("a TF-IDF part with settings the numpy predictor does not reproduce")
    spec = {"ngrams": int(vec.ngram_range[1]), "sublinear": bool(vec.sublinear_tf), "norm": vec.norm == "l2"}
    return _pack(terms), np.asarray(vec.idf_, dtype=np.float32), spec


def _pack(strings) -> np.ndarray:
    """Strings as one UTF-8 buffer (a fixed-width numpy string array of 40,000 n-grams
    takes ten times the room). Terms never hold a newline: they come from split text."""
    joined = "\n".join(strings)
    if joined.count("\n") != max(len(strings) - 1, 0):
        raise NotCompilable("a term holds a newline")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def _unpack(buf: np.ndarray) -> list[str]:
    return buf.tobytes().decode("utf-8").split("\n") if len(buf) else []


def compile_arrays(clf) -> dict[str, np.ndarray]:
    """The arrays of a fitted ``CallClassifier`` (raises :class:`NotCompilable`)."""
    arrays: dict[str, np.ndarray] = {}
    parts = []
    for i, (name, pipe) in enumerate(clf.union_.transformer_list):
        steps = dict(pipe.steps)
        field = steps["field"].name
        if set(steps) == {"field", "tfidf"}:
            terms, idf, spec = _tfidf_arrays(steps["tfidf"])
            arrays[f"part{i}_terms"], arrays[f"part{i}_idf"] = terms, idf
            if spec["ngrams"] <= 2:  # the lookup index, so loading does not rebuild it
                words, uni_col, pair_keys, pair_cols = _pair_index(_unpack(terms))
                arrays[f"part{i}_words"] = _pack(words)
                arrays[f"part{i}_uni"] = uni_col.astype(np.int32)
                arrays[f"part{i}_pair_keys"] = pair_keys
                arrays[f"part{i}_pair_cols"] = pair_cols.astype(np.int32)
            parts.append({"kind": "tfidf", "name": name, "field": field, **spec})
        elif set(steps) == {"field", "scale"}:
            arrays[f"part{i}_scale"] = np.asarray(steps["scale"].scale_, dtype=np.float32)
            parts.append({"kind": "scale", "name": name, "field": field})
        else:
            raise NotCompilable(f"feature part {name!r}")
    if clf.union_.transformer_weights:
        raise NotCompilable("weighted feature parts")
    tasks = []
    for t in clf.tasks_:
        tm = clf.models_[t]
        spec: dict[str, Any] = {"name": t, "labels": list(tm.labels), "sequence": bool(tm.sequence)}
        for which in ("first", "second"):
            m = getattr(tm, which)
            spec[which] = m is not None
            if m is not None:
                arrays[f"{t}.{which}.classes"] = _pack([str(c) for c in m.classes_])
                arrays[f"{t}.{which}.coef"] = np.asarray(m.coef_, dtype=np.float32)
                arrays[f"{t}.{which}.intercept"] = np.asarray(m.intercept_, dtype=np.float64)
        spec["temperature"] = float(getattr(tm, "temperature", None) or 1.0)
        for key in ("log_start", "log_trans", "log_prior", "log_bias"):  # rel_coef: recomputed
            v = getattr(tm, key, None)
            spec[key] = v is not None
            if v is not None:
                arrays[f"{t}.{key}"] = np.asarray(v)
        tasks.append(spec)
    boundary = getattr(clf, "boundary_", None)
    if boundary is not None:
        arrays["boundary.classes"] = np.asarray([int(c) for c in boundary.classes_], dtype=np.int64)
        arrays["boundary.coef"] = np.asarray(boundary.coef_, dtype=np.float64)
        arrays["boundary.intercept"] = np.asarray(boundary.intercept_, dtype=np.float64)
    arrays["feature_names"] = _pack([str(n) for n in clf.feature_names_])
    arrays["is_context"] = np.asarray(clf._is_context, dtype=bool)
    arrays["showable"] = np.asarray(clf._showable, dtype=bool)
    spec = {"format": NPZ_FORMAT, "parts": parts, "tasks": tasks, "context_weight": float(clf.context_weight),
            "sequence_context_weight": float(getattr(clf, "sequence_context_weight", None) or clf.context_weight),
            "context": list(getattr(clf, "context", None) or OLD_CONTEXT),
            "prior_weight": float(clf.prior_weight), "sequence_tasks": list(clf.sequence_tasks)}
    arrays["spec"] = np.asarray(json.dumps(spec, sort_keys=True))
    return arrays


def save_compiled(clf, path: Path) -> bool:
    """Write ``model.npz`` for a fitted classifier; False (and nothing written) when it has
    a part the numpy predictor does not implement."""
    try:
        arrays = compile_arrays(clf)
    except NotCompilable:
        return False
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)  # uncompressed: loading is a read, not a decompression
    return True


def load_compiled(path: Path) -> CompiledClassifier:
    """Read ``model.npz`` (no pickles: ``allow_pickle=False``)."""
    with np.load(path, allow_pickle=False) as z:
        a = {k: z[k] for k in z.files}
    spec = json.loads(str(a["spec"]))
    if spec.get("format", 0) > NPZ_FORMAT:
        raise ValueError(f"model.npz format {spec.get('format')} is newer than this callreview reads")
    clf = CompiledClassifier()
    parts: list[Any] = []
    for i, p in enumerate(spec["parts"]):
        if p["kind"] == "tfidf":
            index = None
            if f"part{i}_words" in a:
                index = (_unpack(a[f"part{i}_words"]), a[f"part{i}_uni"].astype(np.int64), a[f"part{i}_pair_keys"],
                         a[f"part{i}_pair_cols"].astype(np.int64))
            parts.append(_Tfidf(p["field"], _unpack(a[f"part{i}_terms"]), a[f"part{i}_idf"], p["ngrams"],
                                p["sublinear"], p["norm"], index=index))
        else:
            parts.append(_Scaled(p["field"], a[f"part{i}_scale"]))
    clf.parts_ = parts
    clf.tasks_ = tuple(t["name"] for t in spec["tasks"])
    clf.models_ = {}
    for t in spec["tasks"]:
        name = t["name"]
        lin = {w: Linear(_unpack(a[f"{name}.{w}.classes"]), a[f"{name}.{w}.coef"], a[f"{name}.{w}.intercept"])
               if t[w] else None for w in ("first", "second")}
        extra = {k: (a[f"{name}.{k}"] if t.get(k) else None)
                 for k in ("log_start", "log_trans", "log_prior", "log_bias")}
        clf.models_[name] = TaskModel(labels=tuple(t["labels"]), first=lin["first"], second=lin["second"],
                                      sequence=bool(t["sequence"]), temperature=float(t.get("temperature", 1.0)),
                                      **extra)
    if "boundary.coef" in a:
        clf.boundary_ = Linear(a["boundary.classes"], a["boundary.coef"], a["boundary.intercept"])
    clf.feature_names_ = np.array(_unpack(a["feature_names"]), dtype=object)
    clf._is_context = a["is_context"]
    clf._showable = a["showable"]
    clf.context_weight = spec["context_weight"]
    clf.sequence_context_weight = spec.get("sequence_context_weight", spec["context_weight"])
    clf.context = tuple(spec.get("context", OLD_CONTEXT))
    clf.prior_weight = spec["prior_weight"]
    clf.sequence_tasks = tuple(spec["sequence_tasks"])
    return clf


class ArraysMismatch(ValueError):
    """A model.npz whose arrays do not fit each other: cut short, or changed."""


#: the text fields of a FeatureBatch a TF-IDF part may read
_TEXT_FIELDS = ("words", "role_words", "chars")


def check_compiled(clf: CompiledClassifier) -> None:
    """Check every array of a loaded ``model.npz`` against what the others say it must be
    (raises :class:`ArraysMismatch`): each vocabulary's idf and lookup index against its
    terms, each weight matrix against its task's labels and the feature count (the parts'
    widths plus the context blocks), the sequence tables against the labels. A truncated
    array would otherwise broadcast, or index, into wrong labels without an error."""
    from .features import NUMERIC_NAMES

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise ArraysMismatch(what)

    def shape(name: str, arr: Any, expected: tuple[int, ...]) -> None:
        need(arr is not None and np.shape(arr) == expected, f"{name} has shape {np.shape(arr)}, not {expected}")

    def ints_in(name: str, arr: np.ndarray, lo: int, hi: int) -> None:
        need(arr.dtype.kind in "iu", f"{name} holds {arr.dtype} values, not integers")
        need(arr.size == 0 or (int(arr.min()) >= lo and int(arr.max()) < hi), f"{name} points outside [{lo}, {hi})")

    local = 0
    for i, part in enumerate(clf.parts_):
        if isinstance(part, _Tfidf):
            need(part.field in _TEXT_FIELDS, f"part {i} reads {part.field!r}, not one of {', '.join(_TEXT_FIELDS)}")
            n = part.width
            shape(f"part{i}_idf", part.idf, (n,))
            if part.ngrams <= 2:
                nw = len(part.words)
                shape(f"part{i}_uni", part.uni_col, (nw + 1,))
                ints_in(f"part{i}_uni", part.uni_col, -1, n)
                k = len(part.pair_keys)
                shape(f"part{i}_pair_keys", part.pair_keys, (k,))
                shape(f"part{i}_pair_cols", part.pair_cols, (k,))
                ints_in(f"part{i}_pair_keys", part.pair_keys, 0, (nw + 1) ** 2)
                ints_in(f"part{i}_pair_cols", part.pair_cols, 0, n)
                need(k < 2 or bool(np.all(np.diff(part.pair_keys) >= 0)), f"part{i}_pair_keys is not sorted")
        else:
            need(part.field == "numeric", f"part {i} scales {part.field!r}, not the numeric signals")
            shape(f"part{i}_scale", part.scale, (len(NUMERIC_NAMES),))
        local += part.width
    wanted = tuple(getattr(clf, "context", None) or OLD_CONTEXT)
    need(set(wanted) <= set(CONTEXT), f"unknown context blocks {sorted(set(wanted) - set(CONTEXT))}")
    ctx = 0
    for t in clf.tasks_:
        labels = clf.models_[t].labels
        need(len(labels) >= 1 and len(set(labels)) == len(labels) and all(isinstance(x, str) for x in labels),
             f"the labels of {t} are not distinct names")
        ctx += len(labels) * sum(1 for w in wanted if not (clf.models_[t].sequence and w not in SEQUENCE_CONTEXT))
    total = local + ctx
    need(len(clf.feature_names_) == total,
         f"feature_names has {len(clf.feature_names_)} names, but the parts and labels make {total} features")
    for name in ("is_context", "showable"):
        arr = getattr(clf, "_" + name)
        shape(name, arr, (total,))
        need(arr.dtype == np.bool_, f"{name} holds {arr.dtype} values, not booleans")
    need(int(np.count_nonzero(clf._is_context)) == ctx, f"is_context marks {int(np.count_nonzero(clf._is_context))} "
         f"context features, not {ctx}")
    for t in clf.tasks_:
        tm = clf.models_[t]
        n_labels = len(tm.labels)
        for which, width in (("first", local), ("second", total)):
            m = getattr(tm, which)
            if m is None:
                need(n_labels == 1, f"{t} has {n_labels} labels but no {which}-pass weights")
                continue
            classes = [str(c) for c in m.classes_]
            need(len(classes) >= 2 and len(set(classes)) == len(classes) and set(classes) <= set(tm.labels),
                 f"{t}.{which}.classes are not two or more distinct labels of {t}")
            rows = 1 if len(classes) == 2 else len(classes)
            shape(f"{t}.{which}.coef", m.coef_, (rows, width))
            shape(f"{t}.{which}.intercept", m.intercept_, (rows,))
        for key, expected in (("log_start", (n_labels,)), ("log_trans", (n_labels, n_labels)),
                              ("log_prior", (n_labels,)), ("log_bias", (n_labels,))):
            v = getattr(tm, key)
            if v is not None:
                shape(f"{t}.{key}", v, expected)
        if tm.sequence and tm.log_trans is not None:
            need(tm.log_start is not None and tm.log_prior is not None,
                 f"{t} has stage transitions but no start or prior probabilities")
        temp = tm.temperature
        need(temp is None or (bool(np.isfinite(temp)) and temp > 0), f"the temperature of {t} is {temp}")
    boundary = getattr(clf, "boundary_", None)
    if boundary is not None:
        from .segment import TASK, n_boundary_features

        need(TASK in clf.tasks_, f"a sentence-boundary classifier but no {TASK} task")
        width = n_boundary_features(len(clf.models_[TASK].labels))
        shape("boundary.classes", boundary.classes_, (2,))
        shape("boundary.coef", boundary.coef_, (1, width))
        shape("boundary.intercept", boundary.intercept_, (1,))
