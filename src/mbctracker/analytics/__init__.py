"""Clinic outcome analyses (issue 15): pure computation on loaded arrays.

No SQL, no Qt, no PDF: services load the clinic's record with SQL into
:class:`.data.OutcomeData` and call :func:`.run.run_outcomes`; reports and the UI
draw the result. numpy, statsmodels and lifelines are imported by these modules
only, and these modules only when an analysis runs, so start-up never pays for them.
"""
