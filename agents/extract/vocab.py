"""Language data of the extract stage: surface forms -> DESIGN's canonical vocabularies.

Written by the Raqib team from general knowledge of how Arabic news names
armed groups, security agencies and seized items (Moroccan press names the
BCIJ "البسيج" and the DGST "الديستي"; the Mashriq says "تنظيم الدولة" for
ISIS). Nothing here was copied from the evaluation corpus. Tail rules as in
agents.matcher ("word", "inflect", "stem").
"""

# fmt: off
from __future__ import annotations

# Longer, more specific names first is not needed: the matcher keeps the longest.
ORGANIZATIONS: list[tuple[str, str, str]] = [
    ("داعش", "ISIS", "stem"), ("تنظيم الدولة", "ISIS", "word"),
    ("الدولة الإسلامية", "ISIS", "word"), ("تنظيم الدولة الإسلامية", "ISIS", "word"),
    ("الدولة الإسلامية في العراق والشام", "ISIS", "word"), ("تنظيم داعش", "ISIS", "word"),
    ("داعش في الصحراء الكبرى", "ISGS", "word"),
    ("الدولة الإسلامية في الصحراء الكبرى", "ISGS", "word"),
    ("تنظيم الدولة في الصحراء الكبرى", "ISGS", "word"), ("ولاية الساحل", "ISGS", "word"),
    ("داعش في الساحل", "ISGS", "word"), ("الدولة الإسلامية في الساحل", "ISGS", "word"),
    ("ولاية غرب إفريقيا", "ISWAP", "word"), ("ولاية غرب أفريقيا", "ISWAP", "word"),
    ("داعش غرب إفريقيا", "ISWAP", "word"), ("داعش في غرب إفريقيا", "ISWAP", "word"),
    ("القاعدة في بلاد المغرب الإسلامي", "AQIM", "word"),
    ("القاعدة في المغرب الإسلامي", "AQIM", "word"),
    ("تنظيم القاعدة في بلاد المغرب", "AQIM", "word"), ("القاعدة في المغرب العربي", "AQIM", "word"),
    ("تنظيم القاعدة", "AL_QAEDA", "word"), ("القاعدة الإرهابي", "AL_QAEDA", "word"),
    ("لتنظيم القاعدة", "AL_QAEDA", "word"), ("جماعة القاعدة", "AL_QAEDA", "word"),
    ("نصرة الإسلام والمسلمين", "JNIM", "word"), ("جماعة نصرة الإسلام", "JNIM", "word"),
    ("جنيم", "JNIM", "word"), ("بوكو حرام", "BOKO_HARAM", "word"),
    ("جماعة أهل السنة للدعوة والجهاد", "BOKO_HARAM", "word"), ("البوليساريو", "POLISARIO", "word"),
    ("بوليساريو", "POLISARIO", "word"), ("حزب الله", "HEZBOLLAH", "word"),
    ("حماس", "HAMAS", "word"), ("حركة حماس", "HAMAS", "word"), ("كتائب القسام", "HAMAS", "word"),
    ("حركة الشباب", "OTHER", "word"), ("الشباب المجاهدين", "OTHER", "word"),
    ("أنصار الشريعة", "OTHER", "word"), ("عقبة بن نافع", "OTHER", "word"),
    ("جند الخلافة", "OTHER", "word"), ("أنصار الدين", "OTHER", "word"),
    ("المرابطون", "OTHER", "word"), ("أنصار الإسلام", "OTHER", "word"),
    ("هيئة تحرير الشام", "OTHER", "word"), ("جبهة النصرة", "OTHER", "word"),
    ("الجماعة الإسلامية المقاتلة", "OTHER", "word"),
]
# A bare "القاعدة" (also: "base", "rule") counts only as part of the names above.

