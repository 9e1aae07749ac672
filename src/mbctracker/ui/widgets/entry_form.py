"""One pre-session entry form per instrument, generated from its definition.

Keyboard first (a PHQ-9 typed from paper is ten keystrokes: nine digits and
Enter): the form itself holds the focus and tracks a *current item*; a digit
answers it and moves on, Space or Down skips it (left missing), Backspace clears
it (or the one before, when the current item is empty), Up goes back, Enter asks
to save and Esc to cancel. The answer buttons are for the mouse and never take
the focus. Totals, bands, proration and the safety rule all come from
:func:`mbctracker.domain.scoring.score`; nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.instruments import Instrument, Supplementary
from ...domain.scoring import Score, score
from ...domain.settings import ClinicSettings
from ..i18n import term, translate

BUTTON_WIDTH = 38


class ItemRow(QFrame):
    """One question: number, text (short label only for the MADRS), answer buttons, state."""

    answered = Signal(int, object)
    """(slot index, value or None) when an answer button is clicked."""

    def __init__(
        self,
        index: int,
        number: str,
        text: str,
        answers: Mapping[int, str],
        accessible: str,
        safety: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("itemRow")
        self.index = index
        number_label = QLabel(number)
        number_label.setFixedWidth(24)
        number_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        text_label = QLabel(text + ("  ⚠" if safety else ""))
        text_label.setWordWrap(True)
        text_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if safety:
            text_label.setToolTip(
                self.tr("Safety item: any answer that meets the rule raises a flag")
            )
        self.state = QLabel("")
        self.state.setObjectName("itemState")
        self.state.setFixedWidth(70)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.addWidget(number_label)
        layout.addWidget(text_label, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        for value, answer in sorted(answers.items()):
            layout.addWidget(self._button(value, answer, accessible))
        layout.addWidget(self.state)

    @classmethod
    def for_item(cls, instrument: Instrument, index: int, show_text: bool) -> ItemRow:
        item = instrument.items[index]
        answers = {
            v: instrument.answer_labels.get(v, str(v))
            for v in range(instrument.item_min, instrument.item_max + 1)
        }
        return cls(
            index,
            f"{item.number}.",
            item.text if show_text else item.label,
            answers,
            translate("ItemRow", "{0} item {1} {2}").format(
                instrument.code, item.number, item.label
            ),
            safety=item.number == instrument.safety_item,
        )

    @classmethod
    def for_supplementary(cls, instrument: Instrument, extra: Supplementary) -> ItemRow:
        """The unscored extra question (PHQ-9 difficulty): its own slot after the items."""
        return cls(
            instrument.n_items,
            "+",
            f"{extra.label}: {extra.text}",
            extra.answer_labels,
            f"{instrument.code} {extra.label}",
        )

    def _button(self, value: int, answer: str, accessible: str) -> QPushButton:
        button = QPushButton(str(value))
        button.setObjectName("answer")
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedWidth(BUTTON_WIDTH)
        button.setToolTip(answer)
        button.setAccessibleName(f"{accessible}: {value} {answer}")
        self.group.addButton(button, value)
        button.clicked.connect(
            lambda checked, v=value: self.answered.emit(self.index, v if checked else None)
        )
        return button

    def show_value(self, value: int | None, missing: bool) -> None:
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == value)
        self.state.setText("missing" if missing else "")
        self.setProperty("missing", missing)

    def set_current(self, current: bool) -> None:
        if self.property("current") != current:
            self.setProperty("current", current)
            self.style().unpolish(self)
            self.style().polish(self)


class EntryForm(QFrame):
    """The items of one instrument with a live total line and safety banner."""

    changed = Signal(object)
    """Emitted with the live :class:`Score` (or None while nothing is answered)."""

    save_requested = Signal()
    """Enter was pressed: the dialog saves this form."""

    cancel_requested = Signal()
    """Esc was pressed: the dialog closes without saving."""

    def __init__(
        self, instrument: Instrument, settings: ClinicSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.instrument = instrument
        self.settings = settings
        self.setObjectName("entryForm")
        self.setAccessibleName(
            self.tr("{0} entry form ({1})").format(instrument.code, instrument.name)
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.responses: list[int | None] = [None] * instrument.n_items
        self.supplementary: int | None = None
        """The unscored extra answer (PHQ-9 difficulty), never part of the total."""
        self.current = 0
        """The slot a digit answers: an item, the extra question, or ``slots`` (past the end)."""
        self._visited = 0
        show_text = instrument.full_text
        self.rows = [ItemRow.for_item(instrument, i, show_text) for i in range(instrument.n_items)]
        if instrument.supplementary is not None:
            self.rows.append(ItemRow.for_supplementary(instrument, instrument.supplementary))
        self.total_line = QLabel()
        self.total_line.setObjectName("totalLine")
        self.total_line.setAccessibleName(self.tr("{0} running total").format(instrument.code))
        self.safety = QLabel()
        self.safety.setObjectName("formSafety")
        self.safety.setWordWrap(True)
        self.safety.setAccessibleName(self.tr("{0} safety alert").format(instrument.code))
        self.safety.hide()
        self._build(show_text)
        self._refresh()

    # -- layout ------------------------------------------------------------------
    def _build(self, show_text: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        recall = QLabel(self.instrument.recall)
        recall.setWordWrap(True)
        recall.setObjectName("muted")
        layout.addWidget(recall)
        layout.addWidget(self._legend())
        items = QWidget()
        rows = QVBoxLayout(items)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(0)
        for row in self.rows:
            row.answered.connect(self._clicked)
            rows.addWidget(row)
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(items)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.safety)
        layout.addWidget(self.total_line)
        keys = QLabel(
            self.tr(
                "Keys: digit = answer and next · Space = skip (missing) · Backspace = clear · "
                "↑/↓ = move · Enter = save · Esc = cancel"
            )
        )
        keys.setObjectName("muted")
        keys.setWordWrap(True)
        layout.addWidget(keys)

    def _legend(self) -> QLabel:
        inst = self.instrument
        parts = [f"{v} = {inst.answer_labels[v]}" for v in range(inst.item_min, inst.item_max + 1)]
        text = inst.answer_legend or "   ".join(parts)
        legend = QLabel(text)
        legend.setWordWrap(True)
        legend.setAccessibleName(self.tr("{0} answer scale").format(inst.code))
        return legend

    # -- state -------------------------------------------------------------------
    @property
    def slots(self) -> int:
        """Answerable slots: the items, then the extra question if there is one."""
        return len(self.rows)

    def clear(self) -> None:
        self.responses = [None] * self.instrument.n_items
        self.supplementary = None
        self.current = 0
        self._visited = 0
        self._refresh()

    def set_responses(self, values: list[int | None], supplementary: int | None = None) -> None:
        """Fill from a saved assessment (corrections)."""
        self.responses = list(values)
        self.supplementary = supplementary
        self.current = 0
        self._visited = self.instrument.n_items
        self._refresh()

    def value_at(self, slot: int) -> int | None:
        if slot < self.instrument.n_items:
            return self.responses[slot]
        return self.supplementary if slot < self.slots else None

    def _set_at(self, slot: int, value: int | None) -> None:
        if slot < self.instrument.n_items:
            self.responses[slot] = value
        elif slot < self.slots:
            self.supplementary = value

    def is_empty(self) -> bool:
        return all(v is None for v in self.responses)

    def live_score(self) -> Score | None:
        """The score as it stands; None when nothing is answered yet."""
        if self.is_empty():
            return None
        return score(self.instrument, self.responses, self.settings)

    def answer(self, value: int | None, advance: bool = True) -> None:
        """Answer the current slot; past the last one nothing can be changed by a digit."""
        if self.current >= self.slots:
            return
        self._set_at(self.current, value)
        self._visited = max(self._visited, self.current + 1)
        if advance:
            self.current += 1
        self._refresh()

    def step_by(self, step: int) -> None:
        self.current = max(0, min(self.slots - 1, self.current + step))
        self._visited = max(self._visited, self.current)
        self._refresh()

    def _clicked(self, index: int, value: int | None) -> None:
        self.current = index
        self.answer(value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    # -- keyboard ----------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if text.isdigit() and len(text) == 1:
            self._digit(int(text))
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._backspace()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Down):
            self._skip()
        elif key == Qt.Key.Key_Up:
            self.step_by(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _digit(self, value: int) -> None:
        """A digit answers the current slot; one typed past the end changes nothing."""
        inst, extra = self.instrument, self.instrument.supplementary
        if self.current >= self.slots:
            self.total_line.setText(
                self.tr(
                    "All {0} answers are entered; {1} was not entered "
                    "(↑ goes back to change one, Enter saves)"
                ).format(inst.name, value)
            )
            return
        if self.current < inst.n_items:
            low, high, what = inst.item_min, inst.item_max, self.tr("{0} items").format(inst.name)
        else:
            assert extra is not None
            low, high, what = extra.low, extra.high, f"{inst.name} {extra.label}"
        if not low <= value <= high:
            self.total_line.setText(
                self.tr("{0} are {1}-{2}; {3} was not entered").format(what, low, high, value)
            )
            return
        self.answer(value)

    def _skip(self) -> None:
        """Leave the current slot blank (missing) and go on."""
        if self.current >= self.slots - 1:
            self._visited = self.instrument.n_items + 1
            self.current = self.slots
            self._refresh()
        else:
            self.step_by(1)

    def _backspace(self) -> None:
        if self.current >= self.slots or (self.value_at(self.current) is None and self.current > 0):
            self.current -= 1
        self.answer(None, advance=False)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._refresh()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._refresh()

    # -- display -----------------------------------------------------------------
    def _refresh(self) -> None:
        for i, row in enumerate(self.rows):
            row.show_value(self.value_at(i), self._is_missing(i))
            row.set_current(i == self.current and self.hasFocus())
        self.setAccessibleDescription(self._where())
        live = self.live_score()
        self.total_line.setText(describe_score(self.instrument, live, self.settings))
        self._show_safety(live)
        self.changed.emit(live)

    def _where(self) -> str:
        """Where the cursor is, for screen readers."""
        inst, value = self.instrument, self.value_at(self.current)
        answer = "blank" if value is None else str(value)
        if self.current < inst.n_items:
            item = inst.items[self.current]
            return self.tr("Item {0} of {1}: {2}; answer {3}").format(
                item.number, inst.n_items, item.label, answer
            )
        if self.current < self.slots and inst.supplementary is not None:
            return self.tr("{0}; answer {1}").format(inst.supplementary.label, answer)
        return self.tr("All answers entered; Enter saves, Up goes back")

    def _is_missing(self, index: int) -> bool:
        """Blank items passed over are marked missing (the extra question is optional)."""
        if index >= self.instrument.n_items:
            return False
        if self.responses[index] is not None or index >= self._visited:
            return False
        return index != self.current or self._visited > self.instrument.n_items

    def _show_safety(self, live: Score | None) -> None:
        text = safety_text(self.instrument, live) if live else ""
        unanswered = live is not None and live.safety_reason == "unanswered"
        safety_index = (self.instrument.safety_item or 0) - 1
        if unanswered and self._visited <= safety_index:
            text = ""  # not reached yet: not a skipped item
        self.safety.setText(text)
        self.safety.setVisible(bool(text))


def describe_score(instrument: Instrument, live: Score | None, settings: ClinicSettings) -> str:
    """The running total line: total, band, proration and what is missing."""
    if live is None:
        return translate("entry_form", "{0}: no answers yet").format(instrument.name)
    missing = [str(i + 1) for i, v in enumerate(live.responses) if v is None]
    missing_text = (
        translate("entry_form", " · missing item {0}").format(", ".join(missing)) if missing else ""
    )
    if not live.valid:
        limit = settings.for_instrument(instrument.code).max_missing
        return translate(
            "entry_form", "{0}: not scorable yet - {1} missing (at most {2} may be missing){3}"
        ).format(instrument.name, live.n_missing, limit, missing_text)
    assert live.total is not None and live.exact_total is not None
    if live.prorated:
        return translate("entry_form", "{0} total {1}* (prorated, exact {2:.1f}) · {3}{4}").format(
            instrument.name, live.total, live.exact_total, term(live.severity or ""), missing_text
        )
    return translate("entry_form", "{0} total {1} · {2}").format(
        instrument.name, live.total, term(live.severity or "")
    )


def answer_text(instrument: Instrument, value: int | None) -> str:
    """ "2 (More than half the days)"; a scale shown without answer labels (MADRS, by
    licence) gives its range instead of repeating the number: "4 on 0-6"."""
    label = instrument.answer_labels.get(value) if value is not None else None
    if label and label != str(value):
        return f"{value} ({label})"
    return translate("entry_form", "{0} on {1}-{2}").format(
        value, instrument.item_min, instrument.item_max
    )


def safety_text(instrument: Instrument, live: Score) -> str:
    """The banner that cannot be missed: what the item says and what is due."""
    if not live.safety_flag or instrument.safety_item is None:
        return ""
    item = instrument.item(instrument.safety_item)
    value = live.responses[instrument.safety_item - 1]
    if live.safety_reason == "unanswered":
        what = translate("entry_form", "item {0} ({1}) was left unanswered - ask it").format(
            item.number, item.label
        )
    else:
        what = translate("entry_form", "item {0} ({1}) = {2}").format(
            item.number, item.label, answer_text(instrument, value)
        )
    due = (
        translate("entry_form", "urgent review and a structured suicide risk assessment today")
        if live.safety_tier == 2
        else translate("entry_form", "same-day clinician review")
    )
    return translate("entry_form", "⚠ SAFETY FLAG - {0} {1}. Tier {2}: {3}.").format(
        instrument.name, what, live.safety_tier, due
    )
