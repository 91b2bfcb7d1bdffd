"""The stress run's figures, one value per scenario, and the markdown report with issue 12's targets judged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .speed_figures import percentile

# Issue 12's "Done when" figures.
PROBE_P99_SECONDS = 0.5  # a normal search's p99 while 8 clients send expensive queries
IDLE_DELAY_SECONDS = 1.0  # how long 150 idle connections may delay a normal request
SHED_SECONDS = 1.0  # under overload, a 503 must come back within this


@dataclass(frozen=True)
class Outcome:
    """One HTTP request: seconds until answered or given up, status (0 without an answer), and why not answered."""

    seconds: float
    status: int
    error: str = ""  # "timeout" or "reset" (any other socket error) when status is 0


@dataclass
class KillLoop:
    """`presse add` or `presse rebuild` killed with SIGKILL `kills` times at random moments."""

    command: str
    kills: int = 0
    killed_running: int = 0  # kills that hit a running process (the others came after it had finished)
    info_failures: int = 0  # `presse info` exited non-zero right after a kill
    counts_unexpected: int = 0  # `info`'s document count was neither the count before nor the one after
    leftovers: list[str] = field(default_factory=list)  # build-*/temp files after the next successful command


@dataclass
class Census:
    """Every release the run added, looked up in the index: each must be there exactly once."""

    when: str
    expected: int
    found_once: int
    lost: int
    duplicated: int


@dataclass
class Writers:
    """Several `presse add` started at once; those that timed out on the lock (exit 3) are run again afterwards."""

    writers: int
    files_each: int
    statuses: Counter = field(default_factory=Counter)
    longest_seconds: float = 0.0
    retried: int = 0


@dataclass
class Readers:
    """One reader's searches for a fixed query while adds commit: totals must never go backwards."""

    reader: str
    searches: int = 0
    errors: int = 0
    backwards: int = 0  # a total smaller than the one before it
    deadline_notes: int = 0
    totals: list[int] = field(default_factory=list)


@dataclass
class Hold:
    """Connections held open by an attacker, and normal requests timed meanwhile."""

    attack: str
    connections: int
    normal: list[Outcome] = field(default_factory=list)


@dataclass
class Expensive:
    """Clients sending queries of unknown long words, and a probe sending normal searches alone and under attack."""

    attackers: int
    words: int
    seconds: float
    attack: list[Outcome] = field(default_factory=list)
    probe_alone: list[Outcome] = field(default_factory=list)
    probe_attacked: list[Outcome] = field(default_factory=list)


@dataclass
class Overload:
    """An open loop: requests sent at a fixed rate whatever the answers, then how soon normal service returns."""

    rate: float
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    first_503_seconds: float | None = None  # from the load's start to the first 503 answered
    recovery_seconds: float | None = None  # from the load's end to the first normal search answered 200 within 1 s
    capacity: float | None = None  # normal searches answered a second by 8 clients back to back, before the load


@dataclass
class Damage:
    """One damaged index under a running server and `presse info`."""

    damage: str
    target: str
    server_alive: bool
    search_statuses: Counter  # "200", "500", "timeout", ... → how many
    health: int
    info_status: int
    marker_created_by: tuple[str, ...]  # who unpickled the planted table: "server", "`info`"
    worker_deaths: int = 0  # worker processes the server lost (gunicorn's "was sent SIGBUS" and the like)


@dataclass
class StressFigures:
    corpus: str
    kill_loops: list[KillLoop] = field(default_factory=list)
    censuses: list[Census] = field(default_factory=list)
    writers: Writers | None = None
    readers: list[Readers] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    expensive: Expensive | None = None
    overloads: list[Overload] = field(default_factory=list)
    damages: list[Damage] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # scenarios that could not run, each with why


READERS_NOTE = ("Each reader searches for a word every generated release holds, so its total may only grow while "
                "adds commit. An HTTP reader's requests go to any of the server's worker processes.")
