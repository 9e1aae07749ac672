"""Automatic, manual and restored backups: verified, rotated, private, never lossy."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from mbctracker.__main__ import main
from mbctracker.domain.course import CourseId
from mbctracker.services import backups
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, StorageError, open_database
from mbctracker.storage.backup import backups_dir, integrity_ok, newest_backup, timestamped_name

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _record(db: Database, course_id: CourseId, days_ago: int, item: int = 1) -> None:
    when = datetime.now() - timedelta(days=days_ago)
    record_assessment(db, course_id, AssessmentInput("PHQ9", [item] * 9, when))


def _totals(path: Path, course_id: CourseId) -> list[int | None]:
    db = open_database(path, actor="reader")
    try:
        return [a.score.total for a in load_timeline(db, course_id).assessments]
    finally:
        db.dispose()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_backup_now_is_verified_private_and_single_file(db: Database, course_id: CourseId) -> None:
    _record(db, course_id, 10)
    made = backups.backup_now(db)
    assert made.parent == backups_dir(db.path)
    assert integrity_ok(made)
    assert (_mode(made), _mode(made.parent)) == (0o600, 0o700)
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name], "no -wal or .part left"
    assert backups.list_backups(db.path) == [made]


def test_a_copy_that_cannot_reach_the_disk_is_never_kept(
    db: Database, course_id: CourseId, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy is flushed once, beside its check: a failed flush (a full or failing disk)
    discards it, with a plain message, instead of publishing pages still in memory."""
    import errno
    import stat as st

    _record(db, course_id, 10)
    real_fsync = os.fsync

    def failing_disk(fd: int) -> None:
        if st.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_disk)
    with pytest.raises(StorageError, match="could not be written to disk"):
        backups.backup_now(db)
    monkeypatch.undo()
    assert list(backups_dir(db.path).iterdir()) == [], "no copy kept, no .part left"
    assert backups.list_backups(db.path) == []
    assert _totals(db.path, course_id) == [9], "the database itself is untouched"


