"""Run the metadata, speed and title-weight benchmarks and write results/foundation.md."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from . import metadata, speed, title_weight
from .corpus import REPO, DataMissing, releases_dir

REPORT = Path(__file__).resolve().parent / "results" / "foundation.md"


def machine() -> str:
    """Date, machine and versions, as one markdown list."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True, text=True,
                           check=False).stdout.strip()
    return "\n".join([
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {platform.machine()}, nproc {len(os.sched_getaffinity(0))}, {_cpu_model()}, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, whoosh3 {version('whoosh3')}, PyStemmer {version('PyStemmer')}",
        f"- presse at commit {commit or 'unknown'}" + (" with uncommitted changes" if dirty else ""),
    ])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main() -> int:
    try:
        releases = releases_dir()
    except DataMissing as missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return 0
    print("metadata ...", file=sys.stderr, flush=True)
    sections = [metadata.main(releases)]
    with tempfile.TemporaryDirectory(prefix="presse-bench-") as workdir:
        sections.append(speed.to_markdown(speed.measure_speed(releases, Path(workdir))))
        # The speed benchmark leaves a full presse index behind; the title weight is measured on it.
        weights = title_weight.measure_title_weight(releases, Path(workdir) / "presse")
        sections.append(title_weight.to_markdown(weights))
    report = "\n\n".join([f"# Foundation benchmarks\n\n{machine()}", *sections]) + "\n"
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