DAMAGE_NOTE = ("Since index version 8 a segment is separate files (there is no `.seg`): the cases damage, in place "
               "while the server has them open, the newest segment's stored fields (`._stored.col`, Whoosh's, read) "
               "or its postings (`.postings`, presse's arrays, memory-mapped). Each case runs on a fresh copy of a "
               "good index; the server is asked 8 times (searches over the API and the HTML page) after LiveIndex's "
               "once-a-second check; worker deaths are gunicorn's \"was sent SIGBUS\" and \"exited with code\" lines. "
               "The planted table's pickle opens a marker file for writing when loaded, nothing else.")


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def quantile(outcomes: list[Outcome], share: float) -> float | None:
    """The `share` percentile of the outcomes' seconds, or None when there are none."""
    return percentile([o.seconds for o in outcomes], share) if outcomes else None


def statuses(outcomes: list[Outcome]) -> str:
    """Answers by status, then failures by kind: "200 ×7, 503 ×2, timeout ×1"."""
    counts = Counter(str(o.status) if o.status else o.error for o in outcomes)
    return ", ".join(f"{name} ×{count}" for name, count in sorted(counts.items())) or "—"


def server_errors(outcomes: list[Outcome]) -> int:
    return sum(o.status >= 500 for o in outcomes)


def unanswered(outcomes: list[Outcome]) -> int:
    return sum(o.status == 0 for o in outcomes)


def targets(figures: StressFigures) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each of issue 12's figures that this run measured."""
    rows = []
    if figures.expensive:
        p99 = quantile(figures.expensive.probe_attacked, 99)
        rows.append((f"{figures.expensive.attackers} expensive-query clients: a normal search's p99 "
                     f"≤ {PROBE_P99_SECONDS} s", seconds(p99), p99 is not None and p99 <= PROBE_P99_SECONDS
                     and not unanswered(figures.expensive.probe_attacked)))
    idle = [hold for hold in figures.holds if hold.attack.startswith("idle")]
    if idle:
        slowest = max((o.seconds for hold in idle for o in hold.normal), default=None)
        delayed = slowest is None or slowest > IDLE_DELAY_SECONDS or any(
            o.status != 200 for hold in idle for o in hold.normal)
        rows.append((f"{idle[0].connections} idle connections delay a normal request by ≤ {IDLE_DELAY_SECONDS:g} s",
                     seconds(slowest), not delayed))
    if figures.overloads:
        shed = [o for overload in figures.overloads for o in overload.outcomes if o.status == 503]
        p99 = quantile(shed, 99)
        measured = "no 503" if not shed else f"{len(shed)} × 503, p99 {seconds(p99)}"
        rows.append((f"overload answers 503 within {SHED_SECONDS:g} s", measured,
                     p99 is not None and p99 <= SHED_SECONDS))
    if figures.censuses:
        lost = sum(c.lost for c in figures.censuses)
        duplicated = sum(c.duplicated for c in figures.censuses)
        rows.append(("0 releases lost (or duplicated)", f"{lost} lost, {duplicated} duplicated",
                     lost == 0 and duplicated == 0))
    return rows


