"""Explain how a document was read (placeholder filled by the explain work)."""
