"""The graph serialised for download, with its JSON-LD context."""
