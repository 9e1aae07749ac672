"""`make run` in miniature: the real entry point opens a real X11 window and quits.

The offscreen platform used by the rest of the suite hides a missing xcb library (the
first clinic install failed exactly there), so this test starts Xvfb and the installed
`mbctracker` console script with QT_QPA_PLATFORM=xcb, waits for the window, closes it
with the keyboard and checks the process ends cleanly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="Xvfb and xdotool are needed (make system-deps installs them as root)",
)


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display number it picks itself and writes back (``-displayfd``).

    Choosing a number by looking for a free socket first raced other suites on the
    machine (xdist workers, other checkouts' CI): two could pick the same number, the
    second Xvfb exited, and this test then drove the other suite's X server.
    """
    read, write = os.pipe()
    try:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write,),
        )
    finally:
        os.close(write)
    with os.fdopen(read, "rb") as pipe:
        number = pipe.readline().strip()  # written once Xvfb listens; b"" if it died
    if not number.isdigit():
        server.kill()
        server.wait()
        pytest.fail("Xvfb did not start")
    return server, f":{number.decode()}"


@pytest.fixture
def x_display() -> Iterator[str]:
    server, display = _start_xvfb()
    try:
        yield display
    finally:
        server.terminate()
        server.wait(timeout=10)


def _entry_point() -> list[str]:
    script = Path(sys.executable).with_name("mbctracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mbctracker"]


def _wait_for_window(display: str, app: subprocess.Popen[bytes]) -> str:
    env = {**os.environ, "DISPLAY": display}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.poll() is not None:
            _, err = app.communicate()
            pytest.fail(f"the app exited with {app.returncode}: {err.decode()[-2000:]}")
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^mbctracker"],
            env=env,
            capture_output=True,
            text=True,
        )
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.2)
    pytest.fail("no mbctracker window appeared within 60 s")


def test_make_run_opens_a_real_window_and_quits(x_display: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "MBCTRACKER_DB": str(tmp_path / "clinic.sqlite3"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    app = subprocess.Popen(_entry_point(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        window = _wait_for_window(x_display, app)
        subprocess.run(
            ["xdotool", "windowfocus", "--sync", window, "key", "ctrl+q"],
            env={**os.environ, "DISPLAY": x_display},
            check=False,
            capture_output=True,
        )
        try:
            returncode = app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("Ctrl+Q did not close the window")
        _, err = app.communicate()
        assert returncode == 0, err.decode()[-2000:]
        assert (tmp_path / "clinic.sqlite3").exists()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
