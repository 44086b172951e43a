"""The classifier on sentences written for the tests: security, and its hard negatives."""

from __future__ import annotations

import pytest

from agents.classify import Classifier


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


SECURITY = [
    "توقيف متطرف موال لداعش بسلا",
    "تمكنت عناصر المكتب المركزي للأبحاث القضائية من تفكيك خلية إرهابية تتكون من خمسة عناصر بمدينة فاس.",
    "حجزت عناصر الدرك الملكي طنا من الشيرا على متن شاحنة بإقليم العرائش واعتقلت سائقها.",
    "قتل عشرة جنود في كمين نصبه مسلحون لدورية عسكرية شمال مالي.",
    "أحبطت الأجهزة الأمنية مخططا إرهابيا كان يستهدف منشآت حيوية.",
    "دشن المدير العام للأمن الوطني المقر الجديد لولاية الأمن بمدينة مراكش.",
]
UNRELATED = [
    "الجيش الملكي يكتسح خصمه بثلاثية في قمة الدوري والمهاجم يسجل هدفا رائعا في الدقيقة الأخيرة.",
    "هجوم كاسح للفريق الأحمر لم يشفع له أمام دفاع منظم في مباراة نارية.",
    "حرب الأسعار تشتعل بين شركات الاتصالات مع اقتراب نهاية السنة.",
    "تدخلت القوات المسلحة الملكية لإنقاذ عشرات الأسر المحاصرة بسبب الفيضانات والأمطار الغزيرة.",
    "مصرع ثلاثة أشخاص في حادثة سير خطيرة على الطريق الوطنية وفتح الدرك تحقيقا في ملابساتها.",
    "أعلنت وزارة الصحة عن انطلاق حملة التلقيح ضد الحصبة في المدارس.",
]


@pytest.mark.parametrize("text", SECURITY)
def test_classify_security(classifier: Classifier, text: str) -> None:
    verdict = classifier.classify(None, text)
    assert verdict.label == "security", (verdict.score, verdict.reasons)
    assert verdict.reasons, "an analyst must see why"


@pytest.mark.parametrize("text", UNRELATED)
def test_classify_hard_negatives(classifier: Classifier, text: str) -> None:
    verdict = classifier.classify(None, text)
    assert verdict.label == "unrelated", (verdict.score, verdict.reasons)


def test_classify_score_is_a_probability(classifier: Classifier) -> None:
    for text in SECURITY + UNRELATED:
        assert 0.0 <= classifier.classify(None, text).score <= 1.0


def test_classify_title_counts_for_short_articles(classifier: Classifier) -> None:
    bare = classifier.classify(None, "وأوضح المصدر أن البحث ما يزال جاريا.")
    titled = classifier.classify(
        "تفكيك خلية إرهابية موالية لداعش بطنجة", "وأوضح المصدر أن البحث ما يزال جاريا."
    )
    assert titled.score > bare.score and titled.label == "security"


def test_classify_all_seeds_are_security(classifier: Classifier, seeds: dict[str, str]) -> None:
    for number, page in seeds.items():
        assert classifier.classify(None, page).label == "security", number
