"""The `presse` command line: a thin click layer over the engine; maps errors to one line and an exit status."""

from __future__ import annotations

import json
import logging
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import IntEnum
from html import unescape
from pathlib import Path
from typing import NoReturn

import click
from tqdm import tqdm

from .config import SETTING_HELP, Settings
from .errors import IndexBusyError, IndexMissingError, IndexStaleError, SearchError
from .german.embargo import format_embargo
from .ingest.corpus import Duplicate, Skipped, display_path
from .query import Searcher
from .query.reading import embargo_end, get_release
from .query.runner import run_query
from .store.adder import add_paths
from .store.checksums import read_record
from .store.indexer import ProgressFn, build_index
from .store.live_index import LiveIndex, check_live_index
from .store.ownership import foreign_writers
from .store.syncer import sync_index


class ExitStatus(IntEnum):
    """The exit statuses of `presse`, as the README's "Command line" section lists them."""

    OK = 0
    ERROR = 1
    USAGE_OR_SKIPPED = 2  # click's own status for a usage mistake; `rebuild`, `add`, `sync` when files were skipped
    BUSY = 3  # another writer held the index's lock for longer than --lock-timeout


def exit_with(status: ExitStatus) -> NoReturn:
    """End the command with `status`: click's way, so its context is closed and CliRunner reports the status."""
    click.get_current_context().exit(int(status))


class PresseGroup(click.Group):
    """Turns engine errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except IndexBusyError as error:
            click.echo(f"Error: {error}", err=True)
            exit_with(ExitStatus.BUSY)
        except SearchError as error:
            click.echo(f"Error: {error}", err=True)
            exit_with(ExitStatus.ERROR)


@click.group(cls=PresseGroup)
@click.option("--corpus", type=click.Path(path_type=Path), envvar="PRESSE_CORPUS", help=SETTING_HELP["corpus"],
              show_default="./corpus")
@click.option("--index", type=click.Path(path_type=Path), envvar="PRESSE_INDEX", help=SETTING_HELP["index"],
              show_default="./index")
@click.option("--lock-timeout", type=click.FloatRange(0), envvar="PRESSE_LOCK_TIMEOUT",
              help=SETTING_HELP["lock_timeout"], show_default="10")
@click.option("-v", "--verbose", is_flag=True, help="Log engine details to stderr.")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, index: Path | None, lock_timeout: float | None,
        verbose: bool) -> None:
    """Search German press releases.

    Example: presse search "Konferenz Shenyang"
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.ERROR, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    # A caller may hand in settings as click's `obj` to give their clock (tests: a fixed instant for embargoes).
    clock = ctx.obj.clock if isinstance(ctx.obj, Settings) else None
    try:
        ctx.obj = Settings.from_env(corpus=corpus, index=index, lock_timeout=lock_timeout, clock=clock)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@cli.command()
