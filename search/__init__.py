"""presse: full-text search over German press releases. The public surface of the engine."""

from .config import Settings
from .errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexDamagedError,
    IndexMissingError,
    IndexStaleError,
    IndexUnsafeError,
    QueryError,
    ReleaseError,
    ReleaseNotFoundError,
    SearchError,
    StorageError,
)
from .query import Searcher
from .query.budget import Budget
from .query.dates import berlin_day
from .query.issuers import Issuer, IssuerMatch, IssuerTable, issuer_table, match_issuer
from .query.reading import get_release, mark_release, release_versions, similar_releases
from .query.runner import prepare_searches, run_query
from .release import Release, original_host, original_url
from .results import Filters, Hit, MarkedRelease, ResultPage, VersionRef
from .store.indexer import BuildReport, build_index
from .store.live_index import IndexInfo, LiveIndex, check_live_index

__all__ = [
    "Budget",
    "BuildReport",
    "Filters",
    "Hit",
    "IndexBusyError",
    "IndexCorruptError",
    "IndexDamagedError",
    "IndexInfo",
    "IndexMissingError",
    "IndexStaleError",
    "IndexUnsafeError",
    "Issuer",
    "IssuerMatch",
    "IssuerTable",
    "LiveIndex",
    "MarkedRelease",
    "QueryError",
    "Release",
    "ReleaseError",
    "ReleaseNotFoundError",
    "ResultPage",
    "SearchError",
    "Searcher",
    "Settings",
    "StorageError",
    "VersionRef",
    "berlin_day",
    "build_index",
    "check_live_index",
    "get_release",
    "issuer_table",
    "mark_release",
    "match_issuer",
    "original_host",
    "original_url",
    "prepare_searches",
    "release_versions",
    "run_query",
    "similar_releases",
]
