"""Attribution probes: invented sentences in Arabic news style, one family of constructions at a
time (documents and images, experts, the outlet's own voice, source-first frames, nominal
according-to-what frames). They were written to test the general rules, not taken from the
evaluation sets in eval/attribution/; each case checks the last claim unit of its text, as the
claims stage attributes it (split, then ``attribute_all``).
"""

from __future__ import annotations

import pytest

from marsad.claims.attribution import Attribution, attribute_all
from marsad.claims.split import split_claims
from marsad.segment import segment


def _last(text: str) -> Attribution:
    spans = [unit.span for unit in split_claims(text, segment(text))]
    return attribute_all(text, spans)[-1]


def _check(text: str, source: str | None, kind: str) -> None:
    found = _last(text)
    assert (found.source, found.source_type) == (source, kind), (found.pattern, found.type_basis)


@pytest.mark.parametrize(
    ("text", "source", "kind"),
    [
        # an artefact as the subject or after an according-to preposition
        (
            "وأظهرت صور التقطتها الأقمار الصناعية أن القاعدة الجوية تعرضت لأضرار كبيرة.",
            "صور التقطتها الأقمار الصناعية",
            "document_or_image",
        ),
        (
            'وكشفت وثيقة مسربة اطلعت عليها "الحياة" أن الحكومة تعتزم رفع أسعار الوقود.',
            'وثيقة مسربة اطلعت عليها "الحياة"',
            "document_or_image",
        ),
        (
            "وبحسب تقرير صادر عن منظمة العفو الدولية، فإن أكثر من ألف معتقل قضوا تحت التعذيب.",
            "تقرير صادر عن منظمة العفو الدولية",
            "document_or_image",
        ),
        (
            "وأشار تقرير للأمم المتحدة إلى أن نصف السكان يعانون من انعدام الأمن الغذائي.",
            "تقرير للأمم المتحدة",
            "document_or_image",
        ),
        (
            "ووفقاً لإحصائيات وزارة الصحة، فقد ارتفع عدد الإصابات إلى 300 إصابة.",
            "إحصائيات وزارة الصحة",
            "document_or_image",
        ),
        (
            "وتفيد بيانات البنك المركزي بأن التضخم بلغ 12 في المئة خلال الشهر الماضي.",
            "بيانات البنك المركزي",
            "document_or_image",
        ),
        (
            "وجاء في رسالة مسربة موجهة إلى رئيس الوزراء أن الخزينة عاجزة عن دفع الرواتب.",
            "رسالة مسربة موجهة إلى رئيس الوزراء",
            "document_or_image",
        ),
        (
            "وأكد تقرير لجنة التحقيق الدولية أن الطائرات الحكومية استهدفت المستشفى عمداً.",
            "تقرير لجنة التحقيق الدولية",
            "document_or_image",
        ),
        (
            "ووفق مسح أجرته الأمم المتحدة، فإن ثلث الأسر لا تملك دخلاً ثابتاً.",
            "مسح أجرته الأمم المتحدة",
            "document_or_image",
        ),
        (
            "وبحسب خريطة نشرها المعهد، فإن القوات تقدمت عشرة كيلومترات نحو الشمال.",
            "خريطة نشرها المعهد",
            "document_or_image",
        ),
        (
            'وقالت دراسة حديثة نشرتها مجلة "لانسيت" إن معدل الوفيات ارتفع بشكل حاد.',
            'دراسة حديثة نشرتها مجلة "لانسيت"',
            "document_or_image",
        ),
        (
            "وأظهر استطلاع للرأي أجراه مركز بيو أن غالبية الأمريكيين يعارضون الحرب.",
            "استطلاع للرأي أجراه مركز بيو",
            "document_or_image",
        ),
        ("وأظهر التحقيق أن الحريق نجم عن تماس كهربائي.", "التحقيق", "document_or_image"),
        # a body speaking through a report, study or survey (GUIDELINES rule 2)
        (
            "وقالت منظمة العفو الدولية في تقرير نشرته اليوم الخميس إن آلاف المعتقلين أعدموا سراً.",
            "منظمة العفو الدولية",
            "document_or_image",
        ),
        (
            "وذكرت الأمم المتحدة في تقريرها السنوي أن عدد اللاجئين بلغ مستوى قياسياً.",
            "الأمم المتحدة",
            "document_or_image",
        ),
        (
            "وأفادت منظمة هيومن رايتس ووتش، في تقرير صدر أمس، بأن القوات استخدمت قنابل عنقودية.",
            "منظمة هيومن رايتس ووتش",
            "document_or_image",
        ),
        (
            "وتوقع صندوق النقد الدولي في أحدث تقاريره أن ينكمش الاقتصاد بنسبة 3 في المئة.",
            "صندوق النقد الدولي",
            "document_or_image",
        ),
        (
            "وفي تقرير له صدر الثلاثاء، قال البنك الدولي إن معدلات الفقر ارتفعت بشكل غير مسبوق.",
            "البنك الدولي",
            "document_or_image",
        ),
        (
            "الشبكة السورية لحقوق الإنسان، في تقرير أصدرته اليوم، قالت إن 300 مدني قتلوا.",
            "الشبكة السورية لحقوق الإنسان",
            "document_or_image",
        ),
        # ... but an outlet's report is media, and a statement is its author's voice
        (
            "وقالت صحيفة نيويورك تايمز في تقرير لها إن الإدارة الأمريكية تدرس سحب قواتها.",
            "صحيفة نيويورك تايمز",
            "media",
        ),
        (
            "وقالت وزارة الخارجية في بيان إن السفير استدعي للتشاور.",
            "وزارة الخارجية",
            "official",
        ),
    ],
)
def test_documents_and_images(text: str, source: str | None, kind: str) -> None:
    _check(text, source, kind)
