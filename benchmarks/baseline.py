"""The textbook Whoosh setup presse is measured against: LanguageAnalyzer("de"), MultifieldParser, HtmlFormatter.

For passage retrieval (benchmarks/relevance.py) the textbook setup is instead the question's words ORed over `body`.

This is the one module outside search/ that imports whoosh: it is the plain-Whoosh reference, not part of presse.
It reads the files with presse's own parser, so the comparison is about analysis, indexing, querying and highlighting.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser, WildcardPlugin

from .corpus import iter_documents

SEARCH_FIELDS = ["title", "body"]


def baseline_schema() -> Schema:
    analyzer = LanguageAnalyzer("de")
    return Schema(id=ID(unique=True, stored=True), title=TEXT(analyzer=analyzer, stored=True),
                  body=TEXT(analyzer=analyzer, stored=True))


def build_baseline(corpus: Path, index: Path) -> int:
    """Index every release under `corpus` into a fresh `index` folder, one process; returns the document count."""
    index.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index), baseline_schema())
    writer = ix.writer(limitmb=256, procs=1)  # the same memory budget as presse's writer
    documents = 0
    for release_id, title, body in iter_documents(corpus):
        writer.add_document(id=release_id, title=title, body=body)
        documents += 1
    writer.commit()
    ix.close()
    return documents


class BaselineSearcher:
    """One open searcher answering top-10 queries with highlighted body snippets."""

    def __init__(self, index: Path) -> None:
        self._ix = whoosh_index.open_dir(str(index))
        self._searcher = self._ix.searcher()
        self._parser = MultifieldParser(SEARCH_FIELDS, self._ix.schema)

    def search(self, text: str, limit: int = 10, count: bool = False) -> tuple[int, list[tuple[str, str, str]]]:
        """The number of matches and (id, title, snippet) of the top hits for `text`.

        Without `count`, the number is only Whoosh's estimate: an exact one re-runs the query over all matches.
        """
        results = self._searcher.search(self._parser.parse(text), limit=limit)
        results.fragmenter = ContextFragmenter()
        results.formatter = HtmlFormatter()
        total = len(results) if count else results.estimated_length()
        return total, [(hit["id"], hit["title"], hit.highlights("body")) for hit in results[:]]

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


class QuestionSearcher:
    """Textbook passage retrieval: a question's words ORed over `body` by QueryParser; the ids of the top hits."""

    def __init__(self, index: Path) -> None:
        self._ix = whoosh_index.open_dir(str(index))
        self._searcher = self._ix.searcher()
        self._parser = QueryParser("body", self._ix.schema, group=OrGroup)
        # The default parser reads a question's final "?" as a wildcard: the last word would go unstemmed.
        self._parser.remove_plugin_class(WildcardPlugin)

    def ranked_ids(self, question: str, limit: int = 10) -> list[str]:
        return [hit["id"] for hit in self._searcher.search(self._parser.parse(question), limit=limit)]

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()
