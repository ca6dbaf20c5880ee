"""Every reader, on small files written by the tests (texts written for the project)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.config import Config
from marsad.ingest import iter_documents
from marsad.records import Problem, RawDocument

TITLE = "ارتفاع أسعار الخبز في الأسواق المحلية"
BODY = (
    "دمشق - فرات\n"
    "أعلنت وزارة التجارة الداخلية رفع سعر ربطة الخبز المدعوم إلى 600 ليرة بدءاً من صباح اليوم.\n"
    "وقال معاون الوزير في تصريح صحفي إن القرار يهدف إلى تقليص العجز في موازنة الدعم."
)
PAGE = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{TITLE} | موقع الاختبار</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="موقع الاختبار">
<meta property="article:published_time" content="2025-09-14T22:40:00+03:00">
<link rel="canonical" href="https://test-news.example/economy/bread">
</head><body><nav><a href="/">الرئيسية</a> <a href="/economy">اقتصاد</a></nav>
<article><h1>{TITLE}</h1>
<p>أعلنت وزارة التجارة الداخلية رفع سعر ربطة الخبز المدعوم إلى 600 ليرة بدءاً من صباح اليوم، في خطوة هي الثانية خلال عام واحد.</p>
<p>وقال معاون الوزير في تصريح صحفي إن القرار يهدف إلى تقليص العجز في موازنة الدعم، مؤكداً أن وزن الربطة لن يتغير.</p>
<p>في المقابل، عبّر مواطنون عن استيائهم من القرار، معتبرين أن الأجور لم تعد تكفي لتأمين الحاجات الأساسية.</p>
</article><footer>جميع الحقوق محفوظة © موقع الاختبار</footer></body></html>"""


def read(paths: list[Path], config: Config) -> tuple[list[RawDocument], list[Problem]]:
    items = list(iter_documents([str(p) for p in paths], config))
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, Problem)],
    )


