"""The type checker guards the one door for changes: a wrong service argument is an error.

``Operations.run`` is typed with a ParamSpec, so ``mypy --strict`` (run by ``make
test`` on the whole package, ui included) checks each call's arguments against
the service's own signature. These tests prove the check bites.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

_CALL = """
from mbctracker.domain.course import CourseId
from mbctracker.services.courses import reopen_course
from mbctracker.ui.operations import Changed, ChangeKind, Operations

def reopen(ops: Operations) -> None:
    ops.run(Changed(ChangeKind.COURSE), reopen_course, CourseId(1), {version})
"""


def _mypy(code: str, config: Path) -> tuple[str, int]:
    """mypy --strict on ``code`` alone (an empty config: the project's lists files)."""
    api = pytest.importorskip("mypy.api")
    config.write_text("[mypy]\n")
    args = ["--config-file", str(config), "--strict", "--ignore-missing-imports"]
    out, err, status = api.run([*args, "--cache-dir", str(config.parent / "cache"), "-c", code])
    return out + err, status


def test_mypy_covers_the_whole_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["src/mbctracker"] and config["strict"] is True


@pytest.mark.slow
def test_a_wrong_service_argument_through_operations_run_is_a_type_error(
    tmp_path: Path,
) -> None:
    ini = tmp_path / "mypy.ini"
    good, status = _mypy(_CALL.format(version="expected_version=3"), ini)
    assert status == 0, good
    bad, status = _mypy(_CALL.format(version='expected_version="3"'), ini)
    assert status == 1 and 'incompatible type "str"' in bad, bad
    unknown, status = _mypy(_CALL.format(version="expected_versoin=3"), ini)
    assert status == 1 and "expected_versoin" in unknown, unknown
