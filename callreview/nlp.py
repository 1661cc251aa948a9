"""The one spaCy pipeline, built in one place.

Blank English (no pretrained model, nothing downloaded) with a rule-based sentencizer,
and the English lemma lookup table of the ``spacy-lookups-data`` package (the table
spaCy's lookup lemmatizer uses), offline. Built once per process; spaCy is imported only
here and in :mod:`callreview.features`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Word form -> lemma, from spacy-lookups-data through spaCy's lookups registry.

    Read as a plain dict: hot loops look lemmas up per word type, and building spaCy's
    ``Lookups`` table from the same file (what ``lemmatizer.initialize()`` does) takes
    longer than everything else a cold ``callreview annotate`` does after its imports.
    Lookups are by the form as written, like the lookup lemmatizer's."""
    from spacy.util import load_language_data, registry

    return dict(load_language_data(registry.lookups.get("en")["lemma_lookup"]))
