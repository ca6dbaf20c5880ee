"""Interface strings in Arabic (the default) and English: ``STRINGS[key] = (ar, en)``."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("ar", "en")
DIRECTION = {"ar": "rtl", "en": "ltr"}

STRINGS: dict[str, tuple[str, str]] = {
    "app": ("مرصد", "Marsad"),
    "tagline": ("منصة المحلل: الادعاءات والمصادر والنقل والسرديات", "Analyst's workbench"),
    "overview": ("نظرة عامة", "Overview"),
    "search": ("بحث", "Search"),
    "articles": ("المقالات", "Articles"),
    "article": ("مقالة", "Article"),
    "claims": ("الادعاءات", "Claims"),
    "claim": ("ادعاء", "Claim"),
    "outlets": ("المنافذ الإعلامية", "Outlets"),
    "outlet": ("المنفذ", "Outlet"),
    "isnad": ("الإسناد: عائلات النقل", "Isnad: reuse families"),
    "reuse_family": ("عائلة نقل", "Reuse family"),
    "narratives": ("السرديات", "Narratives"),
    "narrative": ("سردية", "Narrative"),
    "claim_families": ("عائلات الادعاءات", "Claim families"),
    "claim_family": ("عائلة ادعاء", "Claim family"),
    "api_docs": ("توثيق الواجهة البرمجية", "API docs"),
    "language_switch": ("English", "العربية"),
    "corpus": ("المدوّنة", "Corpus"),
    "documents": ("الوثائق", "Documents"),
    "date_range": ("المدى الزمني", "Date range"),
    "articles_per_day": ("المقالات في اليوم", "Articles per day"),
    "top_narratives": ("أبرز السرديات", "Top narratives"),
    "top_claim_families": ("أبرز عائلات الادعاءات", "Top claim families"),
    "most_copied": ("أكثر المنافذ نقلاً عنها", "Most-copied outlets"),
    "copies": ("مرات النقل", "Copies"),
    "copied_by_outlets": ("منافذ ناقلة", "Outlets copying"),
    "problems": ("أحدث مشكلات الإدخال", "Latest ingest problems"),
    "no_problems": ("لا مشكلات.", "No problems."),
    "source": ("المصدر", "Source"),
    "kind": ("النوع", "Kind"),
    "message": ("الرسالة", "Message"),
    "query": ("عبارة البحث", "Query"),
    "query_help": (
        "التشكيل وصور الهمزة لا تؤثر؛ ضع العبارة بين علامتي تنصيص للبحث عنها كما هي، "
        "و* في آخر الكلمة للبحث ببادئتها.",
        'Diacritics and hamza forms do not matter; put a phrase in "quotes", end a word '
        "with * to search by prefix.",
    ),
    "search_in": ("البحث في", "Search in"),
    "from": ("من", "From"),
    "to": ("إلى", "To"),
    "any": ("الكل", "Any"),
    "language": ("اللغة", "Language"),
    "source_type": ("نوع المصدر", "Source type"),
    "sort": ("الترتيب", "Sort"),
    "relevance": ("الصلة", "Relevance"),
    "newest": ("الأحدث", "Newest"),
    "oldest": ("الأقدم", "Oldest"),
    "go": ("ابحث", "Search"),
    "results": ("النتائج", "Results"),
    "no_results": ("لا نتائج.", "No results."),
    "no_index": (
        "فهرس البحث غير مبني لهذا المخزن؛ شغّل ‎marsad index‎ أولاً.",
        "This store has no search index; run `marsad index` first.",
    ),
    "title": ("العنوان", "Title"),
    "date": ("التاريخ", "Date"),
    "day": ("اليوم", "Day"),
    "count": ("العدد", "Count"),
    "text": ("النص", "Text"),
    "verb": ("فعل الإسناد", "Reporting verb"),
    "hedged": ("متحفظ", "Hedged"),
    "actors": ("الفاعلون", "Actors"),
    "checkworthiness": ("جدارة التحقق", "Check-worthiness"),
    "yes": ("نعم", "yes"),
    "no": ("لا", "no"),
    "metadata": ("البيانات الوصفية", "Metadata"),
    "url": ("الرابط", "URL"),
    "dateline": ("سطر المكان", "Dateline"),
    "author": ("الكاتب", "Author"),
    "format": ("الصيغة", "Format"),
    "removed": ("الأسطر المحذوفة (حشو)", "Removed boilerplate"),
    "none": ("لا شيء.", "None."),
    "reused_passages": ("المقاطع المنقولة", "Reused passages"),
    "copied_from": ("منقول من", "Copied from"),
    "copied_by": ("نُقل إلى", "Copied by"),
    "shared_with": ("مشترك مع", "Shared with"),
    "score": ("الدرجة", "Score"),
    "reason": ("السبب", "Reason"),
    "confidence": ("الثقة", "Confidence"),
    "families_of_article": ("موقع المقالة في عائلات النقل", "Place in reuse families"),
    "role": ("الدور", "Role"),
    "origin": ("الأصل", "Origin"),
    "copy": ("نسخة", "Copy"),
    "reuse_kind": ("النوع", "Kind"),
    "kind_copy": ("خبر منقول", "Copied story"),
    "kind_template": ("صيغة رسمية متكررة", "Shared template"),
    "template_note": (
        "صيغة رسمية أو قالب متكرر (برقيات، نشرات، بيانات): ليست نقلاً لخبر، "
        "ولا تدخل في شبكة النقل بين المنافذ.",
        "A recurring official formula or template (cables, bulletins, statements): no story was "
        "copied, and it is left out of the network of who copies whom.",
    ),
    "parent": ("منقول عن", "Parent"),
    "size": ("الحجم", "Size"),
    "members": ("الأعضاء", "Members"),
    "transmission": ("مخطط النقل عبر الزمن", "Transmission over time"),
    "edges": ("روابط النقل", "Transmission edges"),
    "graph_truncated": (
        "يعرض المخطط أول {n} عضواً بحسب التاريخ؛ الجداول أدناه تضم الجميع.",
        "The drawing shows the first {n} members by date; the tables below have them all.",
    ),
    "lag": ("الفارق (ساعات)", "Lag (hours)"),
    "passage_changes": ("تغيّر المقطع من نسخة إلى أخرى", "The passage from copy to copy"),
    "timeline_by_outlet": ("الخط الزمني حسب المنفذ", "Timeline by outlet"),
    "member_claims": ("الادعاءات الأعضاء", "Member claims"),
    "catalog_matches": ("مطابقات الفهرس", "Catalogue matches"),
    "entry": ("المدخل", "Entry"),
    "stance": ("الموقف", "Stance"),
    "stance_agree": ("يكرّر الادعاء", "Repeats the claim"),
    "stance_disagree": ("ينفي الادعاء أو يفنّده", "Disputes / debunks it"),
    "stance_discuss": ("ينقل الادعاء دون تبنّيه", "Reports it, no side taken"),
    "stance_unknown": ("غير محدد", "Not judged"),
    "terms": ("الكلمات المفتاحية", "Terms"),
    "volume": ("حجم النشر عبر الزمن", "Volume over time"),
    "claims_by_source_type": ("الادعاءات حسب نوع المصدر", "Claims by source type"),
    "copies_from": ("ينقل عن", "Copies from"),
    "copied_by_list": ("ينقل عنه", "Copied by"),
    "carries": ("السرديات التي يحملها", "Narratives it carries"),
    "network": ("شبكة النقل", "Copy network"),
    "first_seen": ("أول ظهور", "First seen"),
    "last_seen": ("آخر ظهور", "Last seen"),
    "export": ("تصدير", "Export"),
    "previous": ("السابق", "Previous"),
    "next": ("التالي", "Next"),
    "page_of": ("صفحة {page} من {pages} ({total} نتيجة)", "Page {page} of {pages} ({total})"),
    "table_equivalent": ("الجدول المكافئ", "As a table"),
    "not_found": ("غير موجود", "Not found"),
    "click_claim": (
        "مرّر المؤشر على ادعاء أو انقر عليه لعرض تفاصيله؛ انقر مقطعاً منقولاً للانتقال إلى نظيره.",
        "Hover or click a claim for its details; click a reused passage to go to its counterpart.",
    ),
    "static_note": (
        "نسخة ثابتة من مرصد: البحث يتطلب تشغيل ‎marsad serve‎.",
        "Static Marsad report: search needs `marsad serve`.",
    ),
    "all": ("عرض الكل", "See all"),
    "lag_h": ("{lag} ساعة", "{lag} h"),
    "other": ("أخرى", "other"),
    # source types (docs/schema.md)
    "st_official": ("رسمي", "official"),
    "st_media": ("إعلامي", "media"),
    "st_expert": ("خبير", "expert"),
    "st_witness_local": ("شاهد محلي", "local witness"),
    "st_anonymous": ("مجهول", "anonymous"),
    "st_document_or_image": ("وثيقة أو صورة", "document or image"),
    "st_social_media": ("وسائل التواصل", "social media"),
    "st_self": ("المنفذ نفسه", "the outlet itself"),
    "st_unattributed": ("غير منسوب", "unattributed"),
}

SOURCE_TYPES = tuple(key[3:] for key in STRINGS if key.startswith("st_"))


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)``: the string in ``lang``, formatted; the key itself when unknown."""
    index = 1 if lang == "en" else 0

    def translate(key: str, **values: object) -> str:
        pair = STRINGS.get(key)
        text = key if pair is None else pair[index]
        return text.format(**values) if values else text

    return translate
