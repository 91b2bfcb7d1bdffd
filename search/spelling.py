"""Finding the words of a query that no release contains, and the corpus words they were probably meant to be."""

from __future__ import annotations

from .query import SEARCH_FIELDS, ParsedQuery

# Words shorter than this are not corrected: too many other words are one edit away.
MIN_CORRECTED_CHARS = 4


def unknown_words(searcher, parsed: ParsedQuery) -> list[str]:
    """The words of `parsed`, as typed, whose analysed form is in no searched field of any release."""
    reader = searcher.reader()
    missing = {
        stem for fieldname, stem in parsed.query.iter_all_terms()
        if fieldname in SEARCH_FIELDS and not any(reader.doc_frequency(f, stem) for f in SEARCH_FIELDS)
    }
    return [word for stem, word in typed_forms(searcher, parsed.text).items() if stem in missing]


def typed_forms(searcher, text: str) -> dict[str, str]:
    """Each analysed word of `text` → the word as it was typed (the first one, when several share a stem)."""
    forms: dict[str, str] = {}
    for token in searcher.schema["body"].analyzer(text, chars=True):
        forms.setdefault(token.text, text[token.startchar:token.endchar])
    return forms


def suggest(searcher, word: str) -> str | None:
    """The most frequent corpus word within one edit (two for long words) of `word`, in `word`'s capitalisation."""
    if len(word) < MIN_CORRECTED_CHARS:
        return None
    maxdist = 2 if len(word) >= 8 else 1
    found = searcher.corrector("exact").suggest(word.lower(), limit=1, maxdist=maxdist, prefix=1)
    if not found:
        return None
    return found[0].capitalize() if word[:1].isupper() else found[0]