def to_markdown(figures: StressFigures, header: str) -> str:
    parts = [
        "# presse under faults and attack",
        "Issue 12's \"make it repeatable\": `python -m benchmarks.stress` (or `make stress`) runs every scenario "
        "below against `presse` started as subprocesses (the CLI, and `presse serve` on a free loopback port) "
        "and writes this file.",
        f"{header}\n- corpus: {figures.corpus}",
        _table(["target", "measured", ""],
               [[name, measured, "met" if met else "**missed**"] for name, measured, met in targets(figures)],
               "## Issue 12's targets"),
    ]
    if figures.skipped:
        parts.append("Not run: " + "; ".join(figures.skipped) + ".")
    parts += [
        _kill_loops(figures.kill_loops),
        _table(["checked", "expected", "found once", "lost", "duplicated"],
               [[c.when, c.expected, c.found_once, c.lost, c.duplicated] for c in figures.censuses],
               "## Releases added, each looked up in the index"),
    ]
    if figures.writers:
        w = figures.writers
        exits = ", ".join(f"{status} ×{count}" for status, count in sorted(w.statuses.items()))
        parts.append(_table(["writers", "files each", "exit statuses", "longest `add`", "run again after exit 3"],
                            [[w.writers, w.files_each, exits, seconds(w.longest_seconds), w.retried]],
                            "## Concurrent writers"))
    parts += [
        _table(["reader", "searches", "errors", "totals went backwards", "deadline notes", "first → last total"],
               [[r.reader, r.searches, r.errors, r.backwards, r.deadline_notes,
                 f"{r.totals[0]} → {r.totals[-1]}" if r.totals else "—"] for r in figures.readers],
               "## Readers during commits", READERS_NOTE if figures.readers else ""),
        _table(["attack", "connections held", "normal requests meanwhile", "slowest"],
               [[h.attack, h.connections, statuses(h.normal), seconds(max((o.seconds for o in h.normal),
                                                                           default=None))] for h in figures.holds],
               "## Idle connections and slowloris"),
    ]
    if figures.expensive:
        parts.append(_expensive(figures.expensive))
    parts += [_overload(overload) for overload in figures.overloads]
    parts.append(_table(
        ["damage", "file", "server alive", "search statuses", "/health", "`info` exit", "worker deaths",
         "marker created by"],
        [[d.damage, f"`{d.target}`", _yes(d.server_alive),
          ", ".join(f"{status} ×{count}" for status, count in sorted(d.search_statuses.items())),
          d.health or "no answer", d.info_status, d.worker_deaths, ", ".join(d.marker_created_by) or "no"]
         for d in figures.damages],
        "## Damaged index under a running server", DAMAGE_NOTE if figures.damages else ""))
    return "\n\n".join(part for part in parts if part) + "\n"


def _kill_loops(loops: list[KillLoop]) -> str:
    return _table(
        ["command", "kills", "killed while running", "`info` failed after", "count neither before nor after",
         "leftovers after the next successful command"],
        [[f"`presse {loop.command}`", loop.kills, loop.killed_running, loop.info_failures, loop.counts_unexpected,
          ", ".join(f"`{name}`" for name in loop.leftovers) or "none"] for loop in loops],
        "## Kill loops (SIGKILL at a random moment)")


def _expensive(e: Expensive) -> str:
    rows = [
        ["probe alone", *_summary(e.probe_alone)],
        [f"probe under {e.attackers} attackers", *_summary(e.probe_attacked)],
        [f"{e.attackers} attackers, {e.words} unknown 17-letter words a query", *_summary(e.attack)],
    ]
    return _table(["client", "requests", "5xx", "no answer", "p50", "p99", "slowest"], rows,
                  f"## Expensive queries ({e.seconds:g} s)")


def _summary(outcomes: list[Outcome]) -> list[object]:
    return [len(outcomes), server_errors(outcomes), unanswered(outcomes), seconds(quantile(outcomes, 50)),
            seconds(quantile(outcomes, 99)), seconds(max((o.seconds for o in outcomes), default=None))]


def _overload(o: Overload) -> str:
    answered = Counter(x.status for x in o.outcomes)
    other = sum(count for status, count in answered.items() if status not in (0, 200, 503))
    ok = [x for x in o.outcomes if x.status == 200]
    shed = [x for x in o.outcomes if x.status == 503]
    failures = Counter(x.error for x in o.outcomes if x.status == 0)
    row = [len(o.outcomes), answered[200], answered[503], other, failures["reset"], failures["timeout"],
           seconds(o.first_503_seconds), seconds(quantile(shed, 99)), seconds(quantile(ok, 50)),
           seconds(quantile(ok, 99)), seconds(o.recovery_seconds)]
    return _table(["sent", "200", "503", "other status", "resets", "timeouts", "first 503 after", "p99 of 503s",
                   "p50 of 200s", "p99 of 200s", "recovered after"], [row],
                  f"## Open-loop overload ({o.rate:g} requests/s for {o.seconds:g} s{_capacity(o)})")


def _capacity(o: Overload) -> str:
    return "" if o.capacity is None else f"; capacity {o.capacity:.0f} searches/s with 8 clients back to back"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _table(columns: list[str], rows: list[list[object]], title: str, note: str = "") -> str:
    if not rows:
        return ""
    lines = [title, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + (f"\n\n{note}" if note else "")
