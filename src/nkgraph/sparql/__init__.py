"""Answering SPARQL: preparing a query, the engines, federation, result writers."""
