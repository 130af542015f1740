"""Archivist: a local, private assistant that answers questions about a news archive."""

__version__ = "0.1.0"
