"""Speed benchmarks: medians and ratios, printed, never asserted (``make bench``)."""
