"""The pure parts of the speed benchmark: percentiles, the memory reader, the report's targets table, the skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.corpus import DataMissing
from benchmarks.serving import Answer, LoadRun, Memory, process_tree, read_memory
from benchmarks.speed_figures import Figures, percentile, targets, to_markdown
from benchmarks.speed_report import main


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]  # 1 … 100, given out of order below
    shuffled = values[::2] + values[1::2]
    assert percentile(shuffled, 50) == 50.5
    assert percentile(shuffled, 95) == pytest.approx(95.05)
    assert percentile(shuffled, 99) == pytest.approx(99.01)
    assert (percentile(shuffled, 0), percentile(shuffled, 100)) == (1.0, 100.0)
    assert percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_memory_of_this_process_is_read_from_smaps_rollup():
    memory = read_memory(os.getpid())
    # This interpreter with pytest loaded holds megabytes; PSS shares pages out, so it never exceeds RSS.
    assert 10_000 < memory.rss_kib < 10_000_000
    assert 0 < memory.pss_kib <= memory.rss_kib
    assert process_tree(os.getpid())[0] == os.getpid()


def test_memory_reader_parses_the_rollup_lines(tmp_path: Path):
    (tmp_path / "42").mkdir()
    (tmp_path / "42" / "smaps_rollup").write_text(
        "55d0-7ff0 ---p 00000000 00:00 0  [rollup]\nRss:     1732 kB\nPss:      235 kB\nPss_Anon:  116 kB\n")
    (tmp_path / "42" / "stat").write_text("42 (presse serve) S 1 42 42 0 -1\n")
    (tmp_path / "43").mkdir()
    (tmp_path / "43" / "stat").write_text("43 (worker) S 42 42 42 0 -1\n")
    assert read_memory(42, tmp_path) == Memory(1732, 235)
    assert sorted(process_tree(42, tmp_path)) == [42, 43]


def figures(http_ms: float, rate: int, pss_mb: int) -> Figures:
    """A run whose every answer took `http_ms` (in-process a third of it), `rate` searches in one second."""
    result = Figures(releases=2000, known_items=["Unfall Auto"], headlines=["Brand Westend"], first_answer=1.5)
    result.in_process = {"presse `run_query`": [http_ms / 3000] * 2, "Tantivy": [0.001] * 2}
    result.answered = {"presse `run_query`": [True, True], "Tantivy": [True, False]}
    result.sequential = [Answer(http_ms / 1000, 200)] * 2
    result.load = LoadRun(16, 1.0, [Answer(http_ms / 1000, 200)] * (rate - 1) + [Answer(0.5, 200, deadline=True)])
    result.memory = {"after the first answer": Memory(100_000, 90_000),
                     "after 16 clients": Memory(400_000, pss_mb * 1_000_000 // 1024)}
    return result


def test_targets_are_judged_against_the_issue():
    judged = targets(figures(http_ms=4.0, rate=250, pss_mb=299))
    assert [(measured, met) for _, measured, met in judged] == [
        ("4.0 ms", True), ("4.0 ms", True), ("1.3 ms", True), ("250.0 searches/s", True), ("4.0 ms", True),
        ("0", True), ("1", False), ("299 MB", True), ("1.50 s", True),
    ]
    slow = targets(figures(http_ms=120.0, rate=100, pss_mb=301))
    assert [met for _, _, met in slow] == [False, False, False, False, False, True, False, False, True]


def test_report_has_one_target_row_each_and_the_peer_ratio():
    report = to_markdown(figures(http_ms=4.0, rate=250, pss_mb=299), "- machine: test")
    lines = report.splitlines()
    start = lines.index("| target | measured | |")
    rows = lines[start + 2:lines.index("", start)]
    assert len(rows) == 9 and all(row.endswith(("| met |", "| **missed** |")) for row in rows)
    assert "| Tantivy | 1.0 | 1.0 | 1 / 2 | 1.3 (1.3) |" in lines
    assert "| after 16 clients | 410 | 299 |" in lines


def test_skips_with_a_message_without_the_shared_data(capsys):
    def missing() -> Path:
        raise DataMissing("shared data not found at /nowhere")

    assert main([], locate=missing) == 0
    assert capsys.readouterr().err == "skipped: shared data not found at /nowhere\n"
