"""Translations: every window text in the Spanish catalogue, finished, and shown.

The catalogue is checked against the code itself (lupdate run afresh), so a new text
that was not wrapped, or wrapped and not translated, fails here rather than reaching a
clinic half in English. The Spanish window is then driven like the English one.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from ui_helpers import closed, open_patient

from mbctracker.__main__ import LANGUAGES as CLI_LANGUAGES
from mbctracker.__main__ import build_parser
from mbctracker.app import choose_language, settings_path_for
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.ui import i18n
from mbctracker.ui.dialogs.session_dialog import SessionDialog
from mbctracker.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "mbctracker"
TS = SRC / "resources" / "translations" / "mbctracker_es.ts"
QM = TS.with_suffix(".qm")
TOOLS = Path(sys.executable).parent
SHOWN_AS_TEXT = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setAccessibleName",
    "showMessage",
    "addMenu",
    "addTab",
    "addRow",
    "addItem",
    "addItems",
    "addButton",
    "setHeaderLabels",
    "setHorizontalHeaderLabels",
    "setLabelText",
    "setSpecialValueText",
    "setSuffix",
    "setHtml",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QDockWidget",
}
"""Qt calls whose string argument the user reads: a bare literal there is untranslated."""


def _sources() -> list[str]:
    """What `make translations` reads (the Makefile's TR_SOURCES)."""
    return [*(str(p) for p in sorted((SRC / "ui").rglob("*.py"))), str(SRC / "app.py")]


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name", ""), m.findtext("source", "")): m
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    }


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(TOOLS))
    if found is None:
        pytest.skip(f"pyside6-{name} comes with PySide6-Essentials: pip install -e '.[test]'")
    return found


