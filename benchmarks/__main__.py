"""Run the metadata, speed and title-weight benchmarks and write results/foundation.md."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import metadata, speed, title_weight
from .corpus import DataMissing, releases_dir
from .report import machine

REPORT = Path(__file__).resolve().parent / "results" / "foundation.md"


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
