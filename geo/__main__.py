import sys

from geo.cli.main import run

sys.exit(run())
