"""What a clinic's IT person installs: the wheel's contents and the desktop metadata.

The desktop entry and AppStream file are checked with the distributions' own validators,
the wheel is built as pip would build it for a fresh machine and opened.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.mbctracker.mbctracker"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils missing")
def test_desktop_entry_is_valid_and_names_the_medical_category() -> None:
    entry = PACKAGING / f"{APP_ID}.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()
    assert "Categories=Office;MedicalSoftware;" in entry.read_text()


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream missing")
def test_appstream_metainfo_validates_offline() -> None:
    metainfo = PACKAGING / f"{APP_ID}.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"<id>{APP_ID}</id>" in metainfo.read_text()


def test_the_window_and_the_desktop_entry_agree_on_the_app_id() -> None:
    from mbctracker.ui.about import DESKTOP_ID

    assert DESKTOP_ID == APP_ID


@pytest.mark.slow
def test_the_wheel_ships_licence_icons_fonts_and_migrations(tmp_path: Path) -> None:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
    build = subprocess.run(
        [*pip_wheel, "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0 and "Could not find a version" in build.stderr:
        pytest.skip("no package index reachable to fetch the build backend")
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("mbctracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "mbctracker/resources/icons/mbctracker.svg" in names
    assert "mbctracker/resources/icons/mbctracker-256.png" in names
    assert "mbctracker/resources/fonts/DejaVuSans.ttf" in names
    assert "mbctracker/resources/translations/mbctracker_es.qm" in names
    assert "mbctracker/storage/migrations/versions/0001_initial_schema.py" in names
