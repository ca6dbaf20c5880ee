"""Bytes to text: binary detection and encoding detection for untrusted Arabic inputs.

Order of trust: byte-order mark, UTF-16 without BOM (NUL pattern), a declared charset (HTTP
header, ``<meta charset>``), strict UTF-8, Windows-1256 when the result reads as Arabic, the
encoding most lines are in, then charset-normalizer's best guess when the result reads as
text. Anything else is refused with a reason rather than decoded into mojibake.

Only content that really is binary (a known signature, or many NUL and control bytes) is
refused whole. Text is otherwise decoded line by line: a line in another plausible encoding
(UTF-8 in a Windows-1256 file, or the reverse) is decoded with it, stray NUL bytes are
dropped, and a line no encoding fits costs that line only (:class:`Line`, :class:`Decoded`).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from charset_normalizer import from_bytes

from marsad.records import Problem

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
    (b"\x1f\x8b", "gzip archive inside a gzip archive"),  # the outer one is undone on reading
    (b"(\xb5/\xfd", "Zstandard archive"),
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
MAX_CONTROL_SHARE = 0.05  # NUL and other control bytes (not whitespace) in text, at most
MIN_LINE_VOTE = 0.5  # share of non-ASCII lines one encoding must read to be the file's
MAX_BYTES_PER_CHAR = 4  # UTF-8 and UTF-16 need at most 4 bytes for one character
SHOWN_LINES = 5  # line numbers named in a "repaired" problem
SKIP_CHUNK = 65536  # the rest of an over-long line is read and dropped in pieces this big
MIN_TEXT_SHARE = 0.85  # letters, digits, spaces and punctuation among all characters
MIN_CORE_ARABIC_SHARE = 0.6  # U+0621..U+064A among letters, for a Windows-1256 guess
SAMPLE_BYTES = 65536
_UTF8_NAMES = {"utf-8", "utf-8-sig"}
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])  # not \t \n \v \f \r
_CORE_ARABIC_RE = re.compile(r"[\u0621-\u064A]")
_TEXTY_RE = re.compile(r"[\w\s.,;:!?'\"()\[\]{}<>/\\@#%&*+=~|$^`-]|[\u0600-\u06FF«»“”‘’–—…•·]")


class DecodeError(Exception):
    """The bytes are not text Marsad can read; ``kind`` is ``binary`` or ``encoding``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Line:
    """One line of a text stream: ``number`` counts from 1, ``text`` keeps its line end."""

    number: int
    text: str  # undecodable bytes replaced (fault "encoding"), or "" (fault "too-long")
    fault: str = ""  # "", "encoding" or "too-long"


@dataclass(frozen=True)
class Decoded:
    """A whole text: its encoding, and the lines whose undecodable bytes were replaced."""

    text: str
    encoding: str
    bad_lines: list[int] = field(default_factory=list)


def sniff_binary(head: bytes) -> str | None:
    """Name the binary format of ``head`` if it starts with a known signature, else ``None``."""
    for magic, name in BINARY_SIGNATURES:
        if head.startswith(magic):
            return name
    if head.startswith(_RIFF[0]):
        return _RIFF[1]
    return None


def binary_kind(head: bytes) -> str | None:
    """Why ``head`` is binary (a signature, or many NUL/control bytes), or ``None`` for text.

    A few stray NUL bytes in a text file do not make it binary.
    """
    kind = sniff_binary(head[:64])
    if kind:
        return kind
    sample = head[:SAMPLE_BYTES]
    if not sample or bom_encoding(sample):
        return None
    utf16 = _utf16_without_bom(sample)
    if utf16:
        text = _try(sample, utf16, partial=True)
        if text is not None and text_share(text) >= MIN_TEXT_SHARE:
            return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        return "mostly NUL or control bytes"
    return None


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def is_line_based(encoding: str) -> bool:
    """True when ``encoding`` writes ASCII as ASCII, so its lines can be split on b"\\n"."""
    try:
        return "a\na\n".encode(encoding).endswith(b"a\na\n")  # after a BOM, for utf-8-sig
    except (LookupError, UnicodeError):
        return False


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


def _line_vote(data: bytes, partial: bool) -> tuple[str | None, float]:
    """The encoding most non-ASCII lines read in (UTF-8, or Windows-1256 as Arabic), and the
    share of non-ASCII lines it reads."""
    lines = data.split(b"\n")
    if partial and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut anywhere
    votes = {"utf-8": 0, "cp1256": 0}
    foreign = 0
    for raw in lines:
        if raw.isascii():
            continue
        foreign += 1
        if _try(raw, "utf-8") is not None:
            votes["utf-8"] += 1
        elif _reads_as_arabic(raw.decode("cp1256")):
            votes["cp1256"] += 1
    best = max(votes, key=lambda name: votes[name])
    if not votes[best]:
        return None, 0.0
    return best, votes[best] / foreign


