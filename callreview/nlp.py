"""The one spaCy pipeline, built in one place.

Blank English (no pretrained model, nothing downloaded), a rule-based sentencizer,
and the lookup lemmatizer whose tables come from the ``spacy-lookups-data`` package.
Built once per process (:func:`get_nlp`); spaCy is imported only here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()  # loads the lookup table from spacy-lookups-data, offline
    return nlp


def docs(texts: Iterable[str], batch_size: int = 256) -> Iterator["Doc"]:
    """Process texts with the shared pipeline."""
    return get_nlp().pipe(texts, batch_size=batch_size)


def lemma_table():
    """The lookup lemmatizer's table (token orth id -> lemma), for hot loops that read
    lemmas without running the lemmatizer component on every token."""
    return get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def sentence_docs(texts: Iterable[str]) -> Iterator["Doc"]:
    """Tokenized and sentence-split docs, without lemmas: the fast path for features,
    which read lemmas from :func:`lemma_table` directly."""
    nlp = get_nlp()
    sentencizer = nlp.get_pipe("sentencizer")
    return sentencizer.pipe(nlp.tokenizer.pipe(texts, batch_size=1000), batch_size=1000)


def sentences(text: str) -> list[str]:
    """The sentences of a passage, for display and features."""
    return [s.text for s in get_nlp()(text).sents if s.text.strip()]
