"""PDF summary figures: 10-, 60- and 300-session courses, and the whole command over 10 runs.

Courses are the synthetic ones the report tests use (built as domain objects,
no database), so the figure is the report's own cost. Fonts are registered in
the warm-up, as they are once per process in the app and the command.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import median_ms

_TESTS = Path(__file__).resolve().parent.parent / "tests" / "reports"
TARGETS_MS = {10: 300.0, 60: 1000.0, 300: 3000.0}


def run(repeat: int = 15) -> list[str]:
    if str(_TESTS) not in sys.path:
        sys.path.insert(0, str(_TESTS))
    from report_courses import GENERATED_AT, make_course

    from mbctracker.reports import render_summary

    start = time.perf_counter()
    render_summary(make_course(10, name="王芳"), generated_at=GENERATED_AT)
    lines = [f"first summary in a fresh process (fonts loaded): {_ms(start):.0f} ms"]
    for sessions, target in TARGETS_MS.items():
        course = make_course(sessions)
        ms = median_ms(lambda c=course: render_summary(c, generated_at=GENERATED_AT), repeat)
        verdict = "ok" if ms < target else "OVER TARGET"
        lines.append(
            f"summary, {sessions}-session course: {ms:.0f} ms median of {repeat} "
            f"(target < {target:.0f} ms: {verdict})"
        )
    lines.append(_command_time())
    return lines


def _command_time(repeat: int = 10) -> str:
    """The whole ``mbctracker report`` command (interpreter start-up, database, PDF)."""
    try:
        from mbctracker.services.patient_list import patient_page
        from mbctracker.storage import open_database

        from .common import head_db

        path = head_db(200)
        db = open_database(path, actor="bench")
        mrn = patient_page(db, "", limit=1)[0].mrn
        db.dispose()
    except Exception as exc:  # the demo generator belongs to another package
        return f"mbctracker report command: not measured ({type(exc).__name__}: {exc})"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "summary.pdf"
        command = [
            sys.executable,
            "-m",
            "mbctracker",
            "--db",
            str(path),
            "report",
            "--patient",
            mrn,
            "--out",
            str(out),
            "--force",  # the same file each run: report refuses to replace one otherwise
        ]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(_ms(start))
            if done.returncode != 0:
                return f"mbctracker report command failed: {done.stderr.strip()[:200]}"
    return (
        f"mbctracker report --patient (whole command, start-up included): "
        f"{statistics.median(times):.0f} ms median of {repeat}, "
        f"p95 {sorted(times)[min(repeat - 1, round(0.95 * (repeat - 1)))]:.0f} ms"
    )


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    for line in run():
        print(line)
