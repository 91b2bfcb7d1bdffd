"""The exceptions presse raises; each message says what happened and what to do."""


class SearchError(Exception):
    """Base class for every error a person using presse can act on."""


class ReleaseError(SearchError):
    """A release file cannot be read or parsed."""


class IndexMissingError(SearchError):
    """There is no index yet at the configured location."""


class IndexCorruptError(IndexMissingError):
    """The live index exists but cannot be read; a rebuild replaces it."""


class IndexDamagedError(IndexCorruptError):
    """Files of the live index differ from the checksums recorded when they were written."""

    def __init__(self, message: str, files: list[str]) -> None:
        super().__init__(message)
        self.files = files  # each "name: what is wrong"


class IndexUnsafeError(IndexCorruptError):
    """An index file holds a pickled object presse refuses to load: the files may have been tampered with."""


class IndexStaleError(SearchError):
    """The index was built by a different analyzer or schema version."""


class IndexBusyError(SearchError):
    """Another process holds the index's write lock."""


class StorageError(SearchError):
    """Writing the corpus or the index failed (disk full, read-only, no permission); nothing half-written stays."""


class QueryError(SearchError):
    """The query cannot be run (empty, or operators only)."""


class ReleaseNotFoundError(SearchError):
    """No release with the given id is in the index."""
