"""``mbctracker report`` against a real demo database, read back with pypdf."""

from __future__ import annotations

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
