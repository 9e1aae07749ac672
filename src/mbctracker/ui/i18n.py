"""Which language the window speaks, and the Qt translators that make it so.

The choice, strongest first: ``--lang`` on the command line, the desk's own choice
(View -> Language, kept in the window's settings file), then the system locale.
Only languages with a shipped catalogue are offered; anything else is English, the
language the source is written in. Qt's own catalogue (``qtbase_es``) is loaded too,
so standard buttons (OK, Cancel, Yes, No) match the rest of the window.

Code outside QObject subclasses translates with :func:`translate` and a literal
context, so ``pyside6-lupdate`` finds every string (``make translations``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from ..domain.schedule import PhaseProgress

LANGUAGES = {"en": "English", "es": "Español"}
"""Shipped languages, each named in itself (how a user recognises their own)."""
SOURCE_LANGUAGE = "en"
SETTING_KEY = "view/language"
"""Where the desk's choice is kept in the window's settings file."""

translate = QCoreApplication.translate
"""``translate("Context", "text")`` outside a QObject; the context is a literal for lupdate."""

_installed: list[QTranslator] = []
_current = [SOURCE_LANGUAGE]
_default_locale: dict[str, QLocale] = {}


def catalogue_path(language: str) -> str:
    """The compiled catalogue shipped in the package (``resources/translations``)."""
    folder = resources.files("mbctracker.resources").joinpath("translations")
    return str(folder.joinpath(f"mbctracker_{language}.qm"))


def system_language() -> str:
    """The system locale's language when it is shipped, else English."""
    name = QLocale.system().name().split("_")[0]
    return name if name in LANGUAGES else SOURCE_LANGUAGE


def choose_language(requested: str | None, settings: QSettings | None) -> str:
    """Command line, else the desk's stored choice, else the system locale."""
    if requested in LANGUAGES:
        return requested
    stored = settings.value(SETTING_KEY) if settings is not None else None
    if isinstance(stored, str) and stored in LANGUAGES:
        return stored
    return system_language()


def install(language: str) -> bool:
    """Load the app's and Qt's catalogues for ``language``; numbers follow it too.

    Returns False when the app's catalogue is missing (then the window stays English,
    whole, rather than half translated). English removes every installed translator.
    """
    app = QCoreApplication.instance()
    if app is None:
        return False
    uninstall()
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return language == SOURCE_LANGUAGE
    own = QTranslator(app)
    if not own.load(catalogue_path(language)):
        return False
    qt = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for translator in (own, qt) if qt.load(f"qtbase_{language}", qt_folder) else (own,):
        app.installTranslator(translator)
        _installed.append(translator)
    _default_locale.setdefault("before", QLocale())
    QLocale.setDefault(QLocale(language))
    _current[0] = language
    return True


def current_language() -> str:
    """The language the window was built in (View -> Language shows it checked)."""
    return _current[0]


def uninstall() -> None:
    """Back to the source language (tests switch languages within one process)."""
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    if "before" in _default_locale:  # the process's own locale, as before any install
        QLocale.setDefault(_default_locale.pop("before"))
    _current[0] = SOURCE_LANGUAGE


def number(value: int) -> str:
    """A count in the window's language: 22,481 in English (whatever the system's
    locale, as before), 22.481 in Spanish."""
    if _current[0] == SOURCE_LANGUAGE:
        return f"{value:,}"
    return QLocale().toString(value)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate finds
    """Mark a module-level text for the catalogue; it is translated where it is shown,
    after the language is installed (a constant is built before that)."""
    return text


def weekday(day: date) -> str:
    """The day's name in the window's language ("Monday", "lunes")."""
    english = _current[0] == SOURCE_LANGUAGE
    return (QLocale(QLocale.Language.English) if english else QLocale()).dayName(day.isoweekday())


def term(text: str) -> str:
    """A domain label (``Modality.TMS.label``, a band, a category) as the window shows it;
    the catalogue entries are listed in :mod:`mbctracker.ui.labels`."""
    return translate("labels", text)


def words() -> dict[str, str] | None:
    """The course readouts' phrases (presentation.texts) in the window's language; None in
    English, the wording the PDF and exports keep."""
    if current_language() == SOURCE_LANGUAGE:
        return None
    from ..presentation.texts import PHRASES  # the whole course picture: not at start-up

    return {phrase: translate("texts", phrase) for phrase in PHRASES}


def progress_text(progress: Sequence[PhaseProgress]) -> str:
    """domain.schedule.progress_text with the phases named in the window's language
    ("induction 6/6 · maintenance 8", "inducción 6/6 · mantenimiento 8")."""
    return " \u00b7 ".join(
        f"{term(p.phase.label).lower()} {p.done}" + (f"/{p.planned}" if p.planned else "")
        for p in progress
    )
