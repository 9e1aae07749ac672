"""mbctracker: measurement-based care tracker for interventional psychiatry."""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    """The installed version, read once when first asked for.

    ``importlib.metadata`` costs about 20 ms to import: a quarter of an empty Qt
    window's start-up, so the window's first paint does not pay for it.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mbctracker")
    except PackageNotFoundError:  # running from a source tree without an install
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
