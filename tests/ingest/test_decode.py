import codecs

import pytest

from marsad.ingest.decode import DecodeError, decode, detect_encoding

ARABIC = "أعلنت وزارة الصحة اليوم افتتاح مستشفى ميداني جديد في ريف المدينة الشرقي.\nوقال مدير المستشفى إن الطاقة الاستيعابية تبلغ مئة سرير."


def test_utf8_with_and_without_bom() -> None:
    assert decode(ARABIC.encode("utf-8")) == (ARABIC, "utf-8")
    text, encoding = decode(codecs.BOM_UTF8 + ARABIC.encode("utf-8"))
    assert text == ARABIC
    assert encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom(codec: str) -> None:
    text, _ = decode(ARABIC.encode(codec))
    assert text == ARABIC


def test_windows_1256_is_detected() -> None:
    data = ARABIC.encode("cp1256")
    assert detect_encoding(data) == "cp1256"
    assert decode(data)[0] == ARABIC


def test_windows_1256_with_crlf_line_endings() -> None:
    data = ARABIC.replace("\n", "\r\n").encode("cp1256")
    assert decode(data)[0] == ARABIC


def test_declared_charset_is_used_when_it_fits() -> None:
    latin = "Le ministère a publié un communiqué détaillé sur la situation.".encode("latin-1")
    assert decode(latin, "iso-8859-1")[0].startswith("Le ministère")


def test_partial_head_may_end_mid_character() -> None:
    data = ARABIC.encode("utf-8")[:-1]
    assert detect_encoding(data, partial=True) == "utf-8"


def test_binary_files_are_named() -> None:
    with pytest.raises(DecodeError) as err:
        decode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert err.value.kind == "binary"
    assert "PNG" in err.value.message
    with pytest.raises(DecodeError) as err:
        decode(b"%PDF-1.7\n...")
    assert "PDF" in err.value.message


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DecodeError) as err:
        decode(b"abc\x00\x01\x02\x03def" * 3)
    assert err.value.kind == "binary"


def test_undecodable_bytes_are_refused() -> None:
    junk = bytes([0x80 + (i * 37) % 64 for i in range(600)])
    junk = b" ".join(junk[i : i + 5] for i in range(0, len(junk), 5))
    with pytest.raises(DecodeError) as err:
        decode(junk)
    assert err.value.kind in {"encoding", "binary"}
