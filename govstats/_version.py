"""Versions, in a module of their own so that nothing needs to import the package root."""

__version__ = "0.1.0"
PARSER_VERSION = "3"  # bump when parsing changes: incremental builds re-read everything (3: cell boxes and addresses)
