"""The pure parts of the build benchmark: the memory of a process tree and the report's targets table."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.build import Build, to_markdown
from benchmarks.serving import process_tree, tree_memory

FIGURES = {"documents": 37_661, "rebuild": 58.0, "add_index": 0.12, "add_index_max": 0.2, "add_total": 0.31,
           "sync": 0.4}


# A Python process that starts `children` more (each waiting on its standard input), says "ready", then waits.
PARENT = """
import subprocess, sys
children = [subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
            for _ in range(int(sys.argv[1]))]
print("ready", flush=True)
sys.stdin.read()
for child in children:
    child.communicate(b"")
"""


def measured_tree(children):
    """tree_memory of a fresh process with `children` children: not of pytest's, whose children (test servers of
    other tests) come and go."""
    with subprocess.Popen([sys.executable, "-c", PARENT, str(children)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as parent:
        try:
            assert parent.stdout.readline() == "ready\n"
            return tree_memory(parent.pid), len(process_tree(parent.pid))
        finally:
            parent.communicate("")


def test_tree_memory_sums_a_process_and_its_children():
    alone, count = measured_tree(0)
    assert count == 1 and 0 < alone.pss_kib <= alone.rss_kib
    with_child, count = measured_tree(1)
    assert count == 2
    assert with_child.rss_kib > alone.rss_kib


def test_report_puts_each_figure_against_its_target():
    builds = [Build("presse", 55.2, 98.4, 350.0, 420.0, 37_651, 120.0, 3),
              Build("textbook", 60.1, 59.0, 250.0, 260.0, 37_651, 86.0, 1),
              Build("presse, first half", 27.0, 49.0, 325.0, 390.0, 18_825, 60.0, 3)]
    report = to_markdown(builds, FIGURES, ["before the builds: load average 0.10 / 0.20 / 0.30 (1 / 5 / 15 min)"])
    assert "| presse | 55.2 | 98.4 | 350 | 420 | 3 | 120 |" in report
    assert "| textbook | 60.1 | 59.0 | 250 | 260 | 1 | 86 |" in report
    assert "| full build | 55.2 s | ≤ 60 s | yes |" in report
    assert "| peak memory of the build (PSS, all processes) | 350 MiB | ≤ 400 MB | yes |" in report
    assert "| presse, first half | 27.0 | 49.0 | 325 | 390 | 3 | 60 |" in report
    assert ("| peak memory, whole corpus against its first half | 350 against 325 MiB (+8%) | no growth beyond the "
            "index's buffers | see the figures |") in report
    assert "| index on disk against the textbook's | 1.40× | ≤ 1.5× | yes |" in report
    assert "| add one release: indexing | 0.120 s (slowest 0.200) | ≤ 0.15 s | yes |" in report
    assert "| add one release: whole call | 0.310 s | ≤ 0.3 s | no |" in report
    assert "| sync with nothing to do | 0.400 s | ≤ 0.5 s | yes |" in report
    assert "- before the builds: load average 0.10 / 0.20 / 0.30 (1 / 5 / 15 min)" in report
