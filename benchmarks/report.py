"""What every benchmark report starts with: when, on which machine and at which commit it was measured."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from .corpus import REPO


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
