"""Run the command line: ``python -m nkgraph``."""

from nkgraph.cli import main

main()
