"""Spanish for what main gained beside branch 14-i18n: every Preferences tab, number,
unit and source, View -> Theme, and the print preview.

The Preferences numbers are worded in the services (one table the services check and
the dialog builds from); the window shows them through ``ui/labels.py``, so these tests
tie that list to the table, then open the dialogs in Spanish like a user would.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from ui_helpers import closed, open_patient

from mbctracker.app import make_window
from mbctracker.services.preference_fields import TABS, number_fields
from mbctracker.ui import i18n
from mbctracker.ui.dialogs.preferences import PreferencesDialog
from mbctracker.ui.labels import PREFERENCE_TEXTS, THRESHOLD_TEXTS, preference_texts
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.printing import PrintPreview


def test_every_preference_number_is_listed_for_the_catalogue() -> None:
    """A number added to services.preference_fields is listed in ui/labels.py (or the
    Spanish Preferences would show it in English); in English the window's wording is
    the services' own, letter for letter."""
    missing = []
    for spec in number_fields():
        assert preference_texts(spec) == (spec.label, spec.unit, spec.source), spec.key
        if spec.key.startswith("thresholds."):
            missing += [] if spec.key.split(".")[2] in THRESHOLD_TEXTS else [spec.key]
        else:
            missing += [
                t for t in (spec.label, spec.unit, spec.source) if t and t not in PREFERENCE_TEXTS
            ]
    missing += [t for t in TABS if t not in PREFERENCE_TEXTS]
    assert missing == []


def _english_texts() -> set[str]:
    found = {t for spec in number_fields() for t in (spec.label, spec.source)}
    return found | set(TABS)


def test_spanish_preferences_name_every_tab_number_and_source_in_spanish(
    qtbot, spanish_window: MainWindow
) -> None:
    qtbot.keyClick(spanish_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = spanish_window.dialog
    assert isinstance(dialog, PreferencesDialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == [
        "Clínica",
        "Respuesta y remisión",
        "Instrumentos",
        "Calendario",
        "En torno a la sesión",
        "Resultados de la clínica",
    ]
    shown = {label.text() for label in dialog.findChildren(QLabel)}
    assert "Inducción: una sesión cada" in shown
    assert "PHQ-9: cambio fiable ≥" in shown
    assert any(t.startswith("Por defecto 6 (NHS Talking Therapies)") for t in shown)
    assert sorted(shown & _english_texts()) == []
    assert dialog.numbers["session_interval_days.induction"].suffix() == " días"
    assert dialog.idle.specialValueText() == "nunca"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))


def test_view_theme_is_spanish(spanish_window: MainWindow) -> None:
    names = [
        spanish_window.actions_by_name[f"theme_{c}"].text() for c in ("system", "light", "dark")
    ]
    assert names == ["Del &sistema", "&Claro", "&Oscuro"]
    view = next(a for a in spanish_window.menuBar().actions() if a.text() == "&Ver").menu()
    assert "T&ema" in [a.text() for a in view.actions()]


def test_the_print_preview_speaks_spanish(qtbot, spanish_window: MainWindow, clinic) -> None:
    open_patient(qtbot, spanish_window, clinic.patient_id)
    qtbot.keyClick(spanish_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(spanish_window.findChildren(PrintPreview)))
    preview = spanish_window.findChildren(PrintPreview)[-1]
    qtbot.waitUntil(preview.isVisible)
    assert preview.windowTitle().startswith("Vista previa de impresión - ")
    assert preview.windowTitle().endswith(" - resumen de evolución")
    assert preview.thumbs.item(0).text() == "Página 1"
    assert preview.print_button.text() == "&Imprimir…"
    preview.close()
    qtbot.waitUntil(lambda: closed(preview))


def test_a_clinic_server_desk_keeps_its_language_choice(qapp, tmp_path: Path) -> None:
    """On a postgresql:// address the window's settings live in the data folder
    (clinic-server.ui.ini): the language chosen there is the one used at the next start."""
    from PySide6.QtCore import QSettings

    from mbctracker.app import choose_language, settings_path_for

    address = "postgresql://nurse@clinic-server/mbctracker"
    ini = QSettings(str(settings_path_for(address)), QSettings.Format.IniFormat)
    ini.setValue(i18n.SETTING_KEY, "es")
    ini.sync()
    del qapp  # the translators need the application
    try:
        assert choose_language(address, None) == "es"
        assert i18n.translate("MainWindow", "&File") == "&Archivo"
    finally:
        i18n.uninstall()
        settings_path_for(address).unlink()


