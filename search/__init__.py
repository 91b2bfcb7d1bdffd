"""presse: full-text search over German press releases. The public surface of the engine."""

from .config import Settings
from .errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    QueryError,
    ReleaseError,
    ReleaseNotFoundError,
    SearchError,
    StorageError,
)
from .indexer import BuildReport, build_index
from .opener import IndexInfo, LiveIndex, check_live_index
from .release import Release
from .searcher import Hit, MarkedRelease, ResultPage, get_release, mark_release, run_query

__all__ = [
    "BuildReport",
    "Hit",
    "IndexBusyError",
    "IndexCorruptError",
    "IndexInfo",
    "IndexMissingError",
    "IndexStaleError",
    "LiveIndex",
    "MarkedRelease",
    "QueryError",
    "Release",
    "ReleaseError",
    "ReleaseNotFoundError",
    "ResultPage",
    "SearchError",
    "Settings",
    "StorageError",
    "build_index",
    "check_live_index",
    "get_release",
    "mark_release",
    "run_query",
]
