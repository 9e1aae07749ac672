"""Data in and out: the documented CSV interchange and the de-identified research extract.

``spec`` is the format (files, columns, how a cell is written and read), shared by
``csv_export`` (streams every live record out), ``csv_import`` (checks every cell,
then writes everything in one transaction or nothing) and ``research`` (the same
files with HIPAA Safe Harbor applied). The format is described for people in
``docs/interchange.md``.
"""
