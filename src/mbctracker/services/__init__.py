"""Use cases: what the app and the command line can do, returning domain objects.

Every function takes the open :class:`~mbctracker.storage.Database` first and
runs one transaction; the UI never touches a database session itself.
"""
