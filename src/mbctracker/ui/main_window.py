"""The main window (minimal placeholder until the clinic-day workflow lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from ..storage.db import Database


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"mbctracker - {db.path.name}")
        self.setCentralWidget(QLabel(f"Database: {db.path}"))
        self.resize(1280, 800)
