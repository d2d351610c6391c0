"""The ``nkgraph`` command line: click commands, each a thin shell over the core."""
