"""OpenThesaurus's synonyms as presse reads them: the generated file of stems, merged after the domain list.

german/data/openthesaurus.txt is written by tools/thesaurus.py (OpenThesaurus filtered for press releases, its
header says how); it holds stems, so reading it needs no analysis.
"""

from __future__ import annotations

from collections.abc import Mapping

GENERATED_THESAURUS = "openthesaurus.txt"


def read_stem_lists(text: str, name: str = GENERATED_THESAURUS) -> dict[str, tuple[str, ...]]:
    """Stem → its synonyms' stems, from lines "stem<TAB>stem,stem" (the file `name`, already analysed, so loading
    stems nothing); raises ValueError on a bad line."""
    lists: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        stem, tab, others = line.partition("\t")
        synonyms = tuple(others.split(","))
        if not tab or not stem or not all(synonyms) or any(" " in word for word in (stem, *synonyms)):
            raise ValueError(f"{name}, Zeile {number}: erwartet „Stamm<Tab>Stamm,Stamm“, nicht „{line}“.")
        lists[stem] = synonyms
    return lists


def merge_synonyms(domain: Mapping[str, tuple[str, ...]],
                   generated: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each stem's synonyms: the hand-written `domain` list's first, then the `generated` ones it does not already
    have (tools/thesaurus.py keeps at most four a word: each is one more posting list to read)."""
    merged = dict(domain)
    for stem, others in generated.items():
        own = domain.get(stem, ())
        extra = [other for other in others if other != stem and other not in own]
        if extra:
            merged[stem] = (*own, *extra)
    return merged
