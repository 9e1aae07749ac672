"""Names vulture reports as unused that are used: `make test` runs vulture with this file.

Add a name here only with the reason it is not dead. Each line mentions the name so
vulture counts it as used; the file is never imported.
"""

# ruff: noqa
# Enum members: listed in choice boxes and stored by value, never named in code.
LACK_OF_BENEFIT, REFERRAL, MALE, PERSONALITY, BIPOLAR, PSYCHOTIC, SUBSTANCE_USE, OCD

# Instrument data kept with the definitions for interchange (LOINC answer codes).
answer_loinc, LOINC_FREQUENCY_ANSWERS

# Attributes read by libraries, not by our code.
_.msg  # logging.LogRecord: the redaction filter rewrites it (logs.py)
_.initialFontName  # reportlab Paragraph/Label styles (reports/charts.py)
_.transform  # reportlab Group (reports/charts.py)
_.isolation_level  # sqlite3.Connection: autocommit for the backup API
_.row_factory  # sqlite3.Connection: rows by column name (storage/list_rows.py)
_.impl, _.cache_ok  # SQLAlchemy TypeDecorator settings (storage/jsontext.py)
_.load_dialect_impl, _.process_bind_param, _.process_result_value  # its hooks (same)
__getattr__  # PEP 562 module hooks: names loaded when first used (__init__.py, domain/)
_.updated_at  # SQLAlchemy column written by the audit hook (storage/audit.py)
created_at, updated_at  # SQLModel columns (storage/tables.py)

# Qt and pyqtgraph call these overrides.
_.tickSpacing  # pyqtgraph AxisItem (ui/widgets/chart.py)
_.eventFilter  # QObject event filter (ui/widgets/idle_lock.py)

# Dead, in a file another change is rewriting (issue 9 section 2, ui/widgets/chart.py):
# remove it there rather than collide.
_.colour_of

# Test machinery called by pytest / hypothesis.
_.teardown  # hypothesis RuleBasedStateMachine
open_umask, disk_full_after_pages  # fixtures requested for their effect

# pytest fixtures requested for their effect (a QApplication, a registered instrument).
qapp, test_dep
