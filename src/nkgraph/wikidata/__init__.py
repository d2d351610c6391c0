"""Wikidata: a polite client, links as data, a snapshot of facts."""
