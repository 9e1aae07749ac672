"""File menu privacy: the change-log export is owner-only and formula-safe; PDFs that
versions before printing through Qt left in their print folder are removed at start."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from ui_helpers import open_patient

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

FORMULA = '=HYPERLINK("http://example.invalid/x","click")'


def test_file_export_change_log_is_owner_only_and_neutralises_formulas(
    qtbot, window, clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    window.course.sessions_view.selectRow(0)
    dialog = window.correct_session()
    assert dialog is not None
    qtbot.keyClicks(dialog.notes, FORMULA)
    dialog.save()
    out = tmp_path / "exports" / "change-log.csv"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    old_umask = os.umask(0o022)  # a usual umask: a plain open() would make the file 0644
    try:
        window.actions_by_name["export_log"].trigger()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    notes = [r for r in rows if r["field"] == "notes"]
    assert notes and notes[-1]["new_value"] == "'" + FORMULA
    assert all(not v.startswith("=") for r in rows for v in r.values())


def test_prints_left_by_an_earlier_run_are_removed_at_start(tmp_path: Path) -> None:
    import time

    from mbctracker import app
    from mbctracker.paths import print_dir
    from mbctracker.ui.dialogs.file_actions import remove_stale_prints

    old = print_dir() / "print-crashed"
    old.mkdir(parents=True)
    (old / "summary.pdf").write_bytes(b"%PDF- left by a crash")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    current = print_dir() / "print-this-run"
    current.mkdir()
    assert remove_stale_prints(started=time.time() - 60) == 1
    assert sorted(p.name for p in print_dir().iterdir()) == ["print-this-run"]
    app._remove_stale_prints()  # what run_app does first: everything from before this run
    assert list(print_dir().iterdir()) == []
