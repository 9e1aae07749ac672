"""The command line and the dependency rule, as a newcomer and CI meet them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mbctracker.__main__ import main
from mbctracker.paths import DB_ENV, resolve_db_path


def test_demo_command_writes_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(path), "--patients", "5", "--seed", "2"]) == 0
    assert "5 synthetic patients written" in capsys.readouterr().out
    from mbctracker.services.patient_list import count_patients
    from mbctracker.storage import open_database

    db = open_database(path, actor="t")
    assert count_patients(db) == 5
    db.dispose()


def test_db_before_the_sub_command_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "1"]) == 0
    assert path.exists()


def test_db_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    assert resolve_db_path(tmp_path / "cli.sqlite3") == tmp_path / "cli.sqlite3"
    assert resolve_db_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv(DB_ENV)
    default = resolve_db_path(None)
    assert default.name == "mbctracker.sqlite3"
    assert str(default).startswith(os.environ["XDG_DATA_HOME"]), "tests never touch real folders"


def test_headless_commands_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from mbctracker.__main__ import main; "
        f"main(['demo', '--db', {str(tmp_path / 'd.sqlite3')!r}, '--patients', '1']); "
        "print(sorted(m for m in ('PySide6', 'pyqtgraph', 'reportlab') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_import_linter_contracts_hold() -> None:
    """domain imports no Qt or SQL; only ui and app import Qt; layers flow one way."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the test extra"
    result = subprocess.run([exe], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
