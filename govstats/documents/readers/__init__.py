"""One module per document format: bytes in, a `Document` out (see govstats.formats)."""