def test_text_file_title_is_first_line(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "sabah" / "bread.txt"
    path.parent.mkdir()
    path.write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    docs, problems = read([path], config)
    assert problems == []
    assert docs[0].title == TITLE
    assert docs[0].text.startswith("دمشق - فرات")
    assert docs[0].outlet == "sabah"  # folder name when the file names no outlet
    assert docs[0].format == "txt"


def test_text_file_without_title_line(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "note.txt"
    path.write_text("أعلنت الوزارة القرار اليوم.\nوقال مسؤول إنه نهائي.", encoding="utf-8")
    docs, _ = read([path], config)
    assert docs[0].title is None
    assert docs[0].text.startswith("أعلنت")


def test_text_in_windows_1256_and_utf16(tmp_path: Path, config: Config) -> None:
    (tmp_path / "a.txt").write_bytes(f"{TITLE}\r\n\r\n{BODY}".encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(f"{TITLE}\n\n{BODY}".encode("utf-16"))
    docs, problems = read([tmp_path], config)
    assert problems == []
    assert [d.title for d in docs] == [TITLE, TITLE]
    assert all("وزارة التجارة" in d.text for d in docs)
    assert docs[0].meta["encoding"] == "cp1256"


def test_html_page_text_and_metadata(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    docs, problems = read([path], config)
    assert problems == []
    doc = docs[0]
    assert doc.title == TITLE
    assert doc.url == "https://test-news.example/economy/bread"
    assert doc.outlet == "موقع الاختبار"
    assert doc.published == "2025-09-14T22:40:00+03:00"
    assert "وزارة التجارة الداخلية" in doc.text
    assert "الرئيسية" not in doc.text and "جميع الحقوق" not in doc.text


def test_html_detected_by_content_not_extension(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "saved_page.dat"
    path.write_text(PAGE, encoding="utf-8")
    docs, _ = read([path], config)
    assert docs[0].format == "html"


def test_html_without_article(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "login.html"
    path.write_text(
        '<html><body><form><input name="user"><button>دخول</button></form></body></html>',
        encoding="utf-8",
    )
    docs, problems = read([path], config)
    assert docs == []
    assert problems[0].kind == "no-article"


def _records() -> list[dict[str, str]]:
    return [
        {
            "title": TITLE,
            "content": BODY,
            "url": "https://wire.example/1",
            "date": "2025-09-14",
            "source": "وكالة الاختبار",
        },
        {
            "title": "عنوان ثان",
            "body": "نص الخبر الثاني عن افتتاح مدرسة جديدة في الحي الغربي.",
            "published": "2025-09-15T10:00:00+03:00",
            "outlet": "وكالة الاختبار",
        },
    ]


def test_jsonl_keeps_good_lines_around_malformed_ones(tmp_path: Path, config: Config) -> None:
    first, second = (json.dumps(r, ensure_ascii=False) for r in _records())
    path = tmp_path / "wire.jsonl"
    path.write_text(
        f'{first}\n{{"title": "مقطوع", "content": "نص\n\nnot json at all\n{second}\n',
        encoding="utf-8",
    )
    docs, problems = read([path], config)
    assert [d.title for d in docs] == [TITLE, "عنوان ثان"]
    assert docs[0].outlet == "وكالة الاختبار" and docs[0].published == "2025-09-14"
    assert docs[1].text.startswith("نص الخبر الثاني")
    assert len(problems) == 2
    assert {p.kind for p in problems} == {"malformed"}
    assert all("#L" in p.source and "other lines kept" in p.action for p in problems)


def test_jsonl_detected_by_content_and_gzip(tmp_path: Path, config: Config) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records())
    path = tmp_path / "dump.data.gz"
    path.write_bytes(gzip.compress(lines.encode("utf-8")))
    docs, problems = read([path], config)
    assert problems == []
    assert [d.format for d in docs] == ["jsonl", "jsonl"]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path, config: Config) -> None:
    lines = "".join(
        json.dumps({**_records()[0], "title": f"خبر {i}"}, ensure_ascii=False) + "\n"
        for i in range(200)
    )
    data = gzip.compress(lines.encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    docs, problems = read([path], config)
    assert 0 < len(docs) < 200
    assert [p.kind for p in problems] == ["truncated"]


def test_field_mapping_can_be_overridden(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(
        json.dumps({"headline_ar": TITLE, "story": BODY, "when": "2025-09-01"}, ensure_ascii=False),
        encoding="utf-8",
    )
    config.ingest.text_fields = ["story"]
    config.ingest.title_fields = ["headline_ar"]
    config.ingest.date_fields = ["when"]
    docs, problems = read([path], config)
    assert problems == []
    assert (docs[0].title, docs[0].published) == (TITLE, "2025-09-01")


def test_record_without_text_is_reported(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"title": "بلا نص"}\n', encoding="utf-8")
    docs, problems = read([path], config)
    assert docs == [] and problems[0].kind == "empty"


def test_json_array_and_wrapped_records(tmp_path: Path, config: Config) -> None:
    (tmp_path / "a.json").write_text(json.dumps(_records(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(
        json.dumps({"items": _records()}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    docs, problems = read([tmp_path], config)
    assert problems == []
    assert len(docs) == 4 and {d.format for d in docs} == {"json"}


def test_malformed_json_document(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_records(), ensure_ascii=False, indent=1)[:150], encoding="utf-8")
    docs, problems = read([path], config)
    assert docs == [] and problems[0].kind == "malformed"
    assert "line" in problems[0].message


def test_csv_records_with_html_content(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "title,content,url,date,outlet\n"
        f'"{TITLE}","<p>الفقرة الأولى من الخبر، وفيها فاصلة.</p><p>الفقرة الثانية.</p>",'
        "https://csv.example/1,2025-09-05 14:10,موقع المجرى\n",
        encoding="utf-8",
    )
    docs, problems = read([path], config)
    assert problems == []
    assert docs[0].text == "الفقرة الأولى من الخبر، وفيها فاصلة.\nالفقرة الثانية."
    assert docs[0].outlet == "موقع المجرى"


def _warc(path: Path, pages: int, cut: bool = False) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i in range(pages):
        body = PAGE.replace("bread", f"bread-{i}").replace("الثانية خلال", f"رقم {i} خلال").encode()
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://test-news.example/p/{i}",
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
        )
        writer.write_record(record)
    data = buffer.getvalue()
    path.write_bytes(data[: int(len(data) * 0.8)] if cut else data)


def test_warc_html_responses(tmp_path: Path, config: Config) -> None:
    _warc(tmp_path / "crawl.warc.gz", 3)
    docs, problems = read([tmp_path / "crawl.warc.gz"], config)
    assert problems == []
    assert [d.format for d in docs] == ["warc"] * 3
    assert docs[0].title == TITLE and "crawled" in docs[0].meta


def test_truncated_warc(tmp_path: Path, config: Config) -> None:
    _warc(tmp_path / "cut.warc.gz", 3, cut=True)
    docs, problems = read([tmp_path / "cut.warc.gz"], config)
    assert len(docs) == 2
    assert [p.kind for p in problems] == ["truncated"]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>روافد الاختبار</title><link>https://feed.example/</link>
<item><title>خبر أول</title><link>https://feed.example/1</link>
<pubDate>Thu, 04 Sep 2025 10:00:00 +0300</pubDate>
<content:encoded><![CDATA[<p>أفادت مصادر محلية بوقوع انفجار قرب الجسر.</p><p>اقرأ أيضاً: خبر آخر</p>]]></content:encoded></item>
<item><title>خبر ثان</title><link>https://feed.example/2</link>
<description>ملخص قصير عن اجتماع المجلس البلدي.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>بوابة الاختبار</title>
<entry><title>عنوان أتوم</title><link href="https://atom.example/a"/><id>urn:a</id>
<published>2025-09-12T09:45:00+03:00</published>
<content type="html">&lt;p&gt;طالب وجهاء العشائر بفتح تحقيق مستقل في الحادثة.&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_feeds(tmp_path: Path, config: Config) -> None:
    (tmp_path / "rss.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "atom.xml").write_text(ATOM, encoding="utf-8")
    docs, problems = read([tmp_path / "rss.xml", tmp_path / "atom.xml"], config)
    assert problems == []
    assert [d.format for d in docs] == ["rss", "rss", "atom"]
    assert docs[0].outlet == "روافد الاختبار"
    assert docs[0].published == "Thu, 04 Sep 2025 10:00:00 +0300"
    assert docs[0].text.splitlines()[0] == "أفادت مصادر محلية بوقوع انفجار قرب الجسر."
    assert docs[2].url == "https://atom.example/a"
    assert docs[2].text == "طالب وجهاء العشائر بفتح تحقيق مستقل في الحادثة."


TELEGRAM = {
    "name": "قناة الاختبار",
    "type": "public_channel",
    "id": 1234567,
    "messages": [
        {
            "id": 10,
            "type": "message",
            "date": "2025-09-03T11:02:17",
            "text": [
                "🔴 عاجل | ",
                {"type": "bold", "text": "هبوط مروحيات"},
                " قرب القرية ",
                {"type": "link", "text": "https://news.example/a"},
                " ",
                {"type": "text_link", "text": "المصدر", "href": "https://src.example/b"},
            ],
            "text_entities": [
                {"type": "plain", "text": "🔴 عاجل | "},
                {"type": "bold", "text": "هبوط مروحيات"},
                {"type": "plain", "text": " قرب القرية "},
                {"type": "link", "text": "https://news.example/a"},
                {"type": "plain", "text": " "},
                {"type": "text_link", "text": "المصدر", "href": "https://src.example/b"},
            ],
        },
        {"id": 11, "type": "service", "action": "pin_message", "text": "", "text_entities": []},
        {
            "id": 12,
            "type": "message",
            "date": "2025-09-03T11:40:02",
            "photo": "photos/p.jpg",
            "text": "",
            "text_entities": [],
        },
        {"id": 13, "type": "message", "date": "2025-09-04T08:00:00", "text": "نص عادي بلا كيانات"},
    ],
}


def test_telegram_export(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(TELEGRAM, ensure_ascii=False, indent=1), encoding="utf-8")
    docs, problems = read([path], config)
    assert problems == []
    assert len(docs) == 2
    first = docs[0]
    assert first.format == "telegram" and first.outlet == "قناة الاختبار"
    assert first.text == "🔴 عاجل | هبوط مروحيات قرب القرية https://news.example/a المصدر"
    assert first.links == ["https://news.example/a", "https://src.example/b"]
    assert first.url == "https://t.me/c/1234567/10"
    assert first.published == "2025-09-03T11:02:17"


def test_bad_files_each_get_one_problem(tmp_path: Path, config: Config) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "big.txt").write_text("سطر طويل من النص " * 2000, encoding="utf-8")
    config.ingest.max_file_size = "16KiB"
    docs, problems = read([tmp_path, tmp_path / "missing.txt"], config)
    assert docs == []
    kinds = {Path(p.source).name: p.kind for p in problems}
    assert kinds == {
        "big.txt": "too-large",
        "blank.txt": "empty",
        "empty.txt": "empty",
        "image.html": "binary",
        "missing.txt": "missing",
    }
    assert all(p.line().startswith(p.source) for p in problems)


def test_character_references_in_record_fields_are_decoded(tmp_path: Path, config: Config) -> None:
    record = {
        "title": "&#8220;الجسر الجديد&#8221; &amp; الطريق الدائري",
        "content": "قالت البلدية إن &quot;الجسر&quot; يفتتح الأسبوع المقبل بعد عامين من العمل.",
        "source": "صحيفة &laquo;المدينة&raquo;",
    }
    (tmp_path / "r.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    (doc,) = [i for i in iter_documents([str(tmp_path)], config) if isinstance(i, RawDocument)]
    assert doc.title == "“الجسر الجديد” & الطريق الدائري"
    assert '"الجسر"' in doc.text and doc.outlet == "صحيفة «المدينة»"


def test_a_text_page_opening_with_a_bracket_is_text(tmp_path: Path, config: Config) -> None:
    # scraped pages open with "[ title ] - site" or a template placeholder "{ { city } }"
    for name, head in (
        ("forum.txt", "[ الحوار الوطني : الوجه المعلن ] - منتدى الحوار"),
        ("portal", "{ { cityName } } يمكنك أن تتصفح أيضا"),
    ):
        path = tmp_path / name
        path.write_text(f"{head}\n\n{BODY}\n", encoding="utf-8")
        docs, problems = read([path], config)
        assert problems == [] and docs[0].format == "txt", name
        assert BODY.split()[0] in docs[0].text