@click.option("--if-needed", is_flag=True, help="Only rebuild when the index is missing or from another version.")
@click.pass_obj
def rebuild(settings: Settings, if_needed: bool) -> None:
    """Build the index from the corpus and swap it in when complete.

    Example: presse rebuild
    """
    if if_needed:
        try:
            info = check_live_index(settings.index)
            click.echo(f"Index is up to date ({info.meta.get('documents')} releases); nothing to do.", err=True)
            return
        except IndexMissingError:
            click.echo("No index yet; building it.", err=True)
        except IndexStaleError:
            click.echo("The index was built by another version of presse; rebuilding it.", err=True)
    with _progress_bar() as progress:
        report = build_index(settings, progress=progress)
    _echo_not_indexed(report.duplicates, report.skipped)
    click.echo(
        f"Indexed {report.indexed} releases in {report.seconds:.1f} s; duplicates {len(report.duplicates)}, "
        f"skipped {len(report.skipped)} files.",
        err=True,
    )
    if report.skipped:
        exit_with(ExitStatus.USAGE_OR_SKIPPED)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def add(settings: Settings, paths: tuple[str, ...], as_json: bool) -> None:
    """Import release files (txt, md, html, eml; folders; - for stdin) into the corpus and index them.

    Example: presse add ~/Downloads/pressemitteilung.html eingang/
    """
    report = add_paths(settings, list(paths))
    for added in report.added:
        version = f" (Fassung von {added.version_of})" if added.version_of else ""
        click.echo(f"added {display_path(added.name)} as {added.id}{version}", err=True)
    for name, existing in report.duplicates:
        click.echo(f"duplicate {display_path(name)}: same text as {existing}", err=True)
    for skipped in report.skipped:
        click.echo(f"skipped {display_path(skipped.path)}: {skipped.reason}", err=True)
    click.echo(
        f"Added {len(report.added)}, duplicates {len(report.duplicates)}, skipped {len(report.skipped)} "
        f"in {report.seconds:.2f} s (indexing {report.index_seconds:.2f} s).",
        err=True,
    )
    if as_json:
        click.echo(json.dumps({
            "added": [
                {"input": display_path(a.name), "id": a.id, "version_of": a.version_of or None} for a in report.added
            ],
            "duplicates": [{"input": display_path(name), "id": existing} for name, existing in report.duplicates],
            "skipped": [{"input": display_path(s.path), "reason": s.reason} for s in report.skipped],
            "seconds": round(report.seconds, 3),
            "index_seconds": round(report.index_seconds, 3),
        }, ensure_ascii=False, indent=2))
    if report.skipped:
        exit_with(ExitStatus.USAGE_OR_SKIPPED)