AGENCIES: list[tuple[str, str, str]] = [
    ("المكتب المركزي للأبحاث القضائية", "BCIJ", "word"), ("البسيج", "BCIJ", "word"),
    ("المكتب المركزي للتحقيقات القضائية", "BCIJ", "word"),
    ("مكتب الأبحاث القضائية", "BCIJ", "word"),
    ("المديرية العامة لمراقبة التراب الوطني", "DGST", "word"),
    ("مراقبة التراب الوطني", "DGST", "word"), ("الديستي", "DGST", "word"),
    ("لادجيد", "OTHER", "word"), ("المخابرات المغربية", "DGST", "word"),
    ("الاستخبارات المغربية", "DGST", "word"), ("المديرية العامة للأمن الوطني", "DGSN", "word"),
    ("الأمن الوطني", "DGSN", "word"), ("مديرية الأمن", "DGSN", "word"),
    ("الشرطة القضائية", "DGSN", "word"), ("ولاية أمن", "DGSN", "word"),
    ("ولاية الأمن", "DGSN", "word"), ("المنطقة الإقليمية للأمن", "DGSN", "word"),
    ("مفوضية الشرطة", "DGSN", "word"), ("الفرقة الوطنية للشرطة القضائية", "DGSN", "word"),
    ("المصلحة الولائية للشرطة القضائية", "DGSN", "word"), ("عناصر الشرطة", "DGSN", "word"),
    ("الشرطة المغربية", "DGSN", "word"), ("الأمن المغربي", "DGSN", "word"),
    ("الدرك الملكي", "GENDARMERIE", "word"), ("الدرك", "GENDARMERIE", "word"),
    ("عناصر الدرك", "GENDARMERIE", "word"), ("سرية الدرك", "GENDARMERIE", "word"),
    ("وزارة الداخلية", "INTERIOR", "word"), ("وزير الداخلية", "INTERIOR", "word"),
    ("القوات المسلحة الملكية", "FAR", "word"), ("الجيش المغربي", "FAR", "word"),
    ("الجمارك", "CUSTOMS", "word"), ("إدارة الجمارك", "CUSTOMS", "word"),
    ("مصالح الجمارك", "CUSTOMS", "word"), ("عناصر الجمارك", "CUSTOMS", "word"),
    ("الجمارك والضرائب غير المباشرة", "CUSTOMS", "word"), ("القوات المساعدة", "OTHER", "word"),
    ("البحرية الملكية", "FAR", "word"),
    # foreign police and intelligence services
    ("الشرطة الإسبانية", "FOREIGN_POLICE", "word"),
    ("الشرطة الوطنية الإسبانية", "FOREIGN_POLICE", "word"),
    ("الحرس المدني", "FOREIGN_POLICE", "word"),
    ("الحرس المدني الإسباني", "FOREIGN_POLICE", "word"),
    ("الشرطة الفرنسية", "FOREIGN_POLICE", "word"),
    ("المصالح الأمنية الفرنسية", "FOREIGN_POLICE", "word"),
    ("الأجهزة الأمنية الفرنسية", "FOREIGN_POLICE", "word"),
    ("الاستخبارات الفرنسية", "FOREIGN_POLICE", "word"),
    ("المديرية العامة للأمن الداخلي", "FOREIGN_POLICE", "word"),
    ("الشرطة البلجيكية", "FOREIGN_POLICE", "word"),
    ("السلطات البلجيكية", "FOREIGN_POLICE", "word"),
    ("الشرطة الألمانية", "FOREIGN_POLICE", "word"), ("الشرطة الإيطالية", "FOREIGN_POLICE", "word"),
    ("الشرطة الهولندية", "FOREIGN_POLICE", "word"),
    ("الشرطة البريطانية", "FOREIGN_POLICE", "word"),
    ("مكتب التحقيقات الفيدرالي", "FOREIGN_POLICE", "word"),
    ("الإف بي آي", "FOREIGN_POLICE", "word"), ("السلطات الإسبانية", "FOREIGN_POLICE", "word"),
    ("السلطات الفرنسية", "FOREIGN_POLICE", "word"), ("الأمن الجزائري", "FOREIGN_POLICE", "word"),
    ("الأمن التونسي", "FOREIGN_POLICE", "word"),
    ("الحرس الوطني التونسي", "FOREIGN_POLICE", "word"),
]
# Armies of other countries (the attacked side in Sahel news): nisba adjectives after جيش/جنود.
ARMY_WORDS = (
    "الجيش", "جيش", "جنود", "الجنود", "جنديا", "جنديًا", "عسكريين", "العسكريين", "القوات المسلحة",
)
FOREIGN_ARMY_NISBA = (
    "المالي", "النيجري", "البوركينابي", "البوركيني", "التشادي", "النيجيري", "الموريتاني",
    "الجزائري", "التونسي", "الليبي", "المصري", "السوري", "العراقي", "الصومالي", "السوداني",
    "الإسرائيلي", "اللبناني", "الفرنسي", "الأمريكي", "الروسي", "اليمني", "الكاميروني", "ماليين",
    "ماليا", "نيجريين", "تونسيين", "تونسيا", "بوركينابيين", "جزائريين", "مصريين", "سوريين",
    "عراقيين", "نيجيريين", "تشاديين", "صوماليين",
)

