"""Language data of the clean stage: the strings Arabic news sites wrap articles in.

Written by the Raqib team from the interface texts of Arabic news sites
(WordPress themes, comment widgets, share bars, Moroccan and Mashriqi portals);
they are UI phrases, not article text. All entries are in normalised form
(`agents.arabic.normalize`): one alef, ه for ة, ي for ى, no diacritics/tatweel,
lower-case Latin. Matching is on whole segments (see zoning.py), so a phrase
here never removes a sentence that merely contains it.
"""

# fmt: off
from __future__ import annotations

# A standalone line with one of these starts the tail: everything after it is
# related news or page furniture, never the article.
RELATED_HEADERS = (
    "اخبار ذات صله", "مقالات ذات صله", "مواضيع ذات صله", "مواد ذات صله", "اخبار متعلقه",
    "مقالات متعلقه", "اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "شاهد ايضا", "شاهد المزيد",
    "قد يعجبك ايضا", "قد يعجبك", "مقالات قد تعجبك", "مواضيع قد تهمك", "قد يهمك ايضا", "قد يهمك",
    "ننصحك بقراءه", "الاكثر قراءه", "الاكثر قراءه هذا الاسبوع", "الاكثر مشاهده", "الاكثر تعليقا",
    "الاكثر تداولا", "اخر الاخبار", "المزيد من الاخبار", "المزيد من المقالات", "اخبار اخري",
    "مقالات اخري", "تابع ايضا", "المقال التالي", "المقال السابق", "اخبار مشابهه", "ذات صله",
    "you may also like", "related articles", "related posts", "read more", "more stories",
    "a lire aussi", "lire aussi",
)

# Page furniture: comment boxes, share bars, widgets, ads, legal lines. A segment
# is furniture when it IS one of these or starts with one and is short.
FURNITURE = (
    # comments
    "اضف تعليقا", "اضف تعليق", "اضف تعليقك", "اترك تعليقا", "اترك تعليق", "اترك ردا", "اترك رد",
    "التعليقات", "تعليقات", "تعليق", "لا يوجد تعليقات", "لا توجد تعليقات", "ليست هناك تعليقات",
    "ارسال تعليق", "ارسل تعليقا", "اكتب تعليقك", "تم اضافه تعليقك", "لن يتم نشر عنوان بريدك",
    "الحقول الالزاميه", "الحقول المطلوبه", "شارك برايك", "comments", "commentaires",
    "0 commentaires", "verify human", "+ = verify human",
    # share / follow
    "شارك", "شارك الخبر", "شارك هذا الخبر", "شارك المقال", "شارك هذا المقال", "مشاركه", "المشاركه",
    "انشر", "تابعونا على", "تابعنا على", "تابعوا", "اشترك في قناه", "اشترك في", "انضم الي",
    "انضموا الي", "tweet", "share", "facebook", "twitter", "whatsapp", "telegram", "فيسبوك",
    "واتساب", "تويتر", "تلغرام", "تيليغرام", "انستغرام", "يوتيوب", "نسخ الرابط", "ارسل لصديق",
    "طباعه", "طباعه الخبر", "البريد الالكتروني",
    # widgets and controls
    "زر الذهاب الي الاعلى", "الذهاب الي الاعلى", "العوده الي الاعلى", "حجم الخط", "الخط", "a- a+",
    "-a +a", "a+ a-", "استمع للمقال", "استمع الي المقال", "اضافه اعلان", "اعلان", "اشهار",
    "- اشهار -", "advertisement", "advertisements", "publicite", "انت تستخدم اضافه تمنع الاعلانات",
    "يمكنكم تسجيل دخولكم", "تسجيل الدخول", "سجل الدخول", "البث المباشر", "مباشر", "متابعه",
    "شكرا على الابلاغ", "سيتم حجب هذه الصوره", "ابلغ عن", "جرب ميزات الذكاء الاصطناعي",
    "اكتشف ما يمكن ان يفعله", "هاشتاغز", "هاشتاغ", "الوسوم", "وسوم", "كلمات مفتاحيه",
    "الكلمات المفتاحيه", "tags", "اين يمكنك متابعتنا", "الرئيسيه", "home", "cookies",
    "ملفات تعريف الارتباط", "نستخدم ملفات", "موافق", "قبول", "اغلاق", "اشترك الان",
    "النشره البريديه", "newsletter", "اخر المنشورات", "احدث المقالات", "تحميل التطبيق",
    # legal and masthead
    "جميع الحقوق محفوظه", "كل الحقوق محفوظه", "حقوق النشر", "الاشراف العام", "رئيس التحرير",
    "مدير النشر", "هيئه التحرير", "اتصل بنا", "من نحن", "سياسه الخصوصيه", "شروط الاستخدام",
    "all rights reserved",
    # bylines, datelines, credits
    "حول الكاتب", "بقلم", "كتب", "تحرير", "تحرير من طرف", "المصدر", "مصدر", "صدر الصوره",
    "مصدر الصوره", "الصوره", "صوره", "ارشيف", "ارشيفيه", "getty images", "afp", "رويترز", "dr",
    "نشر في", "نشر بتاريخ", "تاريخ النشر", "اخر تحديث", "last update", "منذ", "نشر", "حتلن",
    "حرر بتاريخ", "حرر في", "حرر من طرف", "بواسطه", "المحرر", "محرر",
)

# Phrases that are a link to elsewhere, not content.
LINKS = (
    "انقر هنا", "اضغط هنا", "اضغط. هنا", "اكمل القراءه", "تابع القراءه", "لقراءه الخبر من مصدره",
    "لقراءه المقال كاملا", "اقرا الخبر من المصدر", "اقرا المقال من المصدر", "رابط الخبر", "للمزيد",
    "المزيد", "continue reading", "lire la suite",
)

# Phrases that only ever occur in page furniture, whatever the length of the
# segment around them (consent banners, ad-blocker and paywall notices, comment forms).
FURNITURE_ANYWHERE = (
    "لن يتم نشر عنوان بريدك", "الحقول الالزاميه مشار اليها", "ملفات تعريف الارتباط",
    "مانع الاعلانات", "اضافه تمنع الاعلانات", "زيارتكم لموقعنا", "تجربه التصفح",
    "يمكنكم مطالعه المقال", "تسجيل دخول المشتركين", "ان كنتم مشتركين", "للاشتراك في الموقع",
    "هذا المحتوى مخصص للمشتركين", "سجل دخولك", "فعل الاشعارات", "نستخدم ملفات", "verify human",
    "all rights reserved", "جميع الحقوق محفوظه", "سيتم حجب هذه الصوره", "شكرا على الابلاغ",
    "الابلاغ عن هذه الصوره", "ابلغ عن محتوى",
)