@cli.command()
@click.pass_obj
def sync(settings: Settings) -> None:
    """Bring the index in line with the corpus folder after files were copied in, edited or deleted.

    Example: presse sync
    """
    report = sync_index(settings)
    _echo_not_indexed(report.duplicates, report.skipped)
    if report.changed or report.skipped or report.duplicates:
        click.echo(
            f"Added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
            f"unchanged {report.unchanged}, duplicates {len(report.duplicates)}, skipped {len(report.skipped)} "
            f"in {report.seconds:.2f} s.",
            err=True,
        )
    else:
        click.echo(f"Nothing to do: {report.unchanged} releases unchanged ({report.seconds:.2f} s).", err=True)
    if report.skipped:
        exit_with(ExitStatus.USAGE_OR_SKIPPED)


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 100), default=None, help="Hits per page (default: page size).")
@click.option("--page", type=click.IntRange(1), default=1, help="Result page to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_obj
def search(settings: Settings, query: str, limit: int | None, page: int, as_json: bool) -> None:
    """Search the index and print the ranked hits.

    Example: presse search "Konferenz Shenyang" --limit 5
    """
    with _open(settings) as searcher:
        result = run_query(searcher, settings, query, page=page, limit=limit)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    for note in result.notes:
        click.echo(f"Hinweis: {note}")
    click.echo(f"{result.total} Treffer, Seite {result.page} von {max(result.page_count, 1)}")
    first = (result.page - 1) * result.limit
    for rank, hit in enumerate(result.hits, start=first + 1):
        day = hit.date.isoformat() if hit.date else "ohne Datum"
        click.echo("")
        click.echo(f"{rank:>3}. " + click.style(hit.title, bold=True) + f"  [{hit.id}]")
        click.echo("     " + " · ".join(part for part in (day, hit.source, hit.place, hit.code) if part))
        click.echo("     " + _terminal_marks(hit.snippet))


@cli.command()
@click.argument("release_id")
@click.option("--json", "as_json", is_flag=True, help="Print the release as JSON.")
@click.option("--embargoed", is_flag=True,
              help="Also show a release whose embargo (Sperrfrist) has not ended, with a line saying until when.")
@click.pass_obj
def show(settings: Settings, release_id: str, as_json: bool, embargoed: bool) -> None:
    """Print one release with its metadata.

    A release under embargo is not found, as on the web, unless --embargoed is given.

    Example: presse show 000_9bbab4686f7edeba
    """
    now = settings.clock()
    with _open(settings) as searcher:
        release = get_release(searcher, release_id, now=math.inf if embargoed else now)
        until = embargo_end(searcher, release_id)
    pending = until > now
    if as_json:
        facts = release.to_json()
        if embargoed:
            facts["embargo"] = datetime.fromtimestamp(until, UTC).isoformat() if pending else None
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    if pending:
        click.echo(f"Sperrfrist bis {format_embargo(datetime.fromtimestamp(until, UTC))}: not shown anywhere until "
                   "then.")
    click.echo(click.style(release.title, bold=True))
    meta = [release.date.isoformat() if release.date else "ohne Datum", release.source, release.place]
    click.echo(" · ".join(part for part in meta if part))
    click.echo("")
    click.echo(release.text)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
@click.pass_obj
def info(settings: Settings, as_json: bool) -> None:
    """Show where the corpus and index are and what the index holds.

    Example: presse info --json
    """
    index_info = check_live_index(settings.index)
    warnings = foreign_writers([settings.index, index_info.generation])
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    with _open(settings) as searcher:  # checks every file against its checksum: damage is an error naming them
        documents = searcher.doc_count()  # the live count: the build's, plus adds, minus deletions
    facts = {
        "documents": documents,
        "corpus": str(settings.corpus.resolve()),
        "index": str(settings.index.resolve()),
        "built": index_info.meta.get("built"),
        "version": index_info.meta.get("version"),
        "checksums": "recorded" if read_record(index_info.generation) else "not yet (written at the next commit)",
        "warnings": warnings,
    }
    built_from = index_info.meta.get("corpus")
    if built_from and built_from != facts["corpus"]:
        click.echo(f"Note: the index was built from {built_from}, not from the configured corpus.", err=True)
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    for key, value in facts.items():
        if key != "warnings":  # printed above, to stderr
            click.echo(f"{key + ':':<11}{value}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes.  [default: one per core]")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Threads in each worker process.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the web UI with gunicorn, a production WSGI server: one worker process per core.

    Example: presse serve --port 8000
    """
    from web import create_app
    from web.server import default_workers
    from web.server import serve as serve_app

    check_live_index(settings.index)  # fail here, once, rather than on every request
    workers = workers or default_workers()
    click.echo(f"Serving presse on http://{host}:{port}/ with {workers} worker processes (Ctrl+C stops)", err=True)
    serve_app(create_app(settings), host=host, port=port, workers=workers, threads=threads)


def _echo_not_indexed(duplicates: list[Duplicate], skipped: list[Skipped]) -> None:
    """One line on stderr for each corpus file `rebuild` or `sync` did not index, and why."""
    for duplicate in duplicates:
        click.echo(f"duplicate {display_path(duplicate.path)}: {duplicate.reason}", err=True)
    for item in skipped:
        click.echo(f"skipped {display_path(item.path)}: {item.reason}", err=True)


@contextmanager
def _open(settings: Settings) -> Iterator[Searcher]:
    """A searcher on the live index for one command."""
    live = LiveIndex(settings.index)
    try:
        with live.searcher() as searcher:
            yield searcher
    finally:
        live.close()


# Drawn again at most twice a second; each release indexed is an update, so the line never lags more than that.
PROGRESS_SECONDS = 0.5


@contextmanager
def _progress_bar() -> Iterator[ProgressFn]:
    """A progress callback for build_index that shows count, rate and time left on stderr (tqdm draws it)."""
    bar: tqdm | None = None

    def show(done: int, total: int, _seconds: float) -> None:
        nonlocal bar
        if bar is None:  # the total is known from the first call on
            bar = tqdm(total=total, file=sys.stderr, unit="", mininterval=PROGRESS_SECONDS, miniters=1,
                       bar_format="{n}/{total} releases, {rate_noinv_fmt}, {remaining} left")
        bar.update(done - bar.n)

    try:
        yield show
    finally:
        if bar is not None:
            bar.close()


_MARK = re.compile(r"<mark>(.*?)</mark>")


def _terminal_marks(snippet_html: str) -> str:
    """The snippet for a terminal: marks become bold, entities become characters."""
    parts = _MARK.split(snippet_html)
    return "".join(
        click.style(unescape(part), bold=True, underline=True) if i % 2 else unescape(part)
        for i, part in enumerate(parts)
    )


def main() -> None:
    cli(prog_name="presse")
