"""``mbctracker report`` against a real demo database, read back with pypdf."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from mbctracker.__main__ import main
from mbctracker.domain.timeline import summarize
from mbctracker.services.demo import generate_demo
from mbctracker.services.patient_list import patient_page
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "demo.sqlite3"
    db = open_database(path, actor="t")
    generate_demo(db, patients=12, seed=5, today=date(2026, 11, 1))
    db.dispose()
    return path


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_one_patient_summary_matches_the_database(demo: Path, tmp_path: Path) -> None:
    db = open_database(demo, actor="t")
    row = patient_page(db, limit=1)[0]
    assert row.course_id is not None
    summary = summarize(load_timeline(db, row.course_id))
    db.dispose()
    out = tmp_path / "summary.pdf"
    args = ["report", "--db", str(demo), "--patient", row.mrn, "--out", str(out)]
    assert main([*args, "--generated-at", "2026-11-01T12:00"]) == 0
    text = _text(out)
    assert row.mrn in text and row.name in text
    headline = summary.headline
    assert headline is not None and headline.latest is not None
    assert str(headline.latest.score.total) in text
    assert list(tmp_path.iterdir()) == [out], "no temporary file is left behind"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--patient", "NO-SUCH-MRN", "--out", "x.pdf"], "No patient with MRN NO-SUCH-MRN"),
        (["--patient", "DEMO-000001", "--course", "9999", "--out", "x.pdf"], "No course 9999"),
        (["--patient", "DEMO-000001", "--out", "/no/such/dir/x.pdf"], "Cannot write the summary"),
    ],
)
def test_user_errors_exit_2_with_a_plain_message(
    demo: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", str(demo), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_all_active_writes_one_file_per_active_course(demo: Path, tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(demo)) as conn:
        active = conn.execute("SELECT count(*) FROM course WHERE status = 'active'").fetchone()[0]
    assert (
        main(["report", "--db", str(demo), "--all-active", "--out-dir", str(tmp_path / "out")]) == 0
    )
    assert len(list((tmp_path / "out").glob("*.pdf"))) == active > 0


# --- no report destroys data (issue 8, section 3) -------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and modes")


def _report(db: Path, *extra: str) -> int:
    return main(["report", "--db", str(db), "--patient", "DEMO-000001", *extra])


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_report_never_writes_over_the_database_or_its_files(
    demo: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo.read_bytes()
    target = Path(f"{demo}{suffix}")
    assert _report(demo, "--out", str(target), "--force") == 2
    assert "clinic database" in capsys.readouterr().err
    assert demo.read_bytes() == before
    assert not target.exists() or not target.read_bytes().startswith(b"%PDF")


def test_report_never_writes_over_the_database_under_another_name(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alias = tmp_path / "alias.pdf"
    os.link(demo, alias)
    before = demo.read_bytes()
    assert _report(demo, "--out", str(alias), "--force") == 2
    assert "clinic database" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_report_refuses_an_existing_file_unless_forced(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kept.pdf"
    out.write_bytes(b"yesterday's signed summary")
    assert _report(demo, "--out", str(out)) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == b"yesterday's signed summary"
    assert _report(demo, "--out", str(out), "--force") == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pdf"]


@posix_only
def test_report_never_follows_a_symlink_at_the_target(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    for name, points_to in (("link.pdf", victim), ("dangling.pdf", tmp_path / "new.txt")):
        link = tmp_path / name
        link.symlink_to(points_to)
        assert _report(demo, "--out", str(link), "--force") == 2
        assert "symbolic link" in capsys.readouterr().err
        assert link.is_symlink()
    assert victim.read_text() == "someone else's file"
    assert not (tmp_path / "new.txt").exists()


@posix_only
def test_out_dir_is_created_private_and_an_existing_one_keeps_its_mode(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "new" / "reports"
    assert main(["report", "--db", str(demo), "--all-active", "--out-dir", str(fresh)]) == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    assert main(["report", "--db", str(demo), "--all-active", "--out-dir", str(shared)]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    first = sorted(shared.iterdir())[0]
    first.write_bytes(b"keep")
    assert main(["report", "--db", str(demo), "--all-active", "--out-dir", str(shared)]) == 2
    assert first.read_bytes() == b"keep"
    link = tmp_path / "link-dir"
    link.symlink_to(shared)
    capsys.readouterr()
    args = ["report", "--db", str(demo), "--all-active", "--out-dir", str(link), "--force"]
    assert main(args) == 2
    assert "symbolic link" in capsys.readouterr().err


def test_report_creates_no_database_or_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "clinic.sqlite3"
    assert _report(missing, "--out", str(tmp_path / "x.pdf")) == 2
    assert "no database" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_never_replaces_a_backup_or_another_database_even_forced(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup (another name, another folder, reached through ``..``) is data, not a summary."""
    from mbctracker.storage.backup import backup_to

    backups = tmp_path / "backups"
    backups.mkdir()
    (tmp_path / "reports").mkdir()
    backup = backup_to(demo, backups / "demo-20261101-120000.sqlite3")
    before = backup.read_bytes()
    for target in (backup, tmp_path / "reports" / ".." / "backups" / backup.name):
        assert _report(demo, "--out", str(target), "--force") == 2
        err = capsys.readouterr().err
        assert "it is a database" in err and "Traceback" not in err
    assert backup.read_bytes() == before
