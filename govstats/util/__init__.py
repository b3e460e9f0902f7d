"""Small infrastructure every stage shares: atomic writes, locks, hashing, supervised workers."""
