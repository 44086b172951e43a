"""Zoning on the seed pages and on pages written for the tests."""

from __future__ import annotations

from agents.clean import clean
from agents.clean.zoning import zone_page
from streams.records import RawArticle


def kinds(zoned) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, text in zoned.removed:
        out[kind] = out.get(kind, "") + "\n" + text
    return out


def test_zoning_seed_002_ticker_and_widget_removed(seeds) -> None:
    zoned = zone_page(seeds["002"])
    assert zoned.title is None  # "هزيمة الإرهاب": too short to tell from a byline, so not taken
    assert zoned.text.startswith("بتمكنها أخيرا")
    assert "توقعات أحوال الطقس" not in zoned.text
    assert "شكرا على الإبلاغ" not in zoned.text
    assert "انقر هنا" not in zoned.text
    removed = kinds(zoned)
    assert "توقعات أحوال الطقس ليوم غد الإثنين" in removed["ticker"]
    assert "انقر هنا لقراءة الخبر من مصدره" in removed["link"]


def test_zoning_seed_003_byline_is_not_body(seeds) -> None:
    zoned = zone_page(seeds["003"])
    assert zoned.title.startswith("تقرير رسمي ديال الداخلية")
    assert "نشر في كود" not in zoned.text
    assert zoned.text.startswith("قالت وزارة الداخلية")


def test_zoning_seed_000_tweets_hashtags_chrome_and_related_tail(seeds) -> None:
    zoned = zone_page(seeds["000"])
    text = zoned.text
    assert zoned.title.startswith("اليقظة الأمنية المغربية")
    for noise in (
        "pic.twitter.com",
        "DGSN MAROC",
        "#مكافحة_الإرهاب",
        "هاشتاغز",
        "التعليقات",
        "أخبار ذات صلة",
        "يضاهي البنتاغون",
        "الدورية الذكية",
    ):
        assert noise not in text, noise
    assert "تتراوح أعمارهم بين 18 و40" in text
    assert "🔸 للإرهابيين" in text  # bullet lines of the body stay
    assert any("February 19, 2025" in t for t in zoned.tweets)
    removed = kinds(zoned)
    assert "يضاهي البنتاغون" in removed["related"]


def test_zoning_seed_004_label_line_out(seeds) -> None:
    zoned = zone_page(seeds["004"])
    assert "Heure du journal" not in zoned.text
    assert zoned.text.startswith("في عملية أمنية نوعية شهدتها مدينة تامسنا")


PAGE = """\
10:15أسعار المحروقات تواصل الارتفاع في المحطات
10:40المنتخب يستعد لمواجهة حاسمة أمام منافسه
11:05افتتاح معرض الكتاب بحضور وزير الثقافة

حجم الخط:

توقيف مروج مخدرات بحي شعبي في مكناس

أوقفت عناصر الشرطة القضائية بمدينة مكناس، مساء أمس، شابا في العشرينات من عمره للاشتباه في تورطه في ترويج المخدرات، وحجزت بحوزته كمية من الأقراص المهلوسة ومبلغا ماليا.
وأوضح مصدر أمني أن الموقوف وضع تحت تدبير الحراسة النظرية رهن إشارة البحث الذي تشرف عليه النيابة العامة المختصة.
وتتواصل الأبحاث.

- إشهار -

اترك تعليقاً

أخبار ذات صلة

ارتفاع درجات الحرارة في عدد من المدن
توقعت المديرية العامة للأرصاد الجوية ارتفاعا في درجات الحرارة خلال الأيام المقبلة بعدد من مناطق المملكة، مع هبوب رياح قوية في المرتفعات."""


def test_zoning_handmade_page_every_zone() -> None:
    zoned = zone_page(PAGE)
    assert zoned.title == "توقيف مروج مخدرات بحي شعبي في مكناس"
    assert zoned.text.splitlines() == [
        line for line in PAGE.splitlines() if line.startswith(("أوقفت", "وأوضح", "وتتواصل"))
    ]
    removed = kinds(zoned)
    assert "أسعار المحروقات" in removed["ticker"]
    assert "حجم الخط" in removed["boilerplate"] and "اترك تعليقاً" in removed["boilerplate"]
    assert "ارتفاع درجات الحرارة" in removed["related"]


def test_zoning_pipe_separated_ticker_on_one_line() -> None:
    ticker = " | ".join(f"عنوان خبر رقم {i} عن موضوع مختلف تماما" for i in range(8))
    body = "أعلنت السلطات المحلية، صباح اليوم، عن افتتاح طريق جديد يربط بين المدينتين بعد أشغال دامت سنتين، وفق ما أفاد مصدر رسمي."
    zoned = zone_page(ticker + "\n\n" + body)
    assert zoned.text == body
    assert kinds(zoned)["ticker"].count("عنوان خبر") == 8


def test_zoning_short_brief_without_prose_is_kept() -> None:
    zoned = zone_page("توقيف متطرف موال لداعش بسلا")
    assert zoned.text == "توقيف متطرف موال لداعش بسلا"


def test_clean_html_input_goes_through_the_same_zoning() -> None:
    body = "أوقفت عناصر الدرك الملكي بإقليم الناظور شخصين يشتبه في تورطهما في تهريب كمية من الشيرا، وحجزت سيارة كانت تستعمل في نقلها، حسب ما أفاد به مصدر مطلع."
    html = f"<html><head><title>حجز الشيرا</title></head><body><nav>الرئيسية</nav><article><h1>حجز الشيرا بالناظور</h1><p>{body}</p><p>{body}</p></article><footer>جميع الحقوق محفوظة</footer></body></html>"
    article = clean(RawArticle(id="h1", html=html))
    assert body in article.text
    assert "جميع الحقوق محفوظة" not in article.text
