"""The long robustness loops carry the ``slow`` marker, so ``make test-fast`` can skip
them while ``make test`` (and CI) still runs them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SLOW = {
    "tests/storage/test_crash_safety.py::test_sigkill_never_loses_an_acknowledged_save",
    "tests/services/test_flags_stateful.py::TestFlagsNeverHide::runTest",
    "tests/test_typing.py::test_a_wrong_service_argument_through_operations_run_is_a_type_error",
}


def _collected(*args: str) -> set[str]:
    files = sorted({name.split("::")[0] for name in SLOW})
    cmd = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *args]
    done = subprocess.run([*cmd, *files], capture_output=True, text=True, cwd=ROOT, check=False)
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_the_kill_loops_are_marked_slow() -> None:
    assert _collected("-m", "slow") >= SLOW
    assert not _collected("-m", "not slow") & SLOW


def test_make_test_runs_slow_tests_and_only_test_fast_skips_them() -> None:
    make = (ROOT / "Makefile").read_text()
    test_recipe = re.search(r"^test: .*?\n((?:\t.*\n)+)", make, re.M)
    assert test_recipe and "slow" not in test_recipe.group(1)
    assert 'test-fast: PYTEST_ARGS += -m "not slow"' in make
