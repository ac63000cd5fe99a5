# fairhire — the worker pages, in Arabic (العربية), written right to left.
#
# MACHINE-ASSISTED DRAFT: these translations were written without a native speaker and must be
# reviewed by one before they are relied on. Each message not yet reviewed has the line
# `# review: needed` just above it: when you have checked or corrected a message, delete that line.
# `grep -c 'review: needed' locales/*/fairhire.ftl` shows what is left to review.
#
# The message names (left of "=") and the { $variables } must stay as in locales/en/fairhire.ftl;
# change only the text. Keep it short and plain.

## Every page

# review: needed
site-name = فحص FairHire
# review: needed
skip-link = انتقل إلى المحتوى الرئيسي
# review: needed
languages-label = اللغة
# review: needed
footer-nav-label = صفحات أخرى
# review: needed
nav-search = افحص وكالة
# review: needed
nav-report = أبلغ عن مشكلة
# review: needed
footer-text = خدمة مجانية للعمال. لا تطلب منك المال أبدًا.
# review: needed
date = { $day } { $month } { $year }
# review: needed
month-1 = يناير
# review: needed
month-2 = فبراير
# review: needed
month-3 = مارس
# review: needed
month-4 = أبريل
# review: needed
month-5 = مايو
# review: needed
month-6 = يونيو
# review: needed
month-7 = يوليو
# review: needed
month-8 = أغسطس
# review: needed
month-9 = سبتمبر
# review: needed
month-10 = أكتوبر
# review: needed
month-11 = نوفمبر
# review: needed
month-12 = ديسمبر

## The start page: search

# review: needed
home-title = افحص وكالة توظيف
# review: needed
home-intro = قبل أن تدفع لأي شخص أو تسلّم جواز سفرك، افحص الوكالة هنا.
# review: needed
search-label = اسم الوكالة أو رقم الترخيص
# review: needed
search-hint = مثال: Himalayan Manpower أو DoFE-1234/2075
# review: needed
search-button = ابحث
# review: needed
search-results = نتائج البحث عن «{ $query }»
# review: needed
search-none = لم نجد وكالة باسم «{ $query }». تأكد من الكتابة، أو جرّب رقم الترخيص.
# review: needed
search-too-short = اكتب حرفين على الأقل.
# review: needed
search-more = تظهر النتائج الأولى فقط. اكتب جزءًا أكبر من الاسم لتجد الوكالة الصحيحة.
# review: needed
what-title = ماذا تعني كلمة «معتمدة» بالنسبة لي؟
# review: needed
what-certified = الوكالة المعتمدة فحصها مدقق مستقل، ووجد أنها تتبع قواعد التوظيف العادل.
# review: needed
what-fees = ومع ذلك: لا يجب أن تدفع أي رسوم للحصول على عمل.
# review: needed
what-passport = لا يحق لأحد أن يحتفظ بجواز سفرك أو أوراقك الأخرى.
# review: needed
what-contract = اطلب عقدك بلغة تفهمها، قبل أن تسافر.
# review: needed
what-change = يمكن تعليق الشهادة أو سحبها. افحص مرة أخرى قبل أن توقّع.
# review: needed
report-invite = هل حدث شيء خاطئ؟ يمكنك الإبلاغ عنه. لا داعي لذكر اسمك.

## The status card of one agency

