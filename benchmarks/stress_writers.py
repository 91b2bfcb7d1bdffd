"""The writing side of the stress run: generated releases, `presse` run and killed, and every added release counted.

Each generated release carries a unique marker word in its title (`mkr17x`, RELIABILITY.md's helper) and the
probe word in its text, so the census can say of each one whether the index holds it once, not at all or twice,
and readers can follow one total that only grows while adds commit.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from search import LiveIndex

from .corpus import REPO
from .serving import search_path
from .stress_attacks import timed_get
from .stress_figures import Census, KillLoop, Readers, Writers

# In every generated release and in none of the shared ones: one total that grows by one with each release added.
PROBE_WORD = "Quorxel"
COMMAND_SECONDS = 300.0  # one `presse` command that has not ended by then is killed and counted as hung
MARKER = re.compile(r"\bmkr(\d+)x\b")
VOCABULARY = (
    "Polizei Feuerwehr Unfall Brand Stadt Gemeinde Verkehr Einsatz Landkreis Straße Fahrzeug Zeugen Bürger Schule "
    "Konferenz Entwicklung Projekt Förderung Umwelt Energie Wasser Bahnhof Kinder Familie Bericht Messe Preis "
    "Forschung Universität Klinik Gesundheit Sicherheit Kontrolle Ausstellung Konzert Museum Garten Wald Rathaus "
    "Brücke Baustelle Radweg Spielplatz Bibliothek Hafen Flughafen Krankenhaus Sporthalle Feuerwache Wetter Sturm "
    "Hochwasser Ernte Markt Handel Handwerk Betrieb Ausbildung Studium Verein Turnier Festival Theater Kirche"
).split()
_VERBS = "meldet berichtet eröffnet sucht plant fördert prüft startet ehrt warnt sperrt baut".split()


@dataclass
class Workspace:
    """The temporary corpus, index and inbox of one run, and the numbers of the generated releases it added."""

    root: Path
    added: set[int] = field(default_factory=set)
    _next: int = 0

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def index(self) -> Path:
        return self.root / "index"

    def seed(self, count: int) -> None:
        """`count` new generated releases straight into the corpus, before the first build."""
        write_releases(self.corpus, range(self._next, self._next + count))
        self.added.update(range(self._next, self._next + count))
        self._next += count

    def new_batch(self, count: int) -> Path:
        """A folder of `count` new generated releases for `presse add` (counted as added from now on)."""
        folder = self.root / "inbox" / f"batch-{self._next:06d}"
        write_releases(folder, range(self._next, self._next + count))
        self.added.update(range(self._next, self._next + count))
        self._next += count
        return folder


def generated_release(number: int) -> str:
    """Release `number` in the corpus text form, always the same; its title holds `mkr<number>x`."""
    chooser = random.Random(number)
    title = f"{' '.join(chooser.sample(VOCABULARY, 3))} {chooser.choice(_VERBS)} mkr{number}x"
    paragraphs = [" ".join(chooser.choice(VOCABULARY) for _ in range(40)) + "." for _ in range(3)]
    paragraphs[1] += f" {PROBE_WORD} {number}."
    day = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
    return f" date {day} {title}\n\n" + "\n\n".join(paragraphs) + f"\n\nQuelle: Prüfstelle {number % 40} (ots)\n"


def write_releases(folder: Path, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        (folder / f"generated-{number:06d}.txt").write_text(generated_release(number), encoding="utf-8")


def presse_command(workspace: Workspace, *args: str | Path, index: Path | None = None) -> list[str]:
    """`presse --corpus … --index … ARGS` through the CLI's own entry point, this checkout first on the path."""
    return [sys.executable, "-c", "import sys; from search.cli import main; sys.argv[0] = 'presse'; main()",
            "--corpus", str(workspace.corpus), "--index", str(index or workspace.index), *map(str, args)]


def presse_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


@dataclass(frozen=True)
class Finished:
    status: int  # -9 when it was killed (here or by the timeout)
    seconds: float
    stdout: str
    stderr: str


