"""Widgets whose changing text must not re-lay out the window.

A label's size hint follows its text; with a new patient's name, a longer
subtitle or another progress line, the course view's minimum changed, the main
splitter moved, and every widget in the window (list, chart, tables) was resized
and repainted on each patient switch. A steady label asks for a width set once,
so the layout, not the text, decides how wide it is.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget


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


class ElidedLabel(SteadyLabel):
    """A steady one-line label that ends in "…" where its text does not fit, the whole
    text in its tooltip and for screen readers (it used to be cut mid-word)."""

    def __init__(self, text: str = "", chars: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(text, chars, parent)
        self.full = text

    def setText(self, text: str) -> None:
        self.full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, self.width())
        if shown != self.text():
            super().setText(shown)


class LabelBox(QWidget):
    """Holds a label whose text changes on every switch, at a fixed height, outside layouts.

    ``QLabel.setText`` invalidates its layout and with it every layout up to the window,
    so the next pass asks the splitter, the tab widget and all their pages for their
    sizes again: 4 ms of a patient switch for the chart's two-line readout, against
    0.3 ms to paint it. In a box without a layout nothing is re-laid out for its text.
    The box is as tall as ``sample`` (the label's tallest text) in the label's font, and
    the layout decides its width, as for a :class:`SteadyLabel`.
    """

    def __init__(self, label: QLabel, sample: str) -> None:
        super().__init__()
        self.label, self.sample = label, sample
        label.setParent(self)
        label.installEventFilter(self)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._fit()

    def _fit(self) -> None:
        """As tall as the sample or the text shown, whichever is taller, in the label's
        font and style as they are now (a style sheet may set them)."""
        shown = self.label.text()
        self.label.setText(self.sample)
        height = self.label.sizeHint().height()
        self.label.setText(shown)
        self.setFixedHeight(max(height, self.label.sizeHint().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The label got another font or style (larger text, another theme): fit it, once
        the label has taken it (a filter sees the event before the label does)."""
        if watched is self.label and event.type() in _REFIT:
            QTimer.singleShot(0, self, self._fit)
        return False


_REFIT = (QEvent.Type.FontChange, QEvent.Type.StyleChange)


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