# review: needed
status-certified = معتمدة
# review: needed
status-suspended = معلّقة
# review: needed
status-withdrawn = سُحبت الشهادة
# review: needed
status-expired = انتهت الشهادة
# review: needed
status-never_certified = غير معتمدة
# review: needed
status-applicant = غير معتمدة بعد
# review: needed
meaning-certified = وجد تدقيق مستقل أن هذه الوكالة تتبع قواعد التوظيف العادل.
# review: needed
meaning-suspended = لا تعتمد على هذه الشهادة. وُجدت مشاكل خطيرة في هذه الوكالة.
# review: needed
meaning-withdrawn = سُحبت شهادة هذه الوكالة لأنها لم تتبع القواعد.
# review: needed
meaning-expired = هذه الشهادة لم تعد سارية. لم تُفحص الوكالة مرة أخرى.
# review: needed
meaning-never_certified = لم يفحص هذا البرنامج هذه الوكالة أبدًا. لا نستطيع أن نقول إن كانت عادلة.
# review: needed
meaning-applicant = طلبت هذه الوكالة أن تُفحص. الفحص لم ينتهِ. اعتبرها غير معتمدة.
# review: needed
card-status-heading = الحالة
# review: needed
card-remember = تذكّر: لا يجب أن تدفع رسومًا للحصول على عمل، ولا يحق لأحد أن يحتفظ بجواز سفرك.
# review: needed
card-other-names = تُعرف أيضًا باسم
# review: needed
card-licence-heading = الترخيص
# review: needed
card-licence-number = رقم الترخيص
# review: needed
card-licence-authority = الجهة المُصدِرة
# review: needed
card-valid = الصلاحية
# review: needed
card-valid-range = من { $from } إلى { $until }
# review: needed
card-valid-from = من { $from }
# review: needed
card-valid-until = حتى { $until }
# review: needed
card-valid-unknown = التواريخ غير معروفة
# review: needed
card-licence-expired = تحذير: انتهى ترخيص هذه الوكالة في { $date }. لا يجوز لوكالة بلا ترخيص ساري أن توظّف العمال.
# review: needed
card-certificate-heading = الشهادة
# review: needed
card-certificate-number = رقم الشهادة
# review: needed
card-certificate-none = ليس لهذه الوكالة شهادة.
# review: needed
card-certificate-ended = هذه الشهادة لم تعد سارية.
# review: needed
card-certificate-suspended = معلّقة منذ { $date }: لا تعتمد عليها.
# review: needed
card-checked = تم الفحص في { $date }
# review: needed
card-reports = عدد بلاغات العمال المؤكدة عن هذه الوكالة: { $count }.
# review: needed
card-share-heading = اعرض هذه الصفحة على الآخرين
# review: needed
card-qr-label = رمز QR يحمل عنوان هذه الصفحة
# review: needed
card-qr-help = امسح الرمز بكاميرا الهاتف لفتح هذه الصفحة.
# review: needed
card-report-link = أبلغ عن مشكلة مع هذه الوكالة

## Reports

