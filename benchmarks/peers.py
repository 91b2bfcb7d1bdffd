"""Tantivy and SQLite FTS5 as presse's peers: their indexes built from the releases, top-10 answers with snippets.

Both read the files with presse's own parser (as benchmarks/baseline.py does), so they index the same titles and
texts. Each answers as presse does: all words first and, when that finds nothing, any of them.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import tantivy

from .corpus import iter_documents

TOP = 10
# Phrases in double quotes and the words between them, as a reader types them.
_PART = re.compile(r'"([^"]*)"|(\S+)')
_WORD_CHAR = re.compile(r"\w")


def german_analyzer() -> tantivy.TextAnalyzer:
    """Tantivy's counterpart to textbook German analysis: simple tokens, lowercased, Snowball's German stemmer."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("german"))
            .build())


def tantivy_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="de_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="de_stem")
    return builder.build()


def open_tantivy(folder: Path) -> tantivy.Index:
    index = tantivy.Index(tantivy_schema(), path=str(folder), reuse=True)
    index.register_tokenizer("de_stem", german_analyzer())
    return index


def build_tantivy(corpus: Path, folder: Path) -> int:
    """Index every release under `corpus` into the empty `folder`; one writer thread, like the other builds."""
    folder.mkdir(parents=True, exist_ok=True)
    index = open_tantivy(folder)
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    documents = 0
    for release_id, title, body in iter_documents(corpus):
        writer.add_document(tantivy.Document(id=release_id, title=title, body=body))
        documents += 1
    writer.commit()
    writer.wait_merging_threads()
    return documents


class TantivySearcher:
    """One reloaded searcher answering top-10 queries over title and body with HTML body snippets."""

    def __init__(self, folder: Path) -> None:
        self._index = open_tantivy(folder)
        self._index.reload()
        self._searcher = self._index.searcher()
        self._schema = self._index.schema

    def search(self, text: str, limit: int = TOP) -> list[tuple[str, str, str]]:
        """(id, title, snippet) of the top hits: all words, or any of them when all together find nothing."""
        for conjunction in (True, False):
            query, _errors = self._index.parse_query_lenient(text, ["title", "body"],
                                                             conjunction_by_default=conjunction)
            hits = self._searcher.search(query, limit).hits
            if hits:
                break
        if not hits:
            return []
        snippets = tantivy.SnippetGenerator.create(self._searcher, query, self._schema, "body")
        found = []
        for _score, address in hits:
            document = self._searcher.doc(address)
            found.append((document["id"][0], document["title"][0], snippets.snippet_from_doc(document).to_html()))
        return found


def build_fts5(corpus: Path, folder: Path) -> int:
    """Index every release under `corpus` into `folder`/releases.sqlite: FTS5 with unicode61, diacritics removed."""
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / "releases.sqlite")
    try:
        connection.execute("CREATE VIRTUAL TABLE releases USING fts5(id UNINDEXED, title, body, "
                           "tokenize = 'unicode61 remove_diacritics 2')")
        with connection:
            connection.executemany("INSERT INTO releases (id, title, body) VALUES (?, ?, ?)", iter_documents(corpus))
        connection.execute("INSERT INTO releases (releases) VALUES ('optimize')")
        connection.commit()
        return connection.execute("SELECT count(*) FROM releases").fetchone()[0]
    finally:
        connection.close()


def fts5_match(text: str, operator: str) -> str:
    """The user's words and "phrases" as an FTS5 query, each quoted so that no character is read as syntax."""
    parts = [phrase or word for phrase, word in _PART.findall(text)]
    quoted = ['"' + part.replace('"', '""') + '"' for part in parts if _WORD_CHAR.search(part)]
    return f" {operator} ".join(quoted)


class Fts5Searcher:
    """One SQLite connection answering top-10 queries ranked by FTS5's bm25, with a snippet of the body."""

    def __init__(self, folder: Path) -> None:
        self._connection = sqlite3.connect(f"file:{folder / 'releases.sqlite'}?mode=ro", uri=True)

    def search(self, text: str, limit: int = TOP) -> list[tuple[str, str, str]]:
        """(id, title, snippet) of the top hits: all words, or any of them when all together find nothing."""
        for operator in ("AND", "OR"):
            match = fts5_match(text, operator)
            if not match:
                return []
            rows = self._connection.execute(
                "SELECT id, title, snippet(releases, 2, '<b>', '</b>', '…', 24) FROM releases "
                "WHERE releases MATCH ? ORDER BY rank LIMIT ?", (match, limit)).fetchall()
            if rows:
                return rows
        return []

    def close(self) -> None:
        self._connection.close()
