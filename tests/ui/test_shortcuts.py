"""The app's keys never take a platform's standard key for another meaning.

Ctrl+Shift+S meant "Record session" here and "Save As" everywhere else: a user's
habit would open the wrong form. A key may equal a standard binding only where it
means the same thing (Ctrl+O opens, Ctrl+P prints, Ctrl+F finds, Ctrl+N makes new).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from mbctracker.ui.main_window import MainWindow

SAME_MEANING = {
    "open_db": "Open",
    "print": "Print",
    "find": "Find",
    "new_patient": "New",
    "quit": "Quit",
    "preferences": "Preferences",
    "help": "HelpContents",
}


def _standard_bindings() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for standard in QKeySequence.StandardKey:
        for keys in QKeySequence.keyBindings(standard):
            found.setdefault(keys.toString(), set()).add(standard.name)
    return found


def test_no_shortcut_takes_a_standard_key_for_another_meaning(window: MainWindow) -> None:
    standard = _standard_bindings()
    clashes = []
    for name, action in window.actions_by_name.items():
        keys = action.shortcut().toString()
        meanings = standard.get(keys, set()) - {SAME_MEANING.get(name)}
        if keys and meanings:
            clashes.append(f"{name}: {keys} is {sorted(meanings)}")
    assert not clashes


def test_no_two_actions_share_a_key(window: MainWindow) -> None:
    keys = [a.shortcut().toString() for a in window.actions_by_name.values()]
    used = [k for k in keys if k]
    assert len(used) == len(set(used))
