"""Widgets whose changing text must not re-lay out the window.

A label's size hint follows its text; with a new patient's name, a longer
subtitle or another progress line, the course view's minimum changed, the main
splitter moved, and every widget in the window (list, chart, tables) was resized
and repainted on each patient switch. A steady label asks for a width set once,
so the layout, not the text, decides how wide it is.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QPushButton, QWidget


class SteadyLabel(QLabel):
    """A one-line label that asks for ``chars`` average characters, whatever it shows."""

    def __init__(self, text: str = "", chars: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.chars = chars

    def _steady(self, hint: QSize) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * self.chars, hint.height())

    def sizeHint(self) -> QSize:
        return self._steady(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._steady(super().minimumSizeHint())


def wide_enough(button: QPushButton, *texts: str) -> QPushButton:
    """A button that switches between texts keeps the width of the widest one."""
    current = button.text()
    widest = 0
    for text in (current, *texts):
        button.setText(text)
        widest = max(widest, button.sizeHint().width())
    button.setText(current)
    button.setMinimumWidth(widest)
    return button


def keep_place(widget: QWidget) -> QWidget:
    """A widget whose place stays taken while it is hidden: showing or hiding it moves
    nothing around it (no re-layout and repaint of its neighbours)."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    return widget
