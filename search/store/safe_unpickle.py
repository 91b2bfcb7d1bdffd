"""Unpickling Whoosh's index files with only the classes a presse index holds, so a planted file cannot run code.

Whoosh keeps the schema and the segment list (`_MAIN_<n>.toc`), stored fields, column block headers and posting
blocks as pickles, and unpickling may call any importable function (`os.system` in a planted TOC ran on `presse
search`, see issue 12). Whoosh has no hook for its unpickler: five modules bind `pickle.load`/`loads` when they are
imported (StructFile.read_pickle among them). So `install()` points exactly those names at a restricted
unpickler, once per process, before an index is opened; tests/test_safe_unpickle.py checks that no other Whoosh
module unpickles, so a Whoosh upgrade that adds one fails there rather than silently.
"""

from __future__ import annotations

import io
import pickle
import types
from typing import IO, Any

import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index

from ..errors import IndexUnsafeError

# Every global a presse index's pickles name, listed from indexes built, added to, synced and searched
# (tests/test_safe_unpickle.py records them again and compares). Pickles of protocol 2 spell some builtins the
# Python 2 way (`__builtin__`) and bytes as `_codecs.encode(text, "latin1")`.
PRESSE_GLOBALS = frozenset({
    ("__builtin__", "frozenset"),
    ("__builtin__", "long"),
    ("builtins", "int"),
    ("_codecs", "encode"),
    ("collections", "defaultdict"),
    ("datetime", "datetime"),
    ("re", "_compile"),  # the tokenizer's compiled expression
    ("search.german.analysis", "CompoundPartsFilter"),
    ("search.german.analysis", "JoinMarksFilter"),
    ("search.german.analysis", "SingleLetterFilter"),
    ("search.german.analysis", "stem_german"),
    ("search.store.codec", "PresseCodec"),
    ("search.store.schema", "IndexedText"),
    ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
    ("whoosh.analysis.filters", "LowercaseFilter"),
    ("whoosh.analysis.filters", "StopFilter"),
    ("whoosh.analysis.morph", "StemFilter"),
    ("whoosh.analysis.tokenizers", "IDTokenizer"),
    ("whoosh.analysis.tokenizers", "RegexTokenizer"),
    ("whoosh.codec.whoosh3", "W3Segment"),
    ("whoosh.columns", "NumericColumn"),
    ("whoosh.columns", "VarBytesColumn"),
    ("whoosh.fields", "COLUMN"),
    ("whoosh.fields", "DATETIME"),
    ("whoosh.fields", "ID"),
    ("whoosh.fields", "NUMERIC"),
    ("whoosh.fields", "STORED"),
    ("whoosh.fields", "Schema"),
    ("whoosh.fields", "TEXT"),
    ("whoosh.formats", "Existence"),
    ("whoosh.formats", "Frequency"),
    ("whoosh.formats", "Positions"),
})
# The stock stemming function and codec a plain Whoosh index names: the textbook baseline that benchmarks/baseline.py
# compares presse with opens such an index in the same process, after this module was installed.
BASELINE_GLOBALS = frozenset({("whoosh.lang.porter", "stem"), ("whoosh.codec.whoosh3", "W3Codec")})
ALLOWED = PRESSE_GLOBALS | BASELINE_GLOBALS


class RestrictedUnpickler(pickle.Unpickler):
    """pickle's (C) unpickler that resolves only the globals in ALLOWED."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise IndexUnsafeError(
                f"The index holds a pickled {module}.{name}, which presse refuses to load: its files may have been "
                "tampered with. Check who can write to the index folder, then run `presse rebuild`."
            )
        return super().find_class(module, name)


def restricted_loads(data: bytes, *_args: Any, **_kwargs: Any) -> Any:
    return RestrictedUnpickler(io.BytesIO(data)).load()


def restricted_load(file: IO[bytes], *_args: Any, **_kwargs: Any) -> Any:
    return RestrictedUnpickler(file).load()


class _PickleWithRestrictedLoading(types.ModuleType):
    """What `whoosh.index` sees as `pickle`: the real module, but loading restricted (it also dumps TOCs)."""

    loads = staticmethod(restricted_loads)
    load = staticmethod(restricted_load)

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)


# (module, the name it bound, what it gets instead): every place Whoosh 3.54's reading path unpickles.
_SEAMS: tuple[tuple[types.ModuleType, str, Any], ...] = (
    (whoosh.index, "pickle", _PickleWithRestrictedLoading("pickle")),  # the TOC's schema
    (whoosh.filedb.structfile, "load", restricted_load),  # StructFile.read_pickle: segment list, block headers, FST
    (whoosh.codec.whoosh3, "loads", restricted_loads),  # posting blocks, inlined postings
    (whoosh.columns, "loads", restricted_loads),  # stored fields (PickleColumn)
    (whoosh.formats, "loads", restricted_loads),  # positions and characters of a posting
    # TOCs of Whoosh 1.x are read by whoosh.legacy with an unpickler that maps names to any class; presse never
    # wrote one, so a TOC claiming that format is refused as unreadable.
    (whoosh.index, "toc_loaders", {}),
)


def install() -> None:
    """Make every Whoosh unpickling site in this process use RestrictedUnpickler (idempotent)."""
    for module, name, replacement in _SEAMS:
        if getattr(module, name, None) is not replacement:
            setattr(module, name, replacement)


def is_installed() -> bool:
    return all(getattr(module, name, None) is replacement for module, name, replacement in _SEAMS)
