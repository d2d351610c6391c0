"""SHACL validation (pySHACL and its speed-ups), reports, the text check."""