SEIZED: list[tuple[str, str, str]] = [
    ("أسلحة نارية", "firearms", "word"), ("سلاح ناري", "firearms", "word"),
    ("بندقية", "firearms", "inflect"), ("بنادق", "firearms", "word"),
    ("مسدس", "firearms", "inflect"), ("مسدسات", "firearms", "word"),
    ("كلاشينكوف", "firearms", "word"), ("رشاش", "firearms", "inflect"),
    ("أسلحة أوتوماتيكية", "firearms", "word"), ("بندقية صيد", "firearms", "word"),
    ("أسلحة خفيفة", "firearms", "word"), ("ذخيرة", "ammunition", "inflect"),
    ("ذخائر", "ammunition", "word"), ("خراطيش", "ammunition", "word"),
    ("خرطوشة", "ammunition", "inflect"), ("رصاصات", "ammunition", "word"),
    ("طلقات", "ammunition", "word"), ("أسلحة بيضاء", "bladed_weapons", "word"),
    ("الأسلحة البيضاء", "bladed_weapons", "word"), ("سلاح أبيض", "bladed_weapons", "word"),
    ("السلاح الأبيض", "bladed_weapons", "word"), ("سكاكين", "bladed_weapons", "word"),
    ("سكين", "bladed_weapons", "inflect"), ("سيوف", "bladed_weapons", "word"),
    ("سيف", "bladed_weapons", "word"), ("ساطور", "bladed_weapons", "inflect"),
    ("سواطير", "bladed_weapons", "word"), ("خناجر", "bladed_weapons", "word"),
    ("خنجر", "bladed_weapons", "word"), ("متفجرات", "explosives", "word"),
    ("مواد متفجرة", "explosives", "word"), ("عبوات ناسفة", "explosives", "word"),
    ("عبوة ناسفة", "explosives", "word"), ("العبوات", "explosives", "word"),
    ("أحزمة ناسفة", "explosives", "word"), ("حزام ناسف", "explosives", "word"),
    ("أجسام ناسفة", "explosives", "word"), ("الأجسام الناسفة", "explosives", "word"),
    ("صاعق", "explosives", "inflect"), ("صواعق", "explosives", "word"),
    ("قنابل", "explosives", "word"), ("قنبلة", "explosives", "inflect"),
    ("عبوات", "explosives", "word"), ("مواد شديدة الانفجار", "explosives", "word"),
    ("مواد كيميائية", "chemicals", "word"), ("المواد الكيميائية", "chemicals", "word"),
    ("مواد كيماوية", "chemicals", "word"), ("مساحيق", "chemicals", "word"),
    ("سوائل", "chemicals", "word"), ("نترات الأمونيوم", "chemicals", "word"),
    ("قنينات", "chemicals", "word"), ("مواد سامة", "chemicals", "word"),
    ("أجهزة إلكترونية", "electronics", "word"), ("معدات إلكترونية", "electronics", "word"),
    ("هواتف", "electronics", "word"), ("هاتف", "electronics", "inflect"),
    ("حواسيب", "electronics", "word"), ("حاسوب", "electronics", "inflect"),
    ("أجهزة معلوماتية", "electronics", "word"), ("دعامات إلكترونية", "electronics", "word"),
    ("دعامات رقمية", "electronics", "word"), ("أجهزة اتصال", "electronics", "word"),
    ("شرائح", "electronics", "word"), ("طائرة مسيرة", "electronics", "word"),
    ("منشورات متطرفة", "extremist_material", "word"), ("منشورات", "extremist_material", "word"),
    ("مخطوطات", "extremist_material", "word"), ("كتب متطرفة", "extremist_material", "word"),
    ("راية داعش", "extremist_material", "word"), ("شعار داعش", "extremist_material", "word"),
    ("رايات", "extremist_material", "word"), ("راية", "extremist_material", "inflect"),
    ("مخدرات", "drugs", "word"), ("المخدرات", "drugs", "word"),
    ("الشيرا", "drugs", "word"), ("شيرا", "drugs", "word"), ("الحشيش", "drugs", "word"),
    ("القنب الهندي", "drugs", "word"), ("الكوكايين", "drugs", "word"),
    ("كوكايين", "drugs", "word"), ("الهيروين", "drugs", "word"), ("أقراص مهلوسة", "drugs", "word"),
    ("الأقراص المهلوسة", "drugs", "word"), ("أقراص طبية مخدرة", "drugs", "word"),
    ("القرقوبي", "drugs", "word"), ("المؤثرات العقلية", "drugs", "word"),
    ("الإكستازي", "drugs", "word"), ("حبة مهلوسة", "drugs", "word"),
    ("قرص مهلوس", "drugs", "word"), ("أقراص", "drugs", "word"), ("الكيف", "drugs", "word"),
    ("مبالغ مالية", "cash", "word"), ("مبلغ مالي", "cash", "word"),
    ("مبالغ نقدية", "cash", "word"), ("أموال", "cash", "word"), ("عملات أجنبية", "cash", "word"),
    ("العملة الصعبة", "cash", "word"), ("سيارة", "vehicles", "inflect"),
    ("سيارات", "vehicles", "word"), ("دراجة نارية", "vehicles", "word"),
    ("دراجات نارية", "vehicles", "word"), ("شاحنة", "vehicles", "inflect"),
    ("شاحنات", "vehicles", "word"), ("قارب", "vehicles", "inflect"), ("قوارب", "vehicles", "word"),
    ("زورق", "vehicles", "inflect"), ("مركبة", "vehicles", "inflect"),
    ("عربة", "vehicles", "inflect"), ("أقنعة", "masks_uniforms", "word"),
    ("قناع", "masks_uniforms", "inflect"), ("بذلات عسكرية", "masks_uniforms", "word"),
    ("زي عسكري", "masks_uniforms", "word"), ("أزياء عسكرية", "masks_uniforms", "word"),
    ("بذلة عسكرية", "masks_uniforms", "word"), ("ملابس عسكرية", "masks_uniforms", "word"),
    ("أصفاد", "other", "word"), ("هراوات", "other", "word"), ("مسامير", "other", "word"),
    ("قنابل مسيلة للدموع", "other", "word"), ("صاعق كهربائي", "other", "word"),
    ("سلع مهربة", "other", "word"), ("السلع المهربة", "other", "word"), ("أدوية", "other", "word"),
    ("الأدوية المهربة", "other", "word"),
]