def test_every_role_is_in_the_window_vocabulary() -> None:
    """Roles are shown in Edit -> People and the status line after sign-in."""
    from mbctracker.domain.access import Role
    from mbctracker.ui.labels import LABELS

    assert sorted({r.label for r in Role} - set(LABELS)) == []


def test_sign_in_and_people_speak_spanish(qtbot, db, clinic, db_path: Path, tmp_path: Path) -> None:
    """The curtain, a wrong PIN, the administrator's page and Edit -> People in Spanish;
    the services' own refusals (a wrong PIN's line) stay English, as documented."""
    from mbctracker.domain.access import Role
    from mbctracker.services.people import add_person, sign_in

    del clinic  # used for its set-up
    add_person(db, "Ada Admin", Role.ADMINISTRATOR, "9999")
    sign_in(db, "Ada Admin", "9999")
    assert i18n.install("es")
    win = make_window(db_path, settings_path=tmp_path / "ui.ini")
    try:
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        curtain = win.sign_in.curtain
        assert curtain.title.text().startswith("Inicie sesión: los datos")
        assert curtain.message.text() == "Inicie sesión con su nombre y su PIN."
        assert curtain.button.text() == "&Iniciar sesión"
        curtain.name.setFocus()
        qtbot.keyClicks(curtain.name, "Ada Admin")
        qtbot.keyClick(curtain.name, Qt.Key.Key_Tab)
        qtbot.keyClicks(curtain.focusWidget(), "9999")
        qtbot.keyClick(curtain.focusWidget(), Qt.Key.Key_Return)
        assert win.statusBar().currentMessage() == "Sesión iniciada como Ada Admin (administrador)"
        assert win.panes.currentWidget().text().startswith("Sesión iniciada como administrador")
        assert win.actions_by_name["sign_out"].text() == "&Cerrar sesión"
        dialog = win.people()
        assert dialog.windowTitle() == "Personas que inician sesión"
        roles = [dialog.role.itemText(i) for i in range(dialog.role.count())]
        assert roles == ["administrador", "clínico", "enfermería", "recepción"]
        assert dialog.people.item(0).text() == "Ada Admin — administrador"
        dialog.close()
        qtbot.waitUntil(lambda: closed(dialog))
    finally:
        win.close()
        win.db.dispose()
        i18n.uninstall()


def test_the_clinic_server_dialog_speaks_spanish(qtbot, spanish_window: MainWindow) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from mbctracker.ui.dialogs.server_dialog import ServerDialog

    spanish_window.actions_by_name["open_server"].trigger()
    qtbot.waitUntil(lambda: bool(spanish_window.findChildren(ServerDialog)))
    dialog = spanish_window.findChildren(ServerDialog)[-1]
    assert dialog.windowTitle() == "Abrir un servidor de la clínica"
    assert (
        spanish_window.actions_by_name["open_server"].text() == "Abrir un servidor de la &clínica…"
    )
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and "Cancelar" in cancel.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))


def _clashes(window: MainWindow) -> list[str]:
    """Menu entries sharing an Alt letter in the same menu (Alt+letter then picks only the
    first, and a keyboard user cannot reach the other)."""
    from PySide6.QtWidgets import QMenu

    found = []
    for menu in [window.menuBar(), *window.menuBar().findChildren(QMenu)]:
        seen: dict[str, str] = {}
        for action in menu.actions():
            text = action.text().replace("&&", "")
            if "&" not in text or action.isSeparator():
                continue
            letter = text[text.index("&") + 1].lower()
            if letter in seen:
                found.append(f"{menu.title() or 'menu bar'}: {seen[letter]!r} and {text!r}")
            seen[letter] = text
    return found


def test_no_two_entries_of_a_menu_share_an_alt_letter_in_english(window: MainWindow) -> None:
    assert _clashes(window) == []


def test_no_two_entries_of_a_menu_share_an_alt_letter_in_spanish(
    spanish_window: MainWindow,
) -> None:
    assert _clashes(spanish_window) == []