def test_every_text_in_the_code_is_in_the_catalogue_and_translated(tmp_path: Path) -> None:
    """lupdate over the code today finds nothing new and nothing gone, and every message
    has a finished, non-empty Spanish translation (`make translations` then translate)."""
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    subprocess.run(
        [_tool("lupdate"), *_sources(), "-ts", str(fresh), "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
    )
    committed, now = _messages(TS), _messages(fresh)
    assert sorted(set(now) - set(committed)) == [], "run `make translations` and translate"
    assert sorted(set(committed) - set(now)) == [], "run `make translations` (texts removed)"
    unfinished = [
        key
        for key, m in committed.items()
        if (t := m.find("translation")) is None
        or t.get("type") in ("unfinished", "vanished", "obsolete")
        or not "".join(t.itertext()).strip()
    ]
    assert unfinished == []


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%n", text))


def test_translations_keep_every_placeholder_and_mnemonic() -> None:
    """A Spanish text missing "{0}" would drop a value; one with an extra "{2}" would
    raise at .format() in front of the user."""
    wrong = []
    for (context, source), message in _messages(TS).items():
        target = message.findtext("translation", "")
        if set(_placeholders(source)) != set(_placeholders(target)):
            wrong.append(f"{context}: {source!r} -> {target!r}")
        if ("&" in source.replace("&nbsp;", "")) != ("&" in target.replace("&nbsp;", "")):
            wrong.append(f"{context}: mnemonic {source!r} -> {target!r}")
    assert wrong == []


def test_the_compiled_catalogue_is_the_one_lrelease_makes_from_the_ts(tmp_path: Path) -> None:
    """The shipped .qm is never older than the .ts (`make translations` builds both)."""
    built = tmp_path / "es.qm"
    subprocess.run(
        [_tool("lrelease"), "-nounfinished", str(TS), "-qm", str(built)],
        check=True,
        capture_output=True,
    )
    assert built.read_bytes() == QM.read_bytes(), "run `make translations`"


def _words(node: ast.expr) -> bool:
    """A literal (or the fixed part of an f-string) holding words, markup aside."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    text = "".join(
        p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)
    )
    return bool(re.search(r"[A-Za-z]{2}", re.sub(r"<[^>]*>", "", text)))


def _bare_texts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SHOWN_AS_TEXT:
            continue
        for arg in node.args[:2]:
            items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
            for item in items:
                if _words(item):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_window_text_is_a_bare_literal() -> None:
    """A text handed straight to a label, button, menu or message is wrapped for
    translation (self.tr / translate), so lupdate and the test above can see it."""
    bare = [hit for path in sorted((SRC / "ui").rglob("*.py")) for hit in _bare_texts(path)]
    assert bare == []


def test_the_window_speaks_spanish_menus_dialog_and_qt_buttons(
    qtbot, spanish_window: MainWindow
) -> None:
    menus = [a.text() for a in spanish_window.menuBar().actions()]
    assert menus == ["&Archivo", "&Edición", "&Paciente", "&Ver", "&Curso", "C&línica", "A&yuda"]
    qtbot.keyClick(spanish_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = spanish_window.dialog
    assert dialog is not None and dialog.windowTitle() == "Preferencias"
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and "Cancelar" in cancel.text()  # Qt's own catalogue
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))


def test_spanish_numbers_group_with_dots_and_days_are_named_in_spanish(
    spanish_window: MainWindow,
) -> None:
    assert i18n.number(22481) == "22.481"
    spanish_window.show_today()
    today = date.today()
    heading = spanish_window.today.heading.text()
    assert heading == f"Hoy, {QLocale('es').dayName(today.isoweekday())} {today:%Y-%m-%d}"
    assert "Sin alertas" in spanish_window.flags_label.text() or "⚠" in (
        spanish_window.flags_label.text()
    )


def test_english_is_back_after_spanish(spanish_window: MainWindow) -> None:
    i18n.uninstall()
    assert i18n.number(22481) == "22,481"
    assert i18n.translate("MainWindow", "&File") == "&File"


def test_the_language_is_the_command_line_then_the_desk_then_the_system(
    tmp_path: Path,
) -> None:
    ini = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert i18n.choose_language("es", ini) == "es"
    ini.setValue(i18n.SETTING_KEY, "es")
    assert i18n.choose_language(None, ini) == "es"
    assert i18n.choose_language("en", ini) == "en"
    ini.setValue(i18n.SETTING_KEY, "klingon")  # a hand-edited file: ignored
    assert i18n.choose_language(None, ini) == i18n.system_language()
    assert i18n.system_language() in i18n.LANGUAGES


def test_view_language_is_kept_for_this_desk_and_used_at_the_next_start(
    window: MainWindow, db_path: Path
) -> None:
    window.actions_by_name["language_es"].trigger()
    assert "next time" in window.statusBar().currentMessage()
    window.save_state()
    ini = Path(window.settings.fileName())
    shutil.copy(ini, settings_path_for(db_path))  # the start-up reads the file beside the db
    try:
        assert choose_language(db_path, None) == "es"
        assert i18n.translate("MainWindow", "&File") == "&Archivo"
        assert choose_language(db_path, "en") == "en"
    finally:
        i18n.uninstall()


def test_lang_on_the_command_line_offers_the_shipped_languages_only(capsys) -> None:
    assert set(CLI_LANGUAGES) == set(i18n.LANGUAGES)
    assert build_parser().parse_args(["--lang", "es"]).lang == "es"
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--lang", "xx"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _domain_labels() -> set[str]:
    from mbctracker.domain.course import SESSION_FIELDS, LabelledEnum
    from mbctracker.domain.outcomes import Category, EarlyStatus
    from mbctracker.domain.procedure import VITAL_FIELDS
    from mbctracker.domain.timeline import category_label

    found = {m.label for cls in LabelledEnum.__subclasses__() for m in cls}
    found |= {category_label(c) for c in Category} | {e.value for e in EarlyStatus}
    found |= {f.label for fields in SESSION_FIELDS.values() for f in fields}
    return found | {s.label for s in VITAL_FIELDS}


def test_every_domain_label_is_in_the_window_vocabulary() -> None:
    """A new modality, reason or session field is listed in ui/labels.py (and so in
    the catalogue), or the Spanish window would show it in English."""
    from mbctracker.ui.labels import LABELS

    assert sorted(_domain_labels() - set(LABELS)) == []


def test_spanish_labels_reach_the_course_view(spanish_window: MainWindow) -> None:
    phases = [spanish_window.course.phase.itemText(i) for i in range(4)]
    assert phases == ["Inducción", "Continuación", "Mantenimiento", "Seguimiento"]
    assert i18n.term("Response") == "Respuesta"
    assert i18n.term("a patient's own words") == "a patient's own words"  # not in the list


@pytest.mark.parametrize("typed", ["0,5", "0.5"])
def test_a_dose_typed_with_a_decimal_comma_or_point_is_the_same_in_spanish(
    qtbot, spanish_window: MainWindow, clinic, typed: str
) -> None:
    """Spanish writes 0,5; the form must never read it as 05 (ten times the dose)."""
    earlier = load_timeline(spanish_window.db, clinic.course_id).sessions[-1].when
    record_session(
        spanish_window.db,
        clinic.course_id,
        SessionInput(earlier + timedelta(hours=2), {"weight_kg": 72.0}),
    )
    open_patient(qtbot, spanish_window, clinic.patient_id)
    dialog = spanish_window.record_session()
    assert isinstance(dialog, SessionDialog)
    field = dialog.inputs["dose_mg_per_kg"]
    field.setFocus()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert dialog.inputs["dose_mg"].text() == "36"
    assert dialog.details()["dose_mg_per_kg"] == 0.5
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_every_readout_phrase_is_in_the_catalogue_list() -> None:
    from mbctracker.presentation.texts import PHRASES as WRITTEN
    from mbctracker.ui.labels import PHRASES as LISTED

    assert LISTED == WRITTEN


def test_the_spanish_summary_words_the_change_in_spanish_and_the_pdf_stays_english(
    qtbot, spanish_window: MainWindow, clinic
) -> None:
    from mbctracker.presentation import texts

    open_patient(qtbot, spanish_window, clinic.patient_id)
    html = spanish_window.course.summary_panel.toPlainText()
    assert "Instrumento" in html and "Cambio fiable" in html
    assert "pts mejor" in html or "sin cambios" in html or "Sin respuesta" in html
    assert texts.points_text(6) == "6 pts better"  # the PDF's wording: no words passed
    assert texts.points_text(6, i18n.words()) == "6 pts mejor"


def test_every_today_section_title_is_in_the_window_vocabulary() -> None:
    from mbctracker.services.today import SECTIONS
    from mbctracker.ui.labels import TODAY_SECTIONS

    assert [s.title for s in SECTIONS] == list(TODAY_SECTIONS)
