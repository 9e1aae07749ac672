"""The PDF renders as an image with poppler (what a print spooler or viewer would do)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_render_to_png(tmp_path: Path, pdf60: bytes) -> None:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(pdf60)
    assert PDFTOPPM is not None
    for page in (1, 2):
        result = subprocess.run(
            [
                PDFTOPPM,
                "-r",
                "50",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(tmp_path / f"page{page}"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "error" not in result.stderr.lower(), result.stderr
        png = (tmp_path / f"page{page}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 5_000