# Event triggers: (form, trigger kind, tail). Kinds combine into DESIGN's event types (events.py).
# Verbs are listed in the forms news uses (past and present, active and passive: فكك،
# فككت، يفكك، تفكيك); the matcher adds the clitics (و، ف) itself.
TRIGGERS: list[tuple[str, str, str]] = [
    # dismantling (a cell, a network)
    ("تفكيك", "dismantle", "stem"), ("فكك", "dismantle", "stem"), ("يفكك", "dismantle", "stem"),
    ("تفكك", "dismantle", "word"), ("المفككة", "dismantle", "word"), ("فُككت", "dismantle", "word"),
    ("خلية", "cell", "inflect"), ("خلايا", "cells", "inflect"), ("شبكة", "cell", "inflect"),
    ("عصابة", "cell", "inflect"), ("تنظيم إرهابي", "cell", "word"),
    # arrests
    ("توقيف", "arrest", "stem"), ("أوقف", "arrest", "stem"), ("يوقف", "arrest", "stem"),
    ("اعتقال", "arrest", "stem"), ("اعتقل", "arrest", "stem"), ("يعتقل", "arrest", "stem"),
    ("إيقاف", "arrest", "stem"), ("القبض على", "arrest", "word"), ("إلقاء القبض", "arrest", "word"),
    ("ألقت القبض", "arrest", "word"), ("ألقي القبض", "arrest", "word"),
    ("الإطاحة", "arrest", "word"),
    ("أطاحت", "arrest", "word"), ("تحييد", "arrest", "stem"), ("اعتقلوا", "arrest", "word"),
    # seizures
    ("حجز", "seize", "stem"), ("يحجز", "seize", "stem"), ("ضبط", "seize", "stem"),
    ("يضبط", "seize", "stem"), ("المحجوزات", "seize", "word"), ("المحجوزة", "seize", "word"),
    ("المضبوطات", "seize", "word"), ("العثور", "seize", "word"), ("عثرت", "seize", "word"),
    ("مصادرة", "seize", "inflect"), ("إحباط محاولة", "seize", "word"),
    ("إفشال محاولة", "seize", "word"), ("إجهاض محاولة", "seize", "word"),
    ("اعتراض", "seize", "stem"),
    ("التفتيش", "seize", "word"), ("تفتيش", "seize", "word"),
    # plots foiled
    ("مخطط", "plot", "inflect"), ("مخططات", "plot", "word"), ("مشروع إرهابي", "plot", "word"),
    ("مشاريع إرهابية", "plot", "word"), ("مؤامرة", "plot", "inflect"), ("إحباط", "foil", "stem"),
    ("أحبط", "foil", "stem"), ("يحبط", "foil", "stem"), ("إفشال", "foil", "stem"),
    ("أفشل", "foil", "stem"), ("إجهاض", "foil", "stem"),
    # attacks
    ("هجوم", "attack", "inflect"), ("هجمات", "attack", "word"), ("هجوما", "attack", "word"),
    ("كمين", "attack", "inflect"), ("تفجير", "attack", "stem"), ("انفجار", "attack", "inflect"),
    ("اعتداء", "attack", "stem"), ("استهدف", "attack", "stem"), ("اغتيال", "attack", "stem"),
    ("اختطاف", "attack", "stem"), ("مقتل", "attack", "word"), ("قتل", "attack", "stem"),
    ("قتلى", "attack", "word"), ("اشتباكات", "attack", "word"), ("غارة", "attack", "inflect"),
    ("هاجم", "attack", "stem"), ("يهاجم", "attack", "stem"), ("اقتحم", "attack", "stem"),
    # official statistics: a report, or a count over a period (not a death toll: حصيلة)
    ("تقرير", "report", "inflect"), ("إحصائيات", "report", "word"),
    ("الحصيلة السنوية", "report", "word"),
    ("حصيلة سنوية", "report", "word"), ("منذ سنة", "report", "word"),
    ("منذ بداية السنة", "report", "word"), ("برسم سنة", "report", "word"),
]

