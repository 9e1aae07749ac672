"""mbctracker: measurement-based care tracker for interventional psychiatry."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mbctracker")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
