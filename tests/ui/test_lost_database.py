"""Start-up over a lost database: refused with the newest backup offered, never a new file."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFileDialog, QMessageBox


def test_a_missing_database_with_backups_offers_the_newest_and_restores_it(
    qtbot, tmp_path, monkeypatch
) -> None:
    from mbctracker import app
    from mbctracker.services.backups import backup_now
    from mbctracker.services.patient_list import count_patients
    from mbctracker.services.patients import PatientInput, register_patient
    from mbctracker.storage import open_database

    path = tmp_path / "clinic.sqlite3"
    db = open_database(path, actor="t")
    register_patient(db, PatientInput("SYN-0001", "Synthetic Alpha", date(1980, 5, 1)))
    backup = backup_now(db)
    db.dispose()
    path.unlink()  # deleted by mistake, or a sync tool lost it
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text().startswith("Restore")).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    win = app._start_window(path)
    assert shown and "missing" in shown[0] and str(backup) in shown[0]
    assert win is not None
    qtbot.addWidget(win)
    assert count_patients(win.db) == 1, "the backup's patient is back, not an empty file"
    win.db.dispose()
