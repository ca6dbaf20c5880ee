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


@pytest.mark.parametrize(
    ("text", "source", "kind"),
    [
        (
            "ويرى أستاذ العلوم السياسية في جامعة القاهرة حسن نافعة أن النظام يواجه أزمة شرعية.",
            "أستاذ العلوم السياسية في جامعة القاهرة حسن نافعة",
            "expert",
        ),
        (
            "وتعتقد الباحثة في معهد واشنطن دانا سترول أن واشنطن لن تنسحب من سوريا.",
            "الباحثة في معهد واشنطن دانا سترول",
            "expert",
        ),
        (
            "وحذر خبراء في الأمن الغذائي من أن الجفاف سيضرب المحاصيل هذا العام.",
            "خبراء في الأمن الغذائي",
            "expert",
        ),
        (
            "واعتبر المحلل العسكري العميد المتقاعد أحمد رحال أن الهجوم كان متوقعاً.",
            "المحلل العسكري العميد المتقاعد أحمد رحال",
            "expert",
        ),
        ("ورأى مراقبون أن الخطوة تمهد لاتفاق شامل بين الطرفين.", "مراقبون", "expert"),
        (
            "ويرى مدير مركز الشرق للدراسات الاستراتيجية سمير التقي أن التفاهمات هشة.",
            "مدير مركز الشرق للدراسات الاستراتيجية سمير التقي",
            "expert",
        ),
        (
            "المحللة الاقتصادية ريم حداد قالت إن أسعار الذهب ستواصل الارتفاع.",
            "المحللة الاقتصادية ريم حداد",
            "expert",
        ),
        (
            "بحسب أستاذ القانون الدستوري، فإن المرسوم مخالف للدستور.",
            "أستاذ القانون الدستوري",
            "expert",
        ),
        # historians, scientists, specialists, consultants: the word lists
        (
            "وقال المؤرخ اللبناني فواز طرابلسي إن الأزمة الحالية هي الأسوأ منذ الحرب الأهلية.",
            "المؤرخ اللبناني فواز طرابلسي",
            "expert",
        ),
        (
            "ولاحظ عالم الاجتماع التونسي مهدي مبروك أن الاحتجاجات تتركز في المناطق الداخلية.",
            "عالم الاجتماع التونسي مهدي مبروك",
            "expert",
        ),
        (
            "ويعتقد متخصصون في الشأن الإيراني أن طهران ستصعد.",
            "متخصصون في الشأن الإيراني",
            "expert",
        ),
        (
            "وأوضح الاستشاري في أمراض القلب الدكتور فهد أن الصيام مفيد للقلب.",
            "الاستشاري في أمراض القلب الدكتور فهد",
            "expert",
        ),
        # former and retired office-holders commenting, academic posts
        (
            "ويرى الجنرال المتقاعد ديفيد بترايوس أن الحرب ستستمر سنوات.",
            "الجنرال المتقاعد ديفيد بترايوس",
            "expert",
        ),
        (
            "وقال وزير الخارجية الأسبق عمرو موسى إن المنطقة تمر بمرحلة خطيرة.",
            "وزير الخارجية الأسبق عمرو موسى",
            "expert",
        ),
        (
            "وقال عميد كلية الاقتصاد في جامعة دمشق إن التضخم سيتجاوز 100 في المئة.",
            "عميد كلية الاقتصاد في جامعة دمشق",
            "expert",
        ),
        (
            "ويرى رئيس قسم العلوم السياسية في جامعة بغداد أن الحكومة لن تصمد طويلاً.",
            "رئيس قسم العلوم السياسية في جامعة بغداد",
            "expert",
        ),
        ("وقال العميد أحمد سلوم إن القوات انسحبت.", "العميد أحمد سلوم", "official"),
        # a bare name later: the role words of its first mention, a former one included
        (
            "وقال السفير الأمريكي السابق روبرت فورد إن واشنطن خسرت نفوذها. "
            "وأكد فورد أن الأسد باق في السلطة.",
            "فورد",
            "expert",
        ),
    ],
)
def test_experts(text: str, source: str | None, kind: str) -> None:
    _check(text, source, kind)