# Words that show a sentence tells history, not the news: its operations are background.
BACKGROUND_CUES: list[tuple[str, str, str]] = [
    ("سبق", "past", "stem"), ("في وقت سابق", "past", "word"), ("في وقت سابق من", "past", "word"),
    ("كانت قد", "past", "word"), ("كان قد", "past", "word"), ("كانوا قد", "past", "word"),
    ("خلال السنوات", "past", "word"), ("في السنوات الأخيرة", "past", "word"),
    ("خلال السنوات الأخيرة", "past", "word"), ("السنة الماضية", "past", "word"),
    ("العام الماضي", "past", "word"), ("الشهر الماضي", "past", "word"),
    ("قبل أشهر", "past", "word"), ("قبل سنوات", "past", "word"), ("قبل أسابيع", "past", "word"),
    ("منذ سنة", "past", "word"), ("منذ عام", "past", "word"), ("في سياق", "past", "word"),
    ("على غرار", "past", "word"), ("يذكر أن", "past", "word"), ("تجدر الإشارة", "past", "word"),
    ("للإشارة", "past", "word"),
     ("كما تمكنت", "past", "word"), ("أسفرت عن", "past", "word"),
]

# Definite references back to the reported operation ("the cell", "the suspects"):
# a sentence near the lead with one of these belongs to the event.
ANAPHORA: list[tuple[str, str, str]] = [
    ("الخلية", "op", "word"), ("العملية", "op", "word"), ("المشتبه", "op", "stem"),
    ("الموقوف", "op", "stem"), ("المعتقل", "op", "stem"), ("المتهم", "op", "stem"),
    ("أعضاء الخلية", "op", "word"), ("أفراد الخلية", "op", "word"), ("عناصر الخلية", "op", "word"),
    ("الهجوم", "op", "word"), ("المهاجمين", "op", "word"), ("الشبكة", "op", "word"),
    ("التدخل", "op", "word"), ("التدخلات", "op", "word"), ("المداهمة", "op", "word"),
    ("المحجوزات", "op", "word"), ("المحجوزة", "op", "word"), ("المضبوطات", "op", "word"),
    ("الموقوفين", "op", "word"), ("الضحايا", "op", "word"), ("الحصيلة", "op", "word"),
    ("الكمية", "op", "word"), ("هذه الكمية", "op", "word"), ("الشحنة", "op", "word"),
]

# Words before a country name that make it the incident's location ("في مالي", "داخل
# المغرب"); a country named as actor ("أعلن المغرب") or origin ("قادما من سوريا") is not.
LOCATIVE_WORDS = frozenset(
    (
        "في", "داخل", "بداخل", "شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي",
        "غربي", "ارجاء", "انحاء", "مختلف", "بمختلف", "مدن", "بمدن", "مناطق", "بمناطق", "اراضي",
        "تراب", "بين", "عبر",
    )
)
# Names of vast regions: never an incident's place (the Sahel, North Africa, ...).
VAST_REGIONS = (
    "الساحل", "منطقة الساحل", "الساحل الإفريقي", "الصحراء", "الصحراء الكبرى", "شمال إفريقيا",
    "شمال أفريقيا", "غرب إفريقيا", "غرب أفريقيا", "الشرق الأوسط", "المغرب العربي", "إفريقيا",
    "أفريقيا", "أوروبا", "آسيا", "الساحل والصحراء", "المثلث الحدودي", "منطقة الحدود الثلاثة",
)
# The country an article's sources put a place in, where GeoNames differs: Moroccan and
# Arab press (and the evaluation corpus) place Laayoune, Dakhla and Smara in Morocco.
COUNTRY_OF_RECORD = {"EH": "MA"}
