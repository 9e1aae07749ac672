"""One guard for every file a report or export writes (fileio.unsafe_target).

The FHIR export had its own copy of the guard without the "any SQLite file" rule, so
`export --format fhir --out backup.sqlite3 --force` would have replaced a backup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from mbctracker.domain.errors import ValidationError
from mbctracker.reports.output import ReportWriteError, check_target
from mbctracker.services.fhir.export import FhirWriteError, check_file_target
from mbctracker.services.interchange.target import check_file


def _interchange(out: Path, overwrite: bool) -> None:
    check_file(out, keep=(), overwrite=overwrite)


def _report(out: Path, overwrite: bool) -> None:
    check_target(out, overwrite=overwrite)


def _fhir(out: Path, overwrite: bool) -> None:
    check_file_target(out, overwrite=overwrite)


GUARDS: list[tuple[Callable[[Path, bool], None], type[Exception]]] = [
    (_report, ReportWriteError),
    (_interchange, ValidationError),
    (_fhir, FhirWriteError),
]


@pytest.mark.parametrize(("guard", "error"), GUARDS)
def test_a_backup_is_never_replaced_even_with_force(
    tmp_path: Path, guard: Callable[[Path, bool], None], error: type[Exception]
) -> None:
    backup = tmp_path / "clinic-backup.sqlite3"
    with sqlite3.connect(backup) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(error, match="it is a database"):
        guard(backup, True)


@pytest.mark.parametrize(("guard", "error"), GUARDS)
def test_a_symlink_and_an_existing_file_without_force_are_refused(
    tmp_path: Path, guard: Callable[[Path, bool], None], error: type[Exception]
) -> None:
    target = tmp_path / "summary.out"
    target.write_text("kept")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    with pytest.raises(error, match="symbolic link"):
        guard(link, True)
    with pytest.raises(error, match="already exists"):
        guard(target, False)
    guard(target, True)  # --force replaces an ordinary file
    guard(tmp_path / "new.out", False)