def detect_encoding(data: bytes, declared: str | None = None, partial: bool = False) -> str:
    """Return the encoding of ``data`` or raise :class:`DecodeError`.

    ``partial`` says ``data`` is only the start of a stream (it may end mid-character).
    Stray NUL bytes are ignored; whether the content is binary is :func:`binary_kind`'s call.
    """
    bom = bom_encoding(data)
    if bom:
        return bom
    utf16 = _utf16_without_bom(data)
    if utf16 and _try(data, utf16, partial) is not None:
        return utf16
    head = data[:SAMPLE_BYTES].replace(b"\x00", b"")
    partial = partial or len(data) > SAMPLE_BYTES
    if declared:
        text = _try(head, declared, partial)
        if text is not None and text_share(text) >= MIN_TEXT_SHARE:
            return codecs.lookup(declared).name
    if _try(head, "utf-8", partial) is not None:
        return "utf-8"
    text = _try(head, "cp1256", partial)
    if text is not None and _reads_as_arabic(text):
        return "cp1256"
    voted, share = _line_vote(head, partial)
    if voted and share >= MIN_LINE_VOTE:
        return voted
    best = from_bytes(head).best()
    if best is not None:
        guess = _try(head, best.encoding, partial)
        if guess is not None and text_share(guess) >= MIN_TEXT_SHARE:
            return str(best.encoding)
    if voted:
        return voted
    raise DecodeError(
        "encoding",
        "unknown text encoding (not UTF-8, UTF-16 or Windows-1256, and no reliable guess)",
    )


def decode_line(raw: bytes, encoding: str) -> str | None:
    """One line of a file in ``encoding`` (line-based), NUL bytes dropped: valid UTF-8 first,
    then ``encoding``, then Windows-1256 when it reads as Arabic; ``None`` when none fits."""
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"")
    for candidate in dict.fromkeys(("utf-8", encoding, "cp1256")):
        try:
            text = raw.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if candidate != "cp1256" or encoding == "cp1256" or _reads_as_arabic(text):
            return text
    return None


def _decode_all(data: bytes, encoding: str, partial: bool) -> tuple[str, list[int]]:
    """All of ``data``: in one go when it is clean UTF-8, else line by line (:func:`decode_line`).

    With ``partial``, ``data`` is the start of a longer text and may end mid-character.
    """
    if not is_line_based(encoding):
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = str(decoder.decode(data, final=not partial))
        if "\ufffd" not in text or _try(data, encoding, partial) is not None:
            return text, []
        return text, [n for n, line in enumerate(text.split("\n"), 1) if "\ufffd" in line]
    if b"\x00" not in data and codecs.lookup(encoding).name in _UTF8_NAMES:
        clean = _try(data, encoding, partial)  # other encodings decode UTF-8 lines as mojibake
        if clean is not None:
            return clean, []
    out: list[str] = []
    bad: list[int] = []
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        line = decode_line(raw, encoding)
        if line is None and partial and number == len(lines):
            line = _try(raw.replace(b"\x00", b""), encoding, partial=True)
        if line is None:
            bad.append(number)
            line = raw.replace(b"\x00", b"").decode(encoding, "replace")
        out.append(line)
    return "\n".join(out), bad


def decode_text(data: bytes, declared: str | None = None, partial: bool = False) -> Decoded:
    """Decode untrusted bytes to text (line by line where needed); raises :class:`DecodeError`
    for binary content or an unknown encoding. ``partial``: ``data`` is only the start."""
    kind = binary_kind(data[:SAMPLE_BYTES])
    if kind:
        raise DecodeError("binary", f"binary file ({kind}), not text")
    encoding = detect_encoding(data, declared, partial)
    text, bad = _decode_all(data, encoding, partial)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text_share(text) < MIN_TEXT_SHARE:
        raise DecodeError("binary", "mostly control or symbol characters: binary or corrupt data")
    return Decoded(text, encoding, bad)


def repair_problems(source: str, decoded: Decoded) -> list[Problem]:
    """One problem line when ``decoded`` was kept with undecodable bytes replaced, else none."""
    if not decoded.bad_lines:
        return []
    count = len(decoded.bad_lines)
    shown = ", ".join(str(n) for n in decoded.bad_lines[:SHOWN_LINES])
    more = ", ..." if count > SHOWN_LINES else ""
    lines = "line" if count == 1 else "lines"
    return [
        Problem(
            source,
            "encoding",
            f"{count:,} {lines} had bytes no encoding fits ({lines} {shown}{more})",
            f"repaired {count:,} {lines}: those bytes replaced by U+FFFD, text kept",
        )
    ]


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode untrusted bytes to text: ``(text, encoding)``; raises :class:`DecodeError`."""
    decoded = decode_text(data, declared)
    return decoded.text, decoded.encoding


def iter_lines(stream: BinaryIO, encoding: str, max_chars: int) -> Iterator[Line]:
    """The lines of a byte stream, each decoded on its own; memory stays under ``max_chars``
    (a longer line is read past in pieces and given as a "too-long" fault)."""
    if not is_line_based(encoding):
        yield from _iter_wide_lines(stream, encoding, max_chars)
        return
    max_bytes = max_chars * MAX_BYTES_PER_CHAR
    number = 0
    while raw := stream.readline(max_bytes + 1):
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := stream.readline(SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield Line(number, "", "too-long")
            continue
        text = decode_line(raw, encoding)
        fault = ""
        if text is None:
            text, fault = raw.replace(b"\x00", b"").decode(encoding, "replace"), "encoding"
        if number == 1:
            text = text.removeprefix("\ufeff")
        if len(text.rstrip("\r\n")) > max_chars:
            yield Line(number, "", "too-long")
            continue
        yield Line(number, text, fault)


def _iter_wide_lines(stream: BinaryIO, encoding: str, max_chars: int) -> Iterator[Line]:
    """:func:`iter_lines` for UTF-16 and UTF-32, whose lines cannot be split as bytes."""
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    number = 0
    while text := wrapper.readline(max_chars + 1):
        number += 1
        if len(text) > max_chars and not text.endswith(("\n", "\r")):
            while (rest := wrapper.readline(SKIP_CHUNK)) and not rest.endswith(("\n", "\r")):
                pass
            yield Line(number, "", "too-long")
            continue
        yield Line(number, text.removeprefix("\ufeff") if number == 1 else text)
