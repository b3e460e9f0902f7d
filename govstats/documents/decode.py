"""Bytes to text for web pages and text files: GBK/GB18030 are as common as UTF-8."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import DecodeError
from ..normalize import CJK

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# GB2312 and GBK pages routinely use characters only GB18030 defines: read with the superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030"}
_CANDIDATES = ("utf-8", "gb18030", "big5")


def _canonical(name: str) -> str | None:
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return len(CJK.findall(text)) / len(text)


def decode_bytes(data: bytes, path: Path, *, html: bool = False) -> str:
    """Decode a document: BOM, then a declared <meta charset>, then detection.

    Detection tries strict UTF-8, then GB18030 and Big5, keeping the reading with the
    most CJK text; charset-normalizer settles what none of them reads cleanly.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if html:
        m = _META_CHARSET.search(data[:4096])
        declared = _canonical(m.group(1).decode("ascii", "ignore")) if m else None
        if declared:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common: fall through to detection
    best: tuple[float, str] | None = None
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8":
            return text
        share = _cjk_share(text)
        if best is None or share > best[0]:
            best = (share, text)
    if best is not None:
        return best[1]
    # A few broken bytes (a file cut mid-character) should not lose the whole text.
    for enc in ("utf-8", "gb18030"):
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") <= max(2, len(text) // 200):
            return text
    guess = from_bytes(data[:1_000_000]).best()
    if guess is None:
        raise DecodeError(path, "text in an unknown encoding "
                                "(not UTF-8, GB18030, Big5 or any charset-normalizer knows)")
    return data.decode(guess.encoding, errors="replace")
