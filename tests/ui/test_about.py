"""The About box a clinic's IT person reads: version, licence, files, instrument terms."""

from __future__ import annotations

from mbctracker import __version__
from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.ui.main_window import MainWindow


def test_the_window_carries_the_app_icon(window: MainWindow) -> None:
    icon = window.windowIcon()
    assert not icon.isNull()
    assert {16, 32, 256} <= {size.width() for size in icon.availableSizes()}


def test_about_names_version_licence_database_and_each_instrument_terms(
    window: MainWindow,
) -> None:
    box = window.about()
    assert box.isVisible()
    text = box.text()
    box.accept()
    assert __version__ in text
    assert "MIT" in text
    assert str(window.db.path) in text
    for instrument in INSTRUMENTS.values():
        assert instrument.name in text
    assert "refused permission" in text  # why the MADRS shows labels only