# review: needed
report-title = أبلغ عن مشكلة
# review: needed
report-intro = أخبرنا بما حدث مع وكالة توظيف. لا داعي لذكر اسمك. نحن لا نسجّل هاتفك ولا عنوانك على الإنترنت.
# review: needed
report-agency = الوكالة
# review: needed
report-agency-name = اسم الوكالة
# review: needed
report-agency-name-hint = اكتب الاسم كما تعرفه.
# review: needed
report-category = ماذا حدث؟
# review: needed
report-category-choose = اختر ما حدث
# review: needed
category-recruitment_fee = دفعت رسومًا للحصول على العمل
# review: needed
category-medical = دفعت ثمن الفحص الطبي
# review: needed
category-insurance = دفعت ثمن التأمين
# review: needed
category-skills_test = دفعت ثمن اختبار المهارات
# review: needed
category-training_orientation = دفعت ثمن التدريب
# review: needed
category-equipment = دفعت ثمن أدوات أو ملابس أو معدات
# review: needed
category-travel_lodging = دفعت ثمن السفر أو السكن
# review: needed
category-administrative = دفعت ثمن أوراق أو تأشيرة أو تصريح
# review: needed
category-illegitimate = دفعت رشوة أو تكلفة خفية أخرى
# review: needed
category-document_retention = احتفظوا بجواز سفري أو أوراقي
# review: needed
category-contract_substitution = تم تغيير عقدي أو استبداله
# review: needed
category-deception = كذبوا بشأن العمل أو الأجر أو المكان
# review: needed
category-threats_or_violence = تهديد أو عنف
# review: needed
category-other = شيء آخر
# review: needed
report-fee-heading = المال الذي دفعته (إن وُجد)
# review: needed
report-fee-amount = المبلغ
# review: needed
report-fee-currency = العملة
# review: needed
report-fee-currency-hint = 3 أحرف، مثل NPR أو BDT أو INR أو USD.
# review: needed
report-country = البلد الذي حدث فيه ذلك
# review: needed
report-country-choose = اختر بلدًا
# review: needed
report-occurred-on = تاريخ حدوث ذلك
# review: needed
report-description = أخبرنا بما حدث
# review: needed
report-description-hint = اكتب بأي لغة. حتى { $max } حرف.
# review: needed
report-contact = كيف يمكننا التواصل معك؟ (اختياري)
# review: needed
report-contact-hint = لا يقرأ هذا إلا فريق المراجعة. اتركه فارغًا لتبقى مجهول الهوية.
# review: needed
report-submit = أرسل البلاغ
# review: needed
report-errors-title = يرجى مراجعة النموذج
# review: needed
report-sent-title = شكرًا لك. وصلنا بلاغك.
# review: needed
report-reference = رقم بلاغك
# review: needed
report-code = رمزك السري
# review: needed
report-keep = اكتب الاثنين أو التقط لهما صورة. ستحتاجهما لمتابعة بلاغك. لا يمكننا عرض الرمز السري مرة أخرى.
# review: needed
report-follow-link = تابع بلاغك
# review: needed
followup-title = تابع بلاغك
# review: needed
followup-intro = اكتب رمزك السري لترى ما حدث للبلاغ { $reference }.
# review: needed
followup-code = الرمز السري
# review: needed
followup-submit = اعرض
# review: needed
followup-state-heading = أين وصل بلاغك
# review: needed
state-received = وصل. لم ينظر فيه أحد بعد.
# review: needed
state-under_review = قيد المراجعة.
# review: needed
state-substantiated = تمت مراجعته وتأكيده.
# review: needed
state-unsubstantiated = تمت مراجعته، لكن لم يمكن تأكيده.
# review: needed
state-referred = أُحيل إلى الجهات التي يمكنها التصرف.
# review: needed
followup-received = وصل في { $date }
# review: needed
followup-updated = آخر تغيير في { $date }
# review: needed
followup-reason = ملاحظة من فريق المراجعة

## Form errors

# review: needed
field-required = املأ هذه الخانة.
# review: needed
field-too-long = هذا طويل جدًا.
# review: needed
field-invalid = هذا غير صحيح.
# review: needed
field-amount = اكتب المبلغ بالأرقام، مثل 1500 أو 1500.50.
# review: needed
field-currency = اكتب العملة بثلاثة أحرف، مثل NPR.
# review: needed
field-country = اختر بلدًا من القائمة.
# review: needed
field-date = اكتب تاريخًا ليس في المستقبل.
# review: needed
field-agency = اختر الوكالة، أو اكتب اسمها.

## Error pages

# review: needed
error-back-home = اذهب إلى الصفحة الأولى
# review: needed
error-400-title = تعذّرت قراءة النموذج
# review: needed
error-400-body = يرجى فتح النموذج مرة أخرى وإرساله.
# review: needed
error-404-title = الصفحة غير موجودة
# review: needed
error-404-body = لم نجد هذه الصفحة. ربما الرابط خاطئ أو قديم.
# review: needed
error-403-title = يرجى إرسال النموذج مرة أخرى
# review: needed
error-403-body = لسلامتك، يعمل النموذج لوقت قصير وعلى هذا الموقع فقط. افتح النموذج مرة أخرى وأرسله.
# review: needed
error-405-title = لا تستطيع هذه الصفحة فعل ذلك
# review: needed
error-405-body = افتح الصفحة من رابطها بدلًا من ذلك.
# review: needed
error-413-title = النص طويل جدًا
# review: needed
error-413-body = ما أرسلته طويل جدًا. يرجى تقصيره.
# review: needed
error-429-title = يرجى الانتظار قليلًا
# review: needed
error-429-body = أُرسل عدد كبير جدًا من البلاغات من اتصالك. يرجى المحاولة مرة أخرى بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
# review: needed
error-500-title = حدث خطأ ما
# review: needed
error-500-body = هذا خطؤنا. يرجى المحاولة لاحقًا.
