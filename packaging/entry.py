"""Entry script for the frozen app: the same `main` the `mbctracker` console script runs."""

import sys

from mbctracker.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
