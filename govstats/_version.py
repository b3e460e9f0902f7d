"""Versions, in a module of their own so that nothing needs to import the package root."""

__version__ = "0.1.0"
PARSER_VERSION = "4"  # bump when parsing changes: incremental builds re-read everything (3: legacy; 4: cell boxes)
