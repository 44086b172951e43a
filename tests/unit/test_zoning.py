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


PARAGRAPH = (
    "أوقفت عناصر الشرطة بمدينة أكادير، ليلة أمس، ثلاثة أشخاص يشتبه في تورطهم في سرقة "
    "محلات تجارية بالمدينة، وحجزت بحوزتهم أدوات تستعمل في الكسر ومبالغ مالية."
)
PARAGRAPH_2 = (
    "وأفاد مصدر أمني أن الموقوفين وضعوا تحت تدبير الحراسة النظرية، بينما تتواصل الأبحاث "
    "لتحديد باقي المتورطين المحتملين في هذه السرقات."
)
CHROME_TAIL = "شارك الخبر\n\nاترك تعليقاً"


def test_zoning_cut_off_last_sentence_glued_to_paragraph_is_kept() -> None:
    # the scrape ends mid-sentence: a comma inside, no full stop, no blank line above it
    cut = "وفي ختام عملية التفتيش، تم تحرير"
    zoned = zone_page(f"{PARAGRAPH}\n{PARAGRAPH_2}\n{cut}\n\n{CHROME_TAIL}")
    assert zoned.text.splitlines() == [PARAGRAPH, PARAGRAPH_2, cut]


def test_zoning_long_unpunctuated_last_sentence_is_kept() -> None:
    last = "هذه العملية الأمنية تطرح أكثر من سؤال حول ما إذا كانت العصابة تنشط في مدن أخرى"
    zoned = zone_page(f"{PARAGRAPH}\n\n{PARAGRAPH_2}\n\n{last}\n\n{CHROME_TAIL}")
    assert zoned.text.splitlines() == [PARAGRAPH, PARAGRAPH_2, last]


def test_zoning_long_lines_after_body_that_are_not_sentences_stay_out() -> None:
    headlines = [  # two long related headlines, one after the other
        "السلطات المحلية تعلن عن برنامج جديد لتأهيل الأحياء الناقصة التجهيز في ضواحي المدينة",
        "المنتخب الوطني لكرة القدم يستعد لخوض مباراتين وديتين خلال فترة التوقف الدولي المقبلة",
    ]
    read_more = (
        "اقرأ المزيد السلطات المحلية تعلن عن برنامج جديد لتأهيل الأحياء في ضواحي المدينة الكبرى"
    )
    caption = (
        "عناصر من الشرطة خلال عملية التفتيش التي جرت في أحد أحياء المدينة ليلة أمس - أرشيف / تويتر"
    )
    for after in ("\n\n".join(headlines), read_more, caption):
        zoned = zone_page(f"{PARAGRAPH}\n\n{PARAGRAPH_2}\n\n{after}\n\n{CHROME_TAIL}")
        assert zoned.text.splitlines() == [PARAGRAPH, PARAGRAPH_2], after


def test_zoning_photo_captions_with_a_credit_inside_the_body_stay_out() -> None:
    captions = [
        "عناصر من الأمن الوطني خلال تدخل سابق بالمدينة - أرشيف",
        "رجال الشرطة أمام مقر الولاية (أرشيف)",
        "صورة من مكان الحادث - الساعي / تويتر",
        "أفراد من الدرك الملكي في نقطة مراقبة / GETTY IMAGES",
    ]
    for caption in captions:
        zoned = zone_page(f"{PARAGRAPH}\n\n{caption}\n\n{PARAGRAPH_2}")
        assert zoned.text.splitlines() == [PARAGRAPH, PARAGRAPH_2], caption
    # a credit word without the dash, slash or bracket of a credit is text
    sentence = "وقال المصدر إن الموقوفين نشروا صورا للعملية على تويتر"
    zoned = zone_page(f"{PARAGRAPH}\n\n{sentence}\n\n{PARAGRAPH_2}")
    assert sentence in zoned.text.splitlines()


def test_zoning_standfirst_in_its_own_block_stays_in_body() -> None:
    title = "تفكيك عصابة للسرقة بأكادير"
    standfirst = (
        "الموقوفون الثلاثة كانوا يستهدفون المحلات التجارية ليلا ويستعملون أدوات للكسر في عملياتهم"
    )
    zoned = zone_page(f"مجتمع\n\n{title}\n\n{standfirst}\n\n{PARAGRAPH}\n{PARAGRAPH_2}")
    assert zoned.title == title
    assert zoned.text.splitlines() == [standfirst, PARAGRAPH, PARAGRAPH_2]


def test_zoning_title_not_replaced_by_a_byline_above_it() -> None:
    # a one-line block above a long title is a byline or date, not a shorter title
    title = "الشرطة توقف ثلاثة أشخاص يشتبه في تورطهم في سرقة محلات تجارية بمدينة أكادير ليلة أمس"
    zoned = zone_page(f"admin منذ ساعتين Last Update :\n\n{title}\n\n{PARAGRAPH}\n{PARAGRAPH_2}")
    assert zoned.title == title
    assert zoned.text.splitlines() == [PARAGRAPH, PARAGRAPH_2]