def test_backup_refuses_to_overwrite(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("precious")
    with pytest.raises(StorageError, match="already exists"):
        backups.backup_now(db, target)
    assert target.read_text() == "precious"


def test_startup_backup_skips_when_nothing_changed(db: Database, course_id: CourseId) -> None:
    first = backups.startup_backup(db)
    assert first is not None
    assert backups.startup_backup(db) is None
    _record(db, course_id, 5)
    second = backups.startup_backup(db)
    assert second is not None and second != first
    assert backups.list_backups(db.path)[0] == second


def test_maybe_backup_waits_for_the_interval(db: Database, course_id: CourseId) -> None:
    assert backups.maybe_backup(db, min_interval_minutes=30) is not None
    _record(db, course_id, 5)
    assert backups.maybe_backup(db, min_interval_minutes=30) is None
    assert backups.maybe_backup(db, min_interval_minutes=0) is not None


def test_rotation_keeps_7_daily_and_4_weekly_and_every_manual_copy(db: Database) -> None:
    seed = backups.backup_now(db)
    folder = seed.parent
    now = datetime(2026, 3, 31, 12, 0)
    for age in range(60):
        for hour in (9, 17):
            when = now - timedelta(days=age, hours=12 - hour)
            shutil.copyfile(seed, folder / timestamped_name(db.path, "auto", when))
    dropped = backups.rotate(db.path)
    autos = [b for b in backups.find_backups(db.path) if b.label == "auto"]
    days = {b.taken.date() for b in autos}
    assert len(dropped) == 120 - len(autos)
    assert {now.date() - timedelta(days=d) for d in range(7)} <= days
    assert len({b.taken.isocalendar()[:2] for b in autos}) == 4
    assert len(autos) <= 11 and all(b.taken.hour == 17 for b in autos), "newest of each day"
    assert seed.exists(), "manual copies are never rotated away"


def test_restore_brings_back_the_backup_and_keeps_the_current_file(
    db: Database, course_id: CourseId
) -> None:
    _record(db, course_id, 20, item=1)
    saved = backups.backup_now(db)
    _record(db, course_id, 10, item=3)
    db.dispose()
    kept = backups.restore_backup(saved, db.path)
    assert kept is not None and kept.name.startswith(f"{db.path.stem}-pre-restore-")
    assert _totals(db.path, course_id) == [9]
    assert _totals(kept, course_id) == [9, 27], "the replaced data is kept, not lost"


def test_restore_reaches_a_window_that_is_still_open(db: Database, course_id: CourseId) -> None:
    """Restore writes through SQLite, so another open connection sees it coherently."""
    saved = backups.backup_now(db)
    _record(db, course_id, 10)
    backups.restore_backup(saved, db.path)
    assert load_timeline(db, course_id).assessments == ()
    _record(db, course_id, 9)
    assert len(load_timeline(db, course_id).assessments) == 1
    assert integrity_ok(db.path)


def test_restore_refuses_a_damaged_backup(db: Database, course_id: CourseId) -> None:
    _record(db, course_id, 10)
    saved = backups.backup_now(db)
    with saved.open("r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(b"\xa5" * 4096 * 2)
    db.dispose()
    before = db.path.read_bytes()
    with pytest.raises(StorageError, match=r"integrity|damaged"):
        backups.restore_backup(saved, db.path)
    assert db.path.read_bytes() == before
    assert len(backups.list_backups(db.path)) == 1, "nothing kept: nothing was changed"


def test_restore_over_a_damaged_database_keeps_its_bytes(db: Database, course_id: CourseId) -> None:
    _record(db, course_id, 10)
    saved = backups.backup_now(db)
    db.dispose()
    db.path.write_bytes(b"garbage " * 2048)
    kept = backups.restore_backup(saved, db.path)
    assert kept is not None and kept.suffix == ".damaged"
    assert kept.read_bytes() == b"garbage " * 2048
    assert _totals(db.path, course_id) == [9]


def test_restore_refuses_a_file_that_is_not_a_backup(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("hello")
    with pytest.raises(StorageError, match="not an mbctracker database"):
        backups.restore_backup(other, db.path)
    with pytest.raises(StorageError, match="No backup file"):
        backups.restore_backup(tmp_path / "missing.sqlite3", db.path)


def test_commands_backup_and_restore(
    db: Database, course_id: CourseId, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(db, course_id, 10)
    db.dispose()
    copy = tmp_path / "copy.sqlite3"
    assert main(["backup", "--db", str(db.path), "--to", str(copy)]) == 0
    assert "quick_check passed" in capsys.readouterr().out
    assert main(["backup", "--db", str(db.path), "--to", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["restore", str(copy), "--db", str(db.path)]) == 0
    assert "previous file was kept as" in capsys.readouterr().out
    assert _totals(db.path, course_id) == [9]


def test_commands_give_plain_messages_for_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database")
    assert main(["backup", "--db", str(text)]) == 2
    err = capsys.readouterr().err
    assert "not an mbctracker database" in err and "Traceback" not in err
    assert main(["backup", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no database" in capsys.readouterr().err
    assert main(["restore", str(text), "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert text.read_text() == "not a database"


def _stale_index(path: Path) -> None:
    """Damage only what ``quick_check`` does not read: an index left behind its table."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE INDEX ix_probe ON patient(name)")
        row = conn.execute(
            "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = 'ix_probe'"
        ).fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = 'ix_probe'")
        conn.commit()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE patient SET name = name || ' changed'")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
        conn.commit()


def test_the_idle_job_sets_aside_a_copy_only_the_full_check_finds_damaged(
    db: Database, course_id: CourseId
) -> None:
    """Copies are verified with quick_check; the idle job runs the full integrity_check."""
    from mbctracker.storage.backup import quick_ok

    _record(db, course_id, 10)
    sound = backups.backup_now(db)
    assert backups.verify_newest_backup(db.path) is None
    assert sound.exists()
    _record(db, course_id, 9)
    newest = backups.backup_now(db)
    _stale_index(newest)
    assert quick_ok(newest) and not integrity_ok(newest)
    damaged = backups.verify_newest_backup(db.path)
    assert damaged is not None and damaged.name == newest.name + ".damaged"
    assert backups.list_backups(db.path) == [sound], "never offered for a restore"


def test_a_restore_leaves_no_course_summary_to_recompute(db: Database, course_id: CourseId) -> None:
    """Raising every version changes no summary: the first save after must stay cheap."""
    import sqlite3
    from contextlib import closing

    _record(db, course_id, 10)
    saved = backups.backup_now(db)
    _record(db, course_id, 9)
    backups.restore_backup(saved, db.path)
    with closing(sqlite3.connect(db.path)) as conn:
        assert conn.execute("SELECT count(*) FROM summary_dirty").fetchone() == (0,)
    assert _totals(db.path, course_id) == [9]


@pytest.mark.parametrize("first", ["auto", "manual"])
def test_copies_named_in_the_same_second_are_newest_by_when_written(
    db: Database, first: str
) -> None:
    """A start-up copy and a "Back up now" in one second: the later one is the newest,
    whatever order the folder lists them in (it used to decide)."""
    seed = backups.backup_now(db)
    same_second = datetime(2026, 3, 31, 12, 0, 5)
    second = "manual" if first == "auto" else "auto"
    older = seed.parent / timestamped_name(db.path, first, same_second)
    newer = seed.parent / timestamped_name(db.path, second, same_second)
    for path, ns in ((older, 1_000_000_000), (newer, 1_000_000_500)):
        shutil.copyfile(seed, path)
        os.utime(path, ns=(ns, ns))
    seed.unlink()
    assert [b.path for b in backups.find_backups(db.path)] == [newer, older]


def test_a_neighbours_backups_are_never_this_databases(db: Database, tmp_path: Path) -> None:
    """clinic.sqlite3 beside clinic-2024.sqlite3 in one folder: the older year's copies are
    not listed, offered or named as the clinic's, rotation leaves them alone, and a new
    empty clinic file is not refused as "missing" because of them."""
    neighbour = db.path.with_name(f"{db.path.stem}-2024.sqlite3")
    shutil.copyfile(db.path, neighbour)
    theirs = backups.backup_file(neighbour, label=backups.AUTO)
    old = datetime.now() - timedelta(days=400)
    aged = theirs.with_name(timestamped_name(neighbour, backups.AUTO, old))
    shutil.copyfile(theirs, aged)
    assert backups.list_backups(db.path) == []
    assert newest_backup(db.path) is None
    assert set(backups.list_backups(neighbour)) == {theirs, aged}
    assert backups.rotate(db.path) == [] and aged.exists()
    fresh = db.path.with_name("clinic.sqlite3")
    other = fresh.with_name("clinic-old.sqlite3")
    shutil.copyfile(db.path, other)
    backups.backup_file(other, label=backups.MANUAL)
    open_database(fresh, actor="test").dispose()  # a new clinic, not a "missing" one
    assert fresh.stat().st_size > 0


def test_a_copy_of_an_unknown_kind_is_refused_before_it_is_written(db: Database) -> None:
    """Every copy's name must be one find_backups lists: an unknown label would make a
    backup nobody can see, restore or rotate."""
    with pytest.raises(ValueError, match="nightly"):
        timestamped_name(db.path, "nightly")
