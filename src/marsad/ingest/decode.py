"""Bytes to text: binary detection and encoding detection for untrusted Arabic inputs.

Order of trust: byte-order mark, UTF-16 without BOM (NUL pattern), a declared charset (HTTP
header, ``<meta charset>``), strict UTF-8, Windows-1256 when the result reads as Arabic, then
charset-normalizer's best guess when the result reads as text. Anything else is refused with
a reason rather than decoded into mojibake.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x7fELF", "executable program"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"BZh", "bzip2 archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document (DOC/XLS)"),
)
_RIFF = (b"RIFF", "RIFF media (WAV/AVI/WEBP)")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MIN_TEXT_SHARE = 0.85  # letters, digits, spaces and punctuation among all characters
MIN_CORE_ARABIC_SHARE = 0.6  # U+0621..U+064A among letters, for a Windows-1256 guess
SAMPLE_BYTES = 65536
_CORE_ARABIC_RE = re.compile(r"[\u0621-\u064A]")
_TEXTY_RE = re.compile(r"[\w\s.,;:!?'\"()\[\]{}<>/\\@#%&*+=~|$^`-]|[\u0600-\u06FF«»“”‘’–—…•·]")


class DecodeError(Exception):
    """The bytes are not text Marsad can read; ``kind`` is ``binary`` or ``encoding``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def sniff_binary(head: bytes) -> str | None:
    """Name the binary format of ``head`` if it is one, else ``None``."""
    for magic, name in BINARY_SIGNATURES:
        if head.startswith(magic):
            return name
    if head.startswith(_RIFF[0]):
        return _RIFF[1]
    return None


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:SAMPLE_BYTES]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-range text in UTF-16 has a NUL in every other byte; Arabic (U+06xx) has 0x06 there.
    for nuls, name in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
        if nuls > 0.3 * half:
            return name
    high = sample[1::2]
    if high.count(6) > 0.3 * half:
        return "utf-16-le"
    if sample[0::2].count(6) > 0.3 * half:
        return "utf-16-be"
    return None


def text_share(text: str) -> float:
    """Share of characters that are plausible in prose (letters, digits, spaces, punctuation)."""
    sample = text[:SAMPLE_BYTES]
    if not sample:
        return 1.0
    return len(_TEXTY_RE.findall(sample)) / len(sample)


def _reads_as_arabic(text: str) -> bool:
    sample = text[:SAMPLE_BYTES]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return False
    core = len(_CORE_ARABIC_RE.findall(sample))
    return core / letters >= MIN_CORE_ARABIC_SHARE and text_share(sample) >= MIN_TEXT_SHARE


def _try(data: bytes, encoding: str, partial: bool = False) -> str | None:
    """Decode, or None; with ``partial`` a multi-byte character cut at the end is allowed."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        return str(decoder.decode(data, final=not partial))
    except (UnicodeDecodeError, LookupError):
        return None


def detect_encoding(data: bytes, declared: str | None = None, partial: bool = False) -> str:
    """Return the encoding of ``data`` or raise :class:`DecodeError`.

    ``partial`` says ``data`` is only the start of a stream (it may end mid-character).
    """
    bom = bom_encoding(data)
    if bom:
        return bom
    utf16 = _utf16_without_bom(data)
    if utf16 and _try(data, utf16, partial) is not None:
        return utf16
    head = data[:SAMPLE_BYTES]
    if b"\x00" in head:
        raise DecodeError("binary", "binary content (NUL bytes), not text")
    if declared:
        text = _try(data, declared, partial)
        if text is not None and text_share(text) >= MIN_TEXT_SHARE:
            return codecs.lookup(declared).name
    if _try(data, "utf-8", partial) is not None:
        return "utf-8"
    text = _try(data, "cp1256")
    if text is not None and _reads_as_arabic(text):
        return "cp1256"
    best = from_bytes(head).best()
    if best is not None:
        guess = _try(data, best.encoding, partial)
        if guess is not None and text_share(guess) >= MIN_TEXT_SHARE:
            return str(best.encoding)
    raise DecodeError(
        "encoding",
        "unknown text encoding (not UTF-8, UTF-16 or Windows-1256, and no reliable guess)",
    )


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode untrusted bytes to text: ``(text, encoding)``; raises :class:`DecodeError`."""
    kind = sniff_binary(data[:64])
    if kind:
        raise DecodeError("binary", f"binary file ({kind}), not text")
    encoding = detect_encoding(data, declared)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text_share(text) < MIN_TEXT_SHARE:
        raise DecodeError("binary", "mostly control or symbol characters: binary or corrupt data")
    return text, encoding
