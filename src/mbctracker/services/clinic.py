"""The clinic's own settings (name, paper size, default thresholds), kept in the database.

Stored in ``app_meta`` so every workstation on a shared database prints the same
clinic name and starts new courses with the same thresholds. A course keeps a
copy of the thresholds in force when it started, so changing these later never
silently re-classifies a past course.
"""

from __future__ import annotations

from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.errors import DamagedRecordError
from ..storage.tables import AppMeta

SETTINGS_KEY = "clinic_settings"


def load_clinic_settings(db: Database) -> ClinicSettings:
    """The saved settings; a damaged value is a plain error naming it, not a JSON traceback."""
    with db.read() as session:
        row = session.get(AppMeta, SETTINGS_KEY)
        try:
            return ClinicSettings.from_json(row.value if row else None)
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            detail = f"unreadable clinic settings ({exc})"
            raise DamagedRecordError("app_meta", SETTINGS_KEY, "value", detail) from None


def save_clinic_settings(db: Database, settings: ClinicSettings) -> None:
    with db.write() as session:
        row = session.get(AppMeta, SETTINGS_KEY) or AppMeta(key=SETTINGS_KEY, value="")
        row.value = settings.to_json()
        session.add(row)
