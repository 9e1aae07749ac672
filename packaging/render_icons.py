"""Render the app icon's PNG sizes from the SVG (run by `make icons`; the PNGs are committed).

Qt's SVG renderer is already a dependency, so no extra tool is needed on any platform.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parents[1] / "src" / "mbctracker" / "resources" / "icons"


def render(size: int, renderer: QSvgRenderer) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "mbctracker.svg"))
    for size in SIZES:
        render(size, renderer).save(str(ICONS / f"mbctracker-{size}.png"))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
