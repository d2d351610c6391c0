"""Curated writes: changes as patches, checked against the shapes, committed to a journal."""