def run_presse(workspace: Workspace, *args: str | Path, index: Path | None = None,
               timeout: float = COMMAND_SECONDS) -> Finished:
    started = time.perf_counter()
    try:
        done = subprocess.run(presse_command(workspace, *args, index=index), cwd=REPO, env=presse_env(),
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        return Finished(-9, time.perf_counter() - started, str(expired.stdout or ""), "timed out")
    return Finished(done.returncode, time.perf_counter() - started, done.stdout, done.stderr)


def killed_after(workspace: Workspace, delay: float, *args: str | Path) -> bool:
    """Start `presse ARGS`, SIGKILL it after `delay` seconds; True when it was still running then."""
    process = subprocess.Popen(presse_command(workspace, *args), cwd=REPO, env=presse_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=COMMAND_SECONDS)
        return True


def documents(workspace: Workspace) -> int | None:
    """The live document count `presse info --json` reports, or None when it fails."""
    done = run_presse(workspace, "info", "--json")
    return json.loads(done.stdout)["documents"] if done.status == 0 else None


def leftovers(index_root: Path) -> list[str]:
    """Half-built generations and temporary files a finished command should have removed."""
    builds = sorted(path for path in index_root.glob("build-*"))
    stray = [path for path in sorted(index_root.rglob("*"))
             if not any(build in path.parents for build in builds)  # a build folder is named once, not its files
             and (path.name.endswith(".tmp") or re.search(r"\.toc\.\d", path.name))]
    return [str(path.relative_to(index_root)) for path in builds + stray]


def kill_adds(workspace: Workspace, kills: int, files: int, chooser: random.Random) -> KillLoop:
    """`presse add` of `files` new releases killed `kills` times within 1.2 × a measured add; then all added again."""
    timed = run_presse(workspace, "add", workspace.new_batch(files))
    if timed.status != 0:
        raise RuntimeError(f"presse add failed before the kill loop: {timed.stderr.strip()[-500:]}")
    loop, batches = KillLoop("add"), []
    before = documents(workspace)
    for _ in range(kills):
        batches.append(workspace.new_batch(files))
        loop.kills += 1
        loop.killed_running += killed_after(workspace, chooser.uniform(0, 1.2 * timed.seconds), "add", batches[-1])
        after = documents(workspace)
        if after is None:
            loop.info_failures += 1
        elif before is not None and after not in (before, before + files):
            loop.counts_unexpected += 1
        before = after
    rerun = run_presse(workspace, "add", *batches)  # A3: adding again brings in whatever a kill lost
    if rerun.status != 0:
        raise RuntimeError(f"presse add after the kills failed: {rerun.stderr.strip()[-500:]}")
    loop.leftovers = leftovers(workspace.index)
    return loop


def kill_rebuilds(workspace: Workspace, kills: int, chooser: random.Random) -> KillLoop:
    """`presse rebuild` killed `kills` times between 10 % and 90 % of a measured one; then one `add` follows."""
    timed = run_presse(workspace, "rebuild")
    if timed.status != 0:
        raise RuntimeError(f"presse rebuild failed: {timed.stderr.strip()[-500:]}")
    loop = KillLoop("rebuild")
    before = documents(workspace)
    for _ in range(kills):
        loop.kills += 1
        loop.killed_running += killed_after(workspace, chooser.uniform(0.1, 0.9) * timed.seconds, "rebuild")
        after = documents(workspace)
        if after is None:
            loop.info_failures += 1
        elif after != before:
            loop.counts_unexpected += 1
    # Issue 12 asks that the next successful command of any kind removes a killed rebuild's folder, `add` included.
    run_presse(workspace, "add", workspace.new_batch(5))
    loop.leftovers = leftovers(workspace.index)
    return loop


def concurrent_adds(workspace: Workspace, writers: int, files: int) -> Writers:
    """`writers` adds started at once; each that gave up on the lock (exit 3) is run again when the others are done."""
    figures = Writers(writers, files)
    batches = [workspace.new_batch(files) for _ in range(writers)]
    results: list[Finished | None] = [None] * writers

    def add(number: int) -> None:
        results[number] = run_presse(workspace, "add", batches[number])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for batch, result in zip(batches, results, strict=True):
        assert result is not None
        figures.statuses[result.status] += 1
        figures.longest_seconds = max(figures.longest_seconds, result.seconds)
        if result.status == 3:
            figures.retried += 1
            run_presse(workspace, "add", batch)
    return figures


def census(workspace: Workspace, when: str) -> Census:
    """How often each added release's marker appears among the live index's stored titles."""
    live = LiveIndex(workspace.index)
    try:
        with live.searcher() as searcher:
            found = Counter(int(match) for fields in searcher.reader().all_stored_fields()
                            for match in MARKER.findall(fields.get("title", "")))
    finally:
        live.close()
    counts = [found[number] for number in workspace.added]
    return Census(when, len(counts), counts.count(1), counts.count(0), sum(count > 1 for count in counts))


def read_during_adds(workspace: Workspace, port: int, adds: int, files: int, http_readers: int = 2) -> list[Readers]:
    """Searches for the probe word in a loop (HTTP and the CLI) while `adds` adds of `files` releases commit."""
    stop = threading.Event()
    readers = [Readers(f"HTTP reader {n + 1}") for n in range(http_readers)] + [Readers("`presse search` reader")]

    def record(reader: Readers, total: int | None, notes: list[str]) -> None:
        reader.searches += 1
        if total is None:
            reader.errors += 1
            return
        if reader.totals and total < reader.totals[-1]:
            reader.backwards += 1
        reader.totals.append(total)
        reader.deadline_notes += any("abgebrochen" in note for note in notes)

    def read_http(reader: Readers) -> None:
        while not stop.is_set():
            outcome, body = timed_get(port, search_path(PROBE_WORD), 30.0, with_body=True)
            page = json.loads(body) if outcome.status == 200 else {}
            record(reader, page.get("total"), page.get("notes", []))

    def read_cli(reader: Readers) -> None:
        while not stop.is_set():
            done = run_presse(workspace, "search", PROBE_WORD, "--json", timeout=60)
            page = json.loads(done.stdout) if done.status == 0 else {}
            record(reader, page.get("total"), page.get("notes", []))

    threads = [threading.Thread(target=read_http, args=(r,)) for r in readers[:-1]]
    threads.append(threading.Thread(target=read_cli, args=(readers[-1],)))
    for thread in threads:
        thread.start()
    try:
        for _ in range(adds):
            run_presse(workspace, "add", workspace.new_batch(files))
        time.sleep(2.0)  # the server sees a commit within a second (LiveIndex rechecks once a second)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return readers
