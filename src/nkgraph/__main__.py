"""Run the command line: ``python -m nkgraph``."""

from nkgraph.cli.commands import main

main()
