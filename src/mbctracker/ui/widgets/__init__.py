"""Widgets of the main window: the patient list, the course view and its parts."""
