import sys

from geo.cli import run

sys.exit(run())
