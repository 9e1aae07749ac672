"""Export and import of the 22,481-patient demo through the command line (issue 12).

Each runs once, as a separate process, on a private copy of the cached demo file (the
cache is never modified); wall time and the process's peak memory are printed. The
import reads the export into a new, empty database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import demo_db

PATIENTS = 22_481


def run(patients: int = PATIENTS) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="mbct-interchange-") as tmp:
        work = Path(tmp)
        source = work / "source.sqlite3"
        shutil.copyfile(demo_db(patients), source)
        folder = work / "export"
        seconds, peak = _timed(["export", "--db", str(source), "--out", str(folder)])
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        lines = [
            f"export --format csv, {patients:,} patients: {seconds}, "
            f"peak {peak:.0f} MB, {size:.0f} MB of CSV"
        ]
        seconds, peak = _timed(["import", "--db", str(work / "copy.sqlite3"), str(folder)])
        lines.append(f"import into an empty database: {seconds}, peak {peak:.0f} MB")
        seconds, peak = _timed(
            ["export", "--db", str(source), "--format", "research", "--out", str(work / "r")]
        )
        lines.append(f"export --format research: {seconds}, peak {peak:.0f} MB")
    return lines


def _timed(args: list[str]) -> tuple[str, float]:
    """Wall and CPU seconds, and peak resident MB, of ``mbctracker ARGS`` in its own process.

    CPU seconds are printed too: on a busy shared machine they are what an idle one
    would show as wall time (the command is single-threaded).
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "mbctracker", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(f"mbctracker {args[0]} failed with status {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return f"{seconds:.1f} s wall ({cpu:.1f} s CPU)", usage.ru_maxrss / 1024


if __name__ == "__main__":
    for line in run():
        print(line)
