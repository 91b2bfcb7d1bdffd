"""The stress report's pure parts: its tables and target judgments on made-up figures, leftovers, the corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from benchmarks.corpus import DataMissing
from benchmarks.serving import search_path
from benchmarks.stress import SEEDED, overload_rates, prepare_corpus
from benchmarks.stress_figures import (
    Census,
    Damage,
    Expensive,
    Hold,
    KillLoop,
    Outcome,
    Overload,
    Readers,
    StressFigures,
    Writers,
    statuses,
    targets,
    to_markdown,
)
from benchmarks.stress_writers import MARKER, PROBE_WORD, Workspace, generated_release, leftovers


def made_up(probe_seconds: float, idle_seconds: float, shed: bool, lost: int) -> StressFigures:
    figures = StressFigures("a made-up corpus")
    figures.kill_loops = [KillLoop("add", 10, 9, 0, 1), KillLoop("rebuild", 5, 5, 0, 0, ["build-1"])]
    figures.censuses = [Census("after the writers", 400, 400 - lost, lost, 0),
                        Census("after a rebuild", 400, 399, 0, 1)]
    figures.writers = Writers(4, 20, Counter({0: 3, 3: 1}), 12.345, 1)
    figures.readers = [Readers("HTTP reader 1", 50, 1, 2, 3, [100, 90, 140])]
    figures.holds = [Hold("idle: 150 idle connections", 150, [Outcome(idle_seconds, 200), Outcome(0.01, 200)]),
                     Hold("slowloris: 90 connections", 90, [Outcome(10.0, 0, "timeout")])]
    figures.expensive = Expensive(8, 16, 20.0, attack=[Outcome(2.0, 200), Outcome(3.0, 500)],
                                  probe_alone=[Outcome(0.01, 200)] * 4,
                                  probe_attacked=[Outcome(probe_seconds, 200)] * 3)
    outcomes = [Outcome(0.2, 200), Outcome(0.05, 503 if shed else 200), Outcome(10.0, 0, "timeout"),
                Outcome(0.3, 0, "reset"), Outcome(0.1, 429)]
    figures.overloads = [Overload(80.0, 20.0, outcomes, 0.75 if shed else None, 4.5),
                         Overload(300.0, 20.0, [Outcome(0.4, 200)], None, 0.5, capacity=150.4)]
    figures.damages = [Damage("truncated to half", "MAIN_a.trm", True, Counter({"500": 2, "503": 6}), 200, 1, (), 1),
                       Damage("planted table", "_MAIN_999.toc", False, Counter({"reset": 8}), 0, 1,
                              ("server", "`info`"))]
    return figures


def table(report: str, title: str) -> list[str]:
    """The lines of the table under `title`: header, rule and rows."""
    lines = report.splitlines()
    start = lines.index(title) + 2
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_targets_are_judged_against_issue_12():
    assert targets(made_up(probe_seconds=0.4, idle_seconds=0.5, shed=True, lost=0)) == [
        ("8 expensive-query clients: a normal search's p99 ≤ 0.5 s", "0.40 s", True),
        ("150 idle connections delay a normal request by ≤ 1 s", "0.50 s", True),
        ("overload answers 503 within 1 s", "1 × 503, p99 0.05 s", True),
        ("0 releases lost (or duplicated)", "0 lost, 1 duplicated", False),
    ]
    missed = targets(made_up(probe_seconds=1.7, idle_seconds=2.0, shed=False, lost=3))
    assert [(measured, met) for _, measured, met in missed] == [
        ("1.70 s", False), ("2.00 s", False), ("no 503", False), ("3 lost, 1 duplicated", False)]


def test_report_tables_hold_the_figures():
    report = to_markdown(made_up(probe_seconds=0.4, idle_seconds=0.5, shed=True, lost=2), "- machine: test")
    assert "- machine: test\n- corpus: a made-up corpus" in report
    assert table(report, "## Issue 12's targets")[2:] == [
        "| 8 expensive-query clients: a normal search's p99 ≤ 0.5 s | 0.40 s | met |",
        "| 150 idle connections delay a normal request by ≤ 1 s | 0.50 s | met |",
        "| overload answers 503 within 1 s | 1 × 503, p99 0.05 s | met |",
        "| 0 releases lost (or duplicated) | 2 lost, 1 duplicated | **missed** |",
    ]
    assert table(report, "## Kill loops (SIGKILL at a random moment)")[2:] == [
        "| `presse add` | 10 | 9 | 0 | 1 | none |",
        "| `presse rebuild` | 5 | 5 | 0 | 0 | `build-1` |",
    ]
    assert table(report, "## Releases added, each looked up in the index")[2:] == [
        "| after the writers | 400 | 398 | 2 | 0 |",
        "| after a rebuild | 400 | 399 | 0 | 1 |",
    ]
    assert table(report, "## Concurrent writers")[2:] == ["| 4 | 20 | 0 ×3, 3 ×1 | 12.35 s | 1 |"]
    assert table(report, "## Readers during commits")[2:] == ["| HTTP reader 1 | 50 | 1 | 2 | 3 | 100 → 140 |"]
    assert table(report, "## Idle connections and slowloris")[2:] == [
        "| idle: 150 idle connections | 150 | 200 ×2 | 0.50 s |",
        "| slowloris: 90 connections | 90 | timeout ×1 | 10.00 s |",
    ]
    assert table(report, "## Expensive queries (20 s)") == [
        "| client | requests | 5xx | no answer | p50 | p99 | slowest |",
        "|---|---|---|---|---|---|---|",
        "| probe alone | 4 | 0 | 0 | 0.01 s | 0.01 s | 0.01 s |",
        "| probe under 8 attackers | 3 | 0 | 0 | 0.40 s | 0.40 s | 0.40 s |",
        "| 8 attackers, 16 unknown 17-letter words a query | 2 | 1 | 0 | 2.50 s | 2.99 s | 3.00 s |",
    ]
    assert table(report, "## Open-loop overload (80 requests/s for 20 s)")[2:] == [
        "| 5 | 1 | 1 | 1 | 1 | 1 | 0.75 s | 0.05 s | 0.20 s | 0.20 s | 4.50 s |"]
    assert table(report, "## Open-loop overload (300 requests/s for 20 s; capacity 150 searches/s with 8 clients "
                         "back to back)")[2:] == ["| 1 | 1 | 0 | 0 | 0 | 0 | — | — | 0.40 s | 0.40 s | 0.50 s |"]
    assert table(report, "## Damaged index under a running server")[2:] == [
        "| truncated to half | `MAIN_a.trm` | yes | 500 ×2, 503 ×6 | 200 | 1 | 1 | no |",
        "| planted table | `_MAIN_999.toc` | no | reset ×8 | no answer | 1 | 0 | server, `info` |",
    ]


def test_a_scenario_that_did_not_run_is_named_and_leaves_no_empty_table():
    figures = StressFigures("a made-up corpus", skipped=["open-loop overload (RuntimeError: no port)"])
    report = to_markdown(figures, "- machine: test")
    assert "Not run: open-loop overload (RuntimeError: no port)." in report
    assert "## Open-loop overload" not in report and "## Kill loops" not in report
    assert targets(figures) == []


def test_the_overload_runs_at_twice_the_capacity_too_when_that_is_more():
    assert overload_rates(80.0, 150.4) == [80.0, 301.0]
    assert overload_rates(80.0, 30.0) == [80.0]
    assert overload_rates(80.0, None) == [80.0]


def test_statuses_count_answers_then_failures():
    outcomes = [Outcome(0.1, 503), Outcome(0.1, 200), Outcome(9.0, 0, "timeout"), Outcome(0.1, 200)]
    assert statuses(outcomes) == "200 ×2, 503 ×1, timeout ×1"
    assert statuses([]) == "—"


def test_leftovers_name_build_folders_once_and_temporary_files(tmp_path: Path):
    (tmp_path / "build-20261129-ab").mkdir()
    (tmp_path / "build-20261129-ab" / "MAIN.tmp").write_text("")
    generation = tmp_path / "gen-20261129-cd"
    generation.mkdir()
    for name in ("_MAIN_3.toc", "_MAIN_4.toc.1764456000.5", "MAIN_x.trm", "presse.json.tmp"):
        (generation / name).write_text("")
    (tmp_path / "CURRENT").write_text("gen-20261129-cd")
    assert leftovers(tmp_path) == ["build-20261129-ab", "gen-20261129-cd/_MAIN_4.toc.1764456000.5",
                                   "gen-20261129-cd/presse.json.tmp"]


def test_generated_releases_are_the_same_every_run_and_carry_their_marker():
    text = generated_release(17)
    assert text == generated_release(17) != generated_release(18)
    headline = text.split("\n", 1)[0]
    assert headline.startswith(" date 2024-06-18 ") and headline.endswith(" mkr17x")
    assert MARKER.findall(text) == ["17"] and f"{PROBE_WORD} 17." in text


def test_the_corpus_is_the_first_shared_releases_and_seeded_ones(tmp_path: Path):
    shared = tmp_path / "shared"
    shared.mkdir()
    entries = [{"file": "a.txt", "title": "Feuerwehr löscht Scheunenbrand"}, {"file": "b.txt", "title": None},
               {"file": "c.txt", "title": "Nicht kopiert"}]
    (shared / "index.jsonl").write_text("\n".join(json.dumps(entry) for entry in entries) + "\n")
    for entry in entries:
        (shared / entry["file"]).write_text(" date 2024-01-02 Text\n\nQuelle: Stadt\n")
    workspace = Workspace(tmp_path / "run")
    description, normal = prepare_corpus(workspace, 2, lambda: shared)
    names = sorted(path.name for path in workspace.corpus.iterdir())
    assert names[:3] == ["a.txt", "b.txt", "generated-000000.txt"] and names[-1] == "generated-000049.txt"
    assert len(list(workspace.corpus.iterdir())) == 2 + SEEDED and workspace.added == set(range(SEEDED))
    assert normal == [search_path("Feuerwehr löscht")]
    assert description.startswith("the first 2 shared releases")


def test_without_the_shared_data_generated_releases_stand_in(tmp_path: Path):
    def missing() -> Path:
        raise DataMissing("shared data not found at /nowhere")

    workspace = Workspace(tmp_path)
    description, normal = prepare_corpus(workspace, 3, missing)
    assert description == "3 generated releases (shared data not found at /nowhere) and 50 more with a marker word each"
    assert len(list(workspace.corpus.iterdir())) == 3 + SEEDED and workspace.added == set(range(SEEDED))
    assert normal[0] == search_path("Polizei Kirche") and len(normal) == 20
