"""The clinic's own settings (name, paper size, default thresholds), kept in the database.

Stored in ``app_meta`` so every workstation on a shared database prints the same
clinic name and starts new courses with the same thresholds. A course keeps a
copy of the thresholds in force when it started, so changing these later never
silently re-classifies a past course.
"""

from __future__ import annotations

from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.tables import AppMeta

SETTINGS_KEY = "clinic_settings"


def load_clinic_settings(db: Database) -> ClinicSettings:
    with db.read() as session:
        row = session.get(AppMeta, SETTINGS_KEY)
        return ClinicSettings.from_json(row.value if row else None)


def save_clinic_settings(db: Database, settings: ClinicSettings) -> None:
    with db.write() as session:
        row = session.get(AppMeta, SETTINGS_KEY) or AppMeta(key=SETTINGS_KEY, value="")
        row.value = settings.to_json()
        session.add(row)
