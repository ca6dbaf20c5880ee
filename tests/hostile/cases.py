"""Every kind of bad input the audit of issue 13 met, built from code, and the good records
that go beside it. Texts are short Arabic news sentences written for these tests.

A case writes its files into a folder of its own (``CORPUS/<case name>/``), so every problem
whose source lies in that folder is the case's. It declares the problem lines it must cause
(kind and how many) and the good records it holds; each good record carries a marker
(``good-0042``) that identifies it in the store, and :func:`story` gives its exact text.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SENTENCES = (
    "افتتحت بلدية المدينة جسراً جديداً فوق النهر بعد عامين من أعمال البناء المتواصلة",
    "قال مدير المستشفى الوطني إن قسم الطوارئ استقبل عشرات المرضى خلال عطلة نهاية الأسبوع",
    "ارتفعت أسعار الخضار والفواكه في السوق المركزي بنسبة ملحوظة منذ مطلع الشهر الجاري",
    "أعلنت وزارة التربية أن امتحانات الشهادة الثانوية ستبدأ في موعدها المحدد دون تأجيل",
    "طالب سكان الحي الشرقي بإصلاح شبكة المياه التي تعطلت منذ عدة أيام متتالية",
    "أفادت مديرية الزراعة بأن موسم قطاف الزيتون هذا العام جاء أفضل من الموسم الماضي",
    "ذكرت شركة الكهرباء أن ساعات التقنين ستنخفض تدريجياً مع دخول محطة التوليد الجديدة الخدمة",
    "أكد رئيس النادي الرياضي أن الفريق سيشارك في البطولة الإقليمية المقبلة بتشكيلة شابة",
    "أشارت دائرة الأرصاد الجوية إلى أن موجة من الأمطار الغزيرة ستضرب المناطق الساحلية غداً",
    "كشفت نقابة المهندسين عن خطة لترميم المباني القديمة في وسط المدينة بالتعاون مع البلدية",
    "نقلت وكالة الأنباء المحلية عن مصادر في المرفأ أن حركة السفن عادت إلى طبيعتها صباح اليوم",
    "قالت إدارة المكتبة العامة إنها ستمدد ساعات العمل خلال فترة الامتحانات لاستقبال الطلاب",
)
GOOD_RECORDS = 200  # the good records beside the cases (the cases hold more)
FIRST_CASE_RECORD = 1000  # numbers of the good records written by the cases start here
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
# The limits `marsad analyze` is given for the corpus of every case, lowered so that the
# over-size cases stay small: each is built a few times over its limit.
MAX_FILE_BYTES = 1024 * 1024  # also the decompressed limit (gzip bombs)
MAX_PAGE_BYTES = 128 * 1024
MAX_RECORD_CHARS = 100_000
MAX_ARTICLE_CHARS = 20_000
LIMITS = {
    "MARSAD_INGEST_MAX_FILE_SIZE": str(MAX_FILE_BYTES),
    "MARSAD_INGEST_MAX_PAGE_SIZE": str(MAX_PAGE_BYTES),
    "MARSAD_INGEST_MAX_RECORD_CHARS": str(MAX_RECORD_CHARS),
    "MARSAD_INGEST_MAX_ARTICLE_CHARS": str(MAX_ARTICLE_CHARS),
}
# Markup and formulas that must come out of every page and spreadsheet as inert text.
XSS_TITLE = '<script>alert("title")</script> عنوان <img src=x onerror=alert(1)>'
XSS_TEXT = (
    '<script>alert("text")</script> <iframe src="javascript:alert(2)"></iframe> نص '
    "<img src=x onerror=alert(3)>"
)
XSS_OUTLET = "<img src=x onerror=alert(4)>"
MARKUP_SENTENCE = (
    "وقال مسؤول في البلدية إن أعمال الصيانة في الشارع الرئيسي ستستمر حتى نهاية الشهر الجاري،"
    " وإن حركة السير ستحول إلى الطرق الفرعية خلال ساعات العمل."
)
HOSTILE_URLS = (
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(5)",
    "data:text/html,<script>alert(6)</script>",
    "vbscript:msgbox(7)",
)
FORMULAS = (
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
MARKUP_SIGNS = ("<script", "onerror=", "<iframe")


def marker(n: int) -> str:
    return f"good-{n:04d}"


def title(n: int) -> str:
    """A short title (no final punctuation, so a text file's first line reads as a title)."""
    return " ".join(SENTENCES[n % len(SENTENCES)].split()[:5]) + f" رقم {n}"


def story(n: int) -> str:
    """The text of good record ``n``: two lines, each with the record's number, so no line
    recurs across records (a recurring short line would be removed as boilerplate)."""
    first = SENTENCES[n % len(SENTENCES)]
    second = SENTENCES[(n * 5 + 1) % len(SENTENCES)]
    return (
        f"{first}، وفق ما نقله مراسلنا في التقرير رقم {n} ({marker(n)}).\n"
        f"{second}، بحسب مصدر محلي تحدث في اليوم {n % 28 + 1} من الشهر في البلاغ {n}."
    )


def record(n: int, **extra: object) -> dict[str, object]:
    return {
        "title": title(n),
        "content": story(n),
        "url": f"https://news.example/{n}",
        "date": f"2025-09-{n % 28 + 1:02d}",
        **extra,
    }


def jsonl(numbers: Iterable[int]) -> bytes:
    return "".join(json.dumps(record(n), ensure_ascii=False) + "\n" for n in numbers).encode()


def text_file(n: int) -> str:
    return f"{title(n)}\n{story(n)}\n"


def html_page(n: int, head: str | None = None, body: str | None = None) -> bytes:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in story(n).split("\n"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{head if head is not None else escape(title(n))}</title></head><body>"
        "<nav><a href='/'>الرئيسية</a></nav>"
        f"<article><h1>{head if head is not None else escape(title(n))}</h1>"
        f"{body or ''}{paragraphs}</article></body></html>"
    ).encode()


def warc(pages: Iterable[tuple[str, bytes]]) -> bytes:
    return warc_records(pages)[0]


def warc_records(pages: Iterable[tuple[str, bytes]]) -> tuple[bytes, list[int]]:
    """A gzip WARC of HTML responses, and the offset where each record ends."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    ends = []
    for uri, body in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
        ends.append(buffer.tell())
    return buffer.getvalue(), ends


def telegram(messages: object, name: str = "قناة الأخبار المحلية") -> dict[str, object]:
    return {"name": name, "type": "public_channel", "id": 4242, "messages": messages}


def message(msg_id: object, text: object, **extra: object) -> dict[str, object]:
    return {"id": msg_id, "type": "message", "date": "2025-09-03T11:02:17", "text": text, **extra}


def rss(numbers: Iterable[int], channel: str = "نشرة المدينة") -> bytes:
    items = "".join(
        f"<item><title>{escape(title(n))}</title><link>https://feed.example/{n}</link>"
        f"<description>{escape('<p>' + story(n).replace(chr(10), '</p><p>') + '</p>')}"
        "</description><pubDate>Wed, 03 Sep 2025 10:00:00 GMT</pubDate></item>"
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{channel}</title>{items}</channel></rss>"
    ).encode()


def csv_bytes(rows: Iterable[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["title", "content", "url", "date"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def repeat_gzip(path: Path, block: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> None:
    """A gzip file that decompresses to ``head``, ``block`` repeated to ``total`` bytes, then
    ``tail``: ``block`` is compressed once and its gzip member written again and again (a
    reader sees one stream), so a bomb of any size costs milliseconds to build."""
    member = gzip.compress(block, compresslevel=9, mtime=0)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(head, mtime=0))
        for _ in range(max(1, total // len(block))):
            fh.write(member)
        fh.write(gzip.compress(tail, mtime=0))


# -- the good records -----------------------------------------------------------------------


def write_good(root: Path, numbers: range) -> None:
    """The good records, spread over every reader: JSON Lines, CSV, text, HTML, WARC,
    Telegram, RSS and a JSON list."""
    todo = iter(numbers)

    def take(k: int) -> list[int]:
        return [next(todo) for _ in range(k)]

    folder = root / "good"
    for sub in ("jsonl", "csv", "txt", "html", "warc", "telegram", "rss", "json"):
        (folder / sub).mkdir(parents=True)
    (folder / "jsonl" / "records.jsonl").write_bytes(jsonl(take(100)))
    (folder / "csv" / "records.csv").write_bytes(csv_bytes(record(n) for n in take(20)))
    for n in take(15):
        (folder / "txt" / f"story-{n}.txt").write_text(text_file(n), "utf-8")
    for n in take(15):
        (folder / "html" / f"page-{n}.html").write_bytes(html_page(n))
    (folder / "warc" / "crawl.warc.gz").write_bytes(
        warc((f"https://crawl.example/{n}", html_page(n)) for n in take(15))
    )
    export = telegram([message(n, story(n)) for n in take(15)])
    (folder / "telegram" / "result.json").write_text(json.dumps(export, ensure_ascii=False))
    (folder / "rss" / "feed.xml").write_bytes(rss(take(10)))
    (folder / "json" / "records.json").write_text(
        json.dumps([record(n) for n in take(10)], ensure_ascii=False), "utf-8"
    )
    assert next(todo, None) is None, "every good record is written"


# -- the cases ------------------------------------------------------------------------------


@dataclass
class Case:
    """One bad-input case as built: its folder, the problem lines it must cause (kind ->
    how many), the good records it holds (all must be stored; ``exact`` ones with their text
    unchanged) and the paths an unprivileged reader must be refused."""

    name: str
    folder: Path
    problems: Counter[str] = field(default_factory=Counter)
    good: list[int] = field(default_factory=list)
    exact: list[int] = field(default_factory=list)
    denied: list[Path] = field(default_factory=list)
    _next: Callable[[], int] = lambda: 0

    def take(self, k: int, exact: bool = False) -> list[int]:
        """Numbers for ``k`` good records written by this case."""
        numbers = [self._next() for _ in range(k)]
        self.good += numbers
        if exact:
            self.exact += numbers
        return numbers

    def expect(self, kind: str, count: int = 1) -> None:
        self.problems[kind] += count

    def path(self, name: str | bytes) -> str | bytes:
        """``name`` inside the case's folder (bytes for names that are not UTF-8)."""
        if isinstance(name, bytes):
            return os.path.join(os.fsencode(self.folder), name)
        return os.path.join(self.folder, name)


Builder = Callable[[Case], None]
BUILDERS: dict[str, Builder] = {}


def case(builder: Builder) -> Builder:
    BUILDERS[builder.__name__] = builder
    return builder


def build_cases(root: Path, builders: dict[str, Builder] | None = None) -> list[Case]:
    """Every case (of ``builders``, else :data:`BUILDERS`) in ``root/<name>/``; links point
    to absolute paths."""
    root = root.resolve()
    counter = iter(range(FIRST_CASE_RECORD, 1_000_000))
    built = []
    for name, builder in (builders or BUILDERS).items():
        folder = root / name
        folder.mkdir(parents=True)
        item = Case(name, folder, _next=lambda: next(counter))
        builder(item)
        built.append(item)
    return built


def write_bytes(path: str | bytes, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


# files and folders


@case
def dangling_symlink(c: Case) -> None:
    (c.folder / "dangling.txt").symlink_to(c.folder / "no-such-target.txt")
    c.expect("unreadable")


@case
def symlink_loop(c: Case) -> None:
    (c.folder / "loop-a.txt").symlink_to(c.folder / "loop-b.txt")
    (c.folder / "loop-b.txt").symlink_to(c.folder / "loop-a.txt")
    c.expect("unreadable", 2)


@case
def folder_link_back_to_the_root(c: Case) -> None:
    (c.folder / "up").symlink_to(c.folder.parent, target_is_directory=True)
    c.expect("duplicate")


@case
def unreadable_file(c: Case) -> None:
    locked = c.folder / "locked.jsonl"
    locked.write_bytes(jsonl([5005]))
    locked.chmod(0)
    c.denied.append(locked)
    (c.folder / "open.jsonl").write_bytes(jsonl(c.take(2)))
    c.expect("unreadable")


@case
def unreadable_folder(c: Case) -> None:
    closed = c.folder / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text(text_file(5004), "utf-8")
    closed.chmod(0)
    c.denied.append(closed)
    c.expect("unreadable")


@case
def named_pipe(c: Case) -> None:
    os.mkfifo(c.folder / "pipe.txt")
    c.expect("unreadable")


@case
def file_name_not_utf8(c: Case) -> None:
    write_bytes(c.path(b"caf\xe9-\xff.jsonl"), jsonl(c.take(2, exact=True)))


@case
def file_name_with_newline_and_escape(c: Case) -> None:
    write_bytes(c.path("two\nlines\x1b[31m.jsonl"), jsonl(c.take(2, exact=True)))
    # a name that would forge a second, innocent-looking line if printed as it is
    forged = "x.txt\nforged.txt: all good (empty; skipped)\x1b[2K\r.png"
    write_bytes(c.path(forged), PNG)
    c.expect("binary")


@case
def file_name_with_bidi_override(c: Case) -> None:
    write_bytes(c.path("\u202etxt.lmsj\u202c.jsonl"), jsonl(c.take(1, exact=True)))


@case
def empty_file(c: Case) -> None:
    (c.folder / "empty.txt").write_bytes(b"")
    c.expect("empty")


@case
def blank_file(c: Case) -> None:
    (c.folder / "blank.jsonl").write_bytes(b"  \n\n\t\n")
    c.expect("empty")


@case
def png_named_txt(c: Case) -> None:
    (c.folder / "picture.txt").write_bytes(PNG)
    c.expect("binary")


@case
def pdf_named_html(c: Case) -> None:
    (c.folder / "report.html").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    c.expect("binary")


@case
def zip_named_jsonl(c: Case) -> None:
    (c.folder / "archive.jsonl").write_bytes(b"PK\x03\x04" + bytes(range(200)))
    c.expect("binary")


@case
def random_bytes(c: Case) -> None:
    (c.folder / "noise.csv").write_bytes(bytes((i * 7919) % 256 for i in range(5000)))
    c.expect("binary")


@case
def gzip_of_zeros(c: Case) -> None:
    (c.folder / "zeros.txt.gz").write_bytes(gzip.compress(bytes(100_000)))
    c.expect("binary")


@case
def gzip_inside_gzip(c: Case) -> None:
    inner = gzip.compress(jsonl(range(3)))
    (c.folder / "twice.jsonl.gz").write_bytes(gzip.compress(inner))
    c.expect("binary")


# NUL bytes and encodings


@case
def nul_byte_in_jsonl(c: Case) -> None:
    lines = jsonl(c.take(3, exact=True)).split(b"\n")
    lines[1] = lines[1][:30] + b"\x00" + lines[1][30:]  # inside the title string
    lines[2] = b"\x00" + lines[2]  # before the record
    (c.folder / "nul.jsonl").write_bytes(b"\n".join(lines))


@case
def nul_byte_in_csv(c: Case) -> None:
    data = csv_bytes(record(n) for n in c.take(2))
    (c.folder / "nul.csv").write_bytes(data.replace("التقرير".encode(), "التقرير\x00".encode()))


@case
def nul_byte_in_text(c: Case) -> None:
    (n,) = c.take(1)
    data = text_file(n).encode()
    (c.folder / "nul.txt").write_bytes(data.replace(b"\n", b"\n\x00", 1))


@case
def mixed_utf8_and_windows_1256_lines(c: Case) -> None:
    numbers = c.take(4, exact=True)
    data = b"".join(
        (json.dumps(record(n), ensure_ascii=False) + "\n").encode("cp1256" if i % 2 else "utf-8")
        for i, n in enumerate(numbers)
    )
    (c.folder / "mixed.jsonl").write_bytes(data)
    (n,) = c.take(1)
    first, second = story(n).split("\n")
    text = title(n).encode() + b"\n" + first.encode("cp1256") + b"\n" + second.encode() + b"\n"
    (c.folder / "mixed.txt").write_bytes(text)


@case
def undecodable_line_in_jsonl(c: Case) -> None:
    junk = b'{"content": "' + "à côté".encode("latin-1") + b'\xff\xfe\x81"}\n'
    lines = jsonl(c.take(3, exact=True)).splitlines(keepends=True)
    (c.folder / "junk.jsonl").write_bytes(b"".join([*lines[:2], junk, *lines[2:]]))
    c.expect("encoding")


@case
def undecodable_line_in_text(c: Case) -> None:
    (n,) = c.take(1)
    first, second = story(n).split("\n")
    data = f"{title(n)}\n{first}\n".encode() + b"\xff\xfe\x81\x8d\n" + f"{second}\n".encode()
    (c.folder / "junk.txt").write_bytes(data)
    c.expect("encoding")  # repaired: the article is kept


@case
def undecodable_csv_header(c: Case) -> None:
    rows = csv_bytes(record(n) for n in c.take(2)).split(b"\n", 1)[1]
    (c.folder / "header.csv").write_bytes(b"tit\xff\x81le,content,url,date\n" + rows)
    c.expect("encoding")


@case
def windows_1256_text_file(c: Case) -> None:
    (n,) = c.take(1)
    (c.folder / "arabic.txt").write_bytes(text_file(n).encode("cp1256"))


@case
def utf16_files(c: Case) -> None:
    (c.folder / "wide.jsonl").write_bytes(jsonl(c.take(2, exact=True)).decode().encode("utf-16"))
    (n,) = c.take(1)
    (c.folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + text_file(n).encode("utf-16-le"))


@case
def utf8_bom_csv(c: Case) -> None:
    (c.folder / "bom.csv").write_bytes(codecs.BOM_UTF8 + csv_bytes(record(n) for n in c.take(2)))


# unpaired surrogates


def with_surrogates(n: int) -> str:
    """Record ``n`` as a JSON object whose title, text and outlet hold unpaired surrogate
    escapes (as tweet and Telegram exports with broken emoji do)."""
    text = json.dumps(record(n, outlet="وكالة \ud800"), ensure_ascii=True)
    return text.replace("\\u0628\\u062d\\u0633\\u0628", "\\udc00\\u0628\\u062d\\u0633\\u0628")


@case
def lone_surrogates_in_jsonl(c: Case) -> None:
    good, broken = c.take(1, exact=True), c.take(1)
    (c.folder / "tweets.jsonl").write_bytes(
        jsonl(good) + (with_surrogates(broken[0]) + "\n").encode()
    )


@case
def lone_surrogates_in_json(c: Case) -> None:
    (n,) = c.take(1)
    (c.folder / "tweets.json").write_text(f"[{with_surrogates(n)}]", "utf-8")


@case
def lone_surrogates_in_telegram(c: Case) -> None:
    numbers = c.take(2)
    export = json.dumps(telegram([message(n, story(n)) for n in numbers]), ensure_ascii=True)
    broken = export.replace("\\u0645\\u0631\\u0627\\u0633\\u0644", "\\ud83d\\u0645", 1)
    assert broken != export
    (c.folder / "result.json").write_text(broken, "utf-8")


@case
def surrogate_character_reference_in_feed(c: Case) -> None:
    (n,) = c.take(1)
    (c.folder / "feed.xml").write_bytes(
        rss([n], channel="نشرة &#xD83D; المدينة").replace(
            b"</description>", b" &#55357;</description>"
        )
    )


# structure


@case
def json_line_nested_10000_deep(c: Case) -> None:
    numbers = c.take(2, exact=True)
    deep = b"[" * 10_000 + b"]" * 10_000 + b"\n"
    deep_object = b'{"content": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001 + b"\n"
    (c.folder / "deep.jsonl").write_bytes(
        jsonl(numbers[:1]) + deep + deep_object + jsonl(numbers[1:])
    )
    c.expect("malformed", 2)


@case
def json_file_nested_10000_deep(c: Case) -> None:
    (c.folder / "deep.json").write_bytes(b"[" * 10_000 + b"]" * 10_000)
    c.expect("malformed")


@case
def json_lines_first_line_nested_deep(c: Case) -> None:
    deep = b'{"x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}\n"
    (c.folder / "dump.data").write_bytes(deep + jsonl(c.take(2, exact=True)))
    c.expect("malformed")


@case
def malformed_json_line(c: Case) -> None:
    numbers = c.take(2, exact=True)
    broken = b'{"title": "\xd8\xae\xd8\xa8\xd8\xb1", "content": "\xd9\x86\xd8\xb5\n'
    (c.folder / "broken.jsonl").write_bytes(jsonl(numbers[:1]) + broken + jsonl(numbers[1:]))
    c.expect("malformed")


@case
def json_lines_that_are_not_articles(c: Case) -> None:
    numbers = c.take(1, exact=True)  # first: a file starting with `42` reads as text
    odd = b'42\n["a", "list"]\n{"title": "\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86 \xd9\x81\xd9\x82\xd8\xb7"}\n'
    (c.folder / "odd.jsonl").write_bytes(jsonl(numbers) + odd)
    c.expect("malformed", 2)
    c.expect("empty")


@case
def empty_json_list(c: Case) -> None:
    (c.folder / "list.json").write_text("[]")
    c.expect("empty")


@case
def empty_json_object(c: Case) -> None:
    (c.folder / "object.json").write_text("{}")
    c.expect("empty")


@case
def odd_telegram_messages(c: Case) -> None:
    first, last = c.take(2, exact=True)
    messages = [
        message(first, story(first)),
        message(2, 12345),  # text a number
        message(3, "نص قصير", text_entities=[7, None]),  # entities not objects
        message([4, 5], story(0)),  # id a list
        message(6, story(1), date={"day": 3}),  # date an object
        "not a message",
        message(7, [{"type": "bold", "text": ["nested"]}]),
        {"id": 8, "type": "service", "action": "pin_message"},  # no text: no line
        message(last, story(last)),
    ]
    (c.folder / "result.json").write_text(json.dumps(telegram(messages), ensure_ascii=False))
    c.expect("malformed", 6)


@case
def telegram_messages_not_a_list(c: Case) -> None:
    (c.folder / "result.json").write_text(json.dumps(telegram({"1": story(0)})))
    c.expect("malformed")


@case
def page_with_no_article(c: Case) -> None:
    (c.folder / "menu.html").write_bytes(
        b"<!DOCTYPE html><html><head><title>x</title></head><body><div></div>"
        b"<script>var page = 1;</script></body></html>"
    )
    c.expect("no-article")


@case
def csv_header_only(c: Case) -> None:
    (c.folder / "header.csv").write_text("title,content,url\n")
    c.expect("empty")


@case
def csv_with_unclosed_quote(c: Case) -> None:
    (first,) = c.take(1, exact=True)
    # rows with no quote of their own: the open quote takes them all, to the end of the file
    rest = [record(n, content=story(n).replace("\n", " ")) for n in (5006, 5007)]
    unclosed = '"عنوان مفتوح","نص لا ينتهي اقتباسه\n'.encode()
    after = csv_bytes(rest).split(b"\n", 1)[1]  # without the header
    assert b'"' not in after
    (c.folder / "quote.csv").write_bytes(csv_bytes([record(first)]) + unclosed + after)
    c.expect("malformed")


# damaged archives


@case
def truncated_gzip(c: Case) -> None:
    data = gzip.compress(jsonl(range(5000, 5400)))
    (c.folder / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    c.expect("truncated")


@case
def truncated_warc(c: Case) -> None:
    numbers = c.take(2)
    data, ends = warc_records(
        (f"https://crawl.example/{n}", html_page(n)) for n in [*numbers, 5000]
    )
    # the third record cut in its gzip header, its WARC header, its HTTP headers, its page
    for name, end in (("gzip", 10), ("warc", 100), ("http", 300), ("page", -40)):
        cut = ends[1] + end if end > 0 else ends[2] + end
        (c.folder / f"cut-in-{name}.warc.gz").write_bytes(data[:cut])
        c.expect("truncated")  # the two records before the damage are kept


# sizes (limits lowered by LIMITS)


@case
def oversized_file(c: Case) -> None:
    (c.folder / "huge.jsonl").write_bytes(jsonl([5001]) * (MAX_FILE_BYTES // 500))
    c.expect("too-large")


@case
def gzip_bomb_json(c: Case) -> None:
    item = json.dumps(record(5002), ensure_ascii=False).encode() + b","
    repeat_gzip(c.folder / "bomb.json.gz", item * 200, 8 * MAX_FILE_BYTES, b"[", b"{}]")
    c.expect("too-large")


@case
def gzip_bomb_jsonl(c: Case) -> None:
    (n,) = c.take(1, exact=True)  # the same record, over and over: one document
    repeat_gzip(c.folder / "bomb.jsonl.gz", jsonl([n]) * 200, 8 * MAX_FILE_BYTES)
    c.expect("too-large")


@case
def gzip_bomb_text(c: Case) -> None:
    (n,) = c.take(1)
    block = (story(n) + "\n").encode() * 200
    repeat_gzip(c.folder / "bomb.txt.gz", block, 8 * MAX_FILE_BYTES, text_file(n).encode())
    c.expect("too-long")  # read only as far as an article goes, cut and kept


@case
def over_long_record(c: Case) -> None:
    numbers = c.take(2, exact=True)
    huge = json.dumps({"content": "كلمة " * (MAX_RECORD_CHARS // 4)}, ensure_ascii=False)
    (c.folder / "long.jsonl").write_bytes(
        jsonl(numbers[:1]) + huge.encode() + b"\n" + jsonl(numbers[1:])
    )
    rows = [record(n) for n in c.take(2)]
    rows.insert(1, {"title": "طويل", "content": "كلمة " * (MAX_RECORD_CHARS // 4)})
    (c.folder / "long.csv").write_bytes(csv_bytes(rows))
    c.expect("too-long", 2)


@case
def over_long_article(c: Case) -> None:
    (n,) = c.take(1)
    lines = [f"{SENTENCES[i % len(SENTENCES)]} في الفقرة {i}." for i in range(400)]
    (c.folder / "long.txt").write_text(f"{title(n)}\n{story(n)}\n" + "\n".join(lines), "utf-8")
    c.expect("too-long")  # cut and kept


@case
def huge_html_page(c: Case) -> None:
    (n,) = c.take(1)
    paragraph = "<p>" + " ".join(SENTENCES) + "</p>\n"
    (c.folder / "huge.html").write_bytes(
        html_page(n, body=paragraph * (2 * MAX_PAGE_BYTES // len(paragraph.encode())))
    )
    (c.folder / "fine.html").write_bytes(html_page(n))
    c.expect("too-large")


@case
def huge_warc_record(c: Case) -> None:
    first, last = c.take(2)
    paragraph = "<p>" + " ".join(SENTENCES) + "</p>\n"
    huge = html_page(5003, body=paragraph * (2 * MAX_PAGE_BYTES // len(paragraph.encode())))
    pages = [
        (f"https://crawl.example/{first}", html_page(first)),
        ("https://crawl.example/huge", huge),
        (f"https://crawl.example/{last}", html_page(last)),
    ]
    (c.folder / "crawl.warc.gz").write_bytes(warc(pages))
    c.expect("too-large")


# markup and formulas (stored as they are; every output must neutralise them)


@case
def hostile_html_page(c: Case) -> None:
    (n,) = c.take(1)
    # markup as text inside a paragraph of the article, so it is in the article text (a line
    # of markup alone would go with the page's chrome)
    shown = f"{escape(XSS_TEXT)} {MARKUP_SENTENCE}"
    body = f"<script>alert(8)</script><p>{shown}</p><iframe src='javascript:alert(9)'></iframe>"
    (c.folder / "xss.html").write_bytes(html_page(n, head=escape(XSS_TITLE), body=body))


@case
def hostile_record_fields(c: Case) -> None:
    numbers = c.take(len(HOSTILE_URLS) + len(FORMULAS))
    records = []
    for i, n in enumerate(numbers):
        if i < len(HOSTILE_URLS):
            fields = {"url": HOSTILE_URLS[i], "title": XSS_TITLE, "outlet": XSS_OUTLET}
        else:
            formula = FORMULAS[i - len(HOSTILE_URLS)]
            fields = {"title": formula, "outlet": formula, "author": formula}
        records.append(record(n, **fields))
    records[0]["content"] = f"{XSS_TEXT}\n{story(numbers[0])}"
    (c.folder / "fields.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )


@case
def markup_in_folder_name(c: Case) -> None:
    (n,) = c.take(1)
    folder = c.folder / XSS_OUTLET  # the folder's name becomes the outlet
    folder.mkdir()
    (folder / "story.txt").write_text(text_file(n), "utf-8")


@case
def hostile_text_file(c: Case) -> None:
    (n,) = c.take(1)
    text = f"{XSS_TITLE}\n{XSS_TEXT} {MARKUP_SENTENCE}\n{story(n)}\n"
    (c.folder / "xss.txt").write_text(text, "utf-8")


# -- giants: bombs and huge files, for the memory ceiling (test_memory.py) -------------------
# Streamed to disk a block at a time, never built in memory; the gzip bombs repeat one
# compressed member. The limits they meet are lowered where the default would only cost time
# (GIANT_LIMITS); a bomb is still many times its limit, so an unenforced limit would show as
# memory (a JSON bomb is read whole) or as a record too many.
MIB = 1024 * 1024
GIANT_LIMITS = {
    "MARSAD_INGEST_MAX_DECOMPRESSED_SIZE": "64MiB",
    "MARSAD_INGEST_MAX_PAGE_SIZE": "8MiB",
}
BOMB_BYTES = 256 * MIB  # decompressed: four times the decompressed limit
TEXT_BOMB_BYTES = 1024 * MIB
LINE_BYTES = 50 * MIB
PAGE_BYTES = 7 * MIB + MIB // 2  # just under the page limit: read and extracted
HUGE_PAGE_BYTES = 40 * MIB  # five times over it
GIANTS: dict[str, Builder] = {}
# Fillers share no words with the good records, so reuse finds nothing to align between
# them (it would only cost time); no sentence ends: one endless sentence.
FILLERS = (
    "تتابع القوافل سيرها عبر الصحراء الواسعة نحو الواحات البعيدة حاملة التمور والملح ",
    "يجلس الصيادون على رصيف الميناء القديم يرتقون شباكهم الممزقة وينتظرون هدوء الموج ",
    "تزرع النساء في القرية الجبلية أشتال التبغ والقمح على المدرجات الحجرية العتيقة ",
    "يعزف الموسيقيون الجوالون ألحاناً قديمة في الساحات المرصوفة حتى ساعة متأخرة ",
)
WORDS = FILLERS[0].encode()
PARAGRAPH = f"<p>{FILLERS[2] * 12}</p>\n".encode()


def marked_head(n: int) -> str:
    """A title and a line that name good record ``n`` without its story's sentences."""
    return f"عنوان السجل {n}\nسجل طويل متكرر يحمل العلامة ({marker(n)}) في أوله.\n"


def giant(builder: Builder) -> Builder:
    GIANTS[builder.__name__] = builder
    return builder


class Repeated(io.RawIOBase):
    """``head``, ``block`` repeated to ``total`` bytes, ``tail``: a stream, never in memory."""

    def __init__(self, head: bytes, block: bytes, total: int, tail: bytes) -> None:
        super().__init__()
        self.parts = iter([head, *([block] * max(1, total // len(block))), tail])
        self.size = len(head) + len(block) * max(1, total // len(block)) + len(tail)
        self.rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.rest:
            part = next(self.parts, None)
            if part is None:
                return 0
            self.rest = part
        n = min(len(buffer), len(self.rest))
        buffer[:n] = self.rest[:n]
        self.rest = self.rest[n:]
        return n


def repeat_file(path: Path, block: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> None:
    with open(path, "wb") as fh:
        fh.write(head)
        for _ in range(max(1, total // len(block))):
            fh.write(block)
        fh.write(tail)


def mib_of(unit: bytes) -> bytes:
    return unit * max(1, MIB // len(unit))


def big_page(head: str) -> tuple[bytes, bytes]:
    return (
        f"<!DOCTYPE html><html><head><title>{head}</title></head><body><article>".encode(),
        b"</article></body></html>",
    )


@giant
def text_bomb(c: Case) -> None:
    (n,) = c.take(1)
    paragraph = FILLERS[1].encode() * 4 + b"\n"  # long unpunctuated paragraphs
    head = marked_head(n).encode()
    repeat_gzip(c.folder / "bomb.txt.gz", mib_of(paragraph), TEXT_BOMB_BYTES, head)
    c.expect("too-long")  # read only as far as one article goes: cut and kept


@giant
def jsonl_bomb(c: Case) -> None:
    (n,) = c.take(1)  # the same long record over and over: one document
    long_text = marked_head(n) + FILLERS[3] * 400
    line = json.dumps(record(n, content=long_text), ensure_ascii=False).encode() + b"\n"
    repeat_gzip(c.folder / "bomb.jsonl.gz", mib_of(line), BOMB_BYTES)
    c.expect("too-large")  # kept the records before the limit


@giant
def json_bomb(c: Case) -> None:
    item = json.dumps(record(5010), ensure_ascii=False).encode() + b","
    repeat_gzip(c.folder / "bomb.json.gz", mib_of(item), BOMB_BYTES, b"[", b"{}]")
    c.expect("too-large")  # read whole, so refused whole


@giant
def one_line_text(c: Case) -> None:
    """50 MB on one line with no sentence end: cut to one article that is one sentence, one
    claim of 200,000 characters that goes through claims, reuse and narratives."""
    repeat_file(c.folder / "one-line.txt", mib_of(WORDS), LINE_BYTES)
    c.expect("too-long")


@giant
def one_line_jsonl_record(c: Case) -> None:
    first, last = c.take(2, exact=True)
    repeat_file(
        c.folder / "huge-record.jsonl",
        mib_of(WORDS),
        LINE_BYTES,
        jsonl([first]) + b'{"title": "huge", "content": "',
        b'"}\n' + jsonl([last]),
    )
    c.expect("too-long")


@giant
def warc_record_of_40_mb(c: Case) -> None:
    first, last = c.take(2)
    head, tail = big_page("huge")
    body = Repeated(head, mib_of(PARAGRAPH), HUGE_PAGE_BYTES, tail)
    with open(c.folder / "crawl.warc", "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for uri, payload, length in (
            (f"https://crawl.example/{first}", io.BytesIO(html_page(first)), len(html_page(first))),
            ("https://crawl.example/huge", io.BufferedReader(body), body.size),
            (f"https://crawl.example/{last}", io.BytesIO(html_page(last)), len(html_page(last))),
        ):
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(length))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=payload, length=length, http_headers=headers
                )
            )
    c.expect("too-large")


@giant
def html_page_of_7_mb(c: Case) -> None:
    head, tail = big_page("صفحة كبيرة")
    repeat_file(c.folder / "big-page.html", mib_of(PARAGRAPH), PAGE_BYTES, head, tail)


@giant
def html_page_of_40_mb(c: Case) -> None:
    head, tail = big_page("صفحة ضخمة")
    repeat_file(c.folder / "huge-page.html", mib_of(PARAGRAPH), HUGE_PAGE_BYTES, head, tail)
    c.expect("too-large")
