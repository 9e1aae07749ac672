"""Every finished file (summary, change-log CSV, backup) goes through one atomic helper."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mbctracker import fileio
from mbctracker.domain.course import CourseId
from mbctracker.services import audit_log
from mbctracker.storage import Database

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="symlinks and modes"),
    pytest.mark.sqlite_only,
]


def test_change_log_export_never_writes_through_a_planted_symlink(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    victim = tmp_path / "someone-elses.txt"
    victim.write_text("not yours")
    out = tmp_path / "change-log.csv"
    out.symlink_to(victim)
    rows = audit_log.export_changes_csv(db, out, course_id=course_id)
    assert victim.read_text() == "not yours"
    assert not out.is_symlink() and rows > 0
    assert out.read_text(encoding="utf-8").startswith("change_id,at_utc,actor")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_failed_change_log_export_leaves_the_previous_file_and_no_temp(
    db: Database, course_id: CourseId, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "change-log.csv"
    out.write_text("the previous, complete export")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        audit_log.export_changes_csv(db, out, course_id=course_id)
    assert out.read_text() == "the previous, complete export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_without_overwrite_an_existing_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "kept.bin"
    out.write_bytes(b"first")
    with pytest.raises(FileExistsError):
        fileio.write_atomic(out, b"second", overwrite=False)
    assert out.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.bin"]


def test_reports_and_storage_share_the_one_helper() -> None:
    from mbctracker.reports import output
    from mbctracker.storage import backup

    assert backup.publish is fileio.publish and backup.sync_folder is fileio.sync_folder
    assert output.fileio is fileio
    assert not hasattr(output, "_publish") and not hasattr(output, "_sync_folder")
