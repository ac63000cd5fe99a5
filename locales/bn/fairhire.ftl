# fairhire — the worker pages, in Bengali (বাংলা).
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
site-name = FairHire যাচাই
# review: needed
skip-link = মূল অংশে যান
# review: needed
languages-label = ভাষা
# review: needed
footer-nav-label = আরও পাতা
# review: needed
nav-search = এজেন্সি যাচাই করুন
# review: needed
nav-report = সমস্যা জানান
# review: needed
footer-text = শ্রমিকদের জন্য বিনামূল্যের সেবা। এটি কখনো আপনার কাছে টাকা চায় না।
# review: needed
date = { $day } { $month } { $year }
# review: needed
month-1 = জানুয়ারি
# review: needed
month-2 = ফেব্রুয়ারি
# review: needed
month-3 = মার্চ
# review: needed
month-4 = এপ্রিল
# review: needed
month-5 = মে
# review: needed
month-6 = জুন
# review: needed
month-7 = জুলাই
# review: needed
month-8 = আগস্ট
# review: needed
month-9 = সেপ্টেম্বর
# review: needed
month-10 = অক্টোবর
# review: needed
month-11 = নভেম্বর
# review: needed
month-12 = ডিসেম্বর

## The start page: search

# review: needed
home-title = রিক্রুটিং এজেন্সি যাচাই করুন
# review: needed
home-intro = কাউকে টাকা দেওয়ার বা পাসপোর্ট দেওয়ার আগে, এখানে এজেন্সি যাচাই করুন।
# review: needed
search-label = এজেন্সির নাম বা লাইসেন্স নম্বর
# review: needed
search-hint = যেমন: Himalayan Manpower, বা DoFE-1234/2075
# review: needed
search-button = খুঁজুন
# review: needed
search-results = “{ $query }” এর ফলাফল
# review: needed
search-none = “{ $query }” নামে কোনো এজেন্সি পাওয়া যায়নি। বানান দেখুন, বা লাইসেন্স নম্বর দিয়ে খুঁজুন।
# review: needed
search-too-short = অন্তত ২টি অক্ষর লিখুন।
# review: needed
search-more = শুধু প্রথম ফলাফলগুলো দেখানো হয়েছে। সঠিক এজেন্সি খুঁজতে নামের আরও অংশ লিখুন।
# review: needed
what-title = “সার্টিফাইড” মানে আমার জন্য কী?
# review: needed
what-certified = একটি সার্টিফাইড এজেন্সিকে একজন স্বাধীন নিরীক্ষক যাচাই করেছেন। তিনি দেখেছেন যে এটি ন্যায্য নিয়োগের নিয়ম মেনে চলে।
# review: needed
what-fees = তবুও: চাকরি পেতে আপনার কখনো ফি দেওয়া উচিত নয়।
# review: needed
what-passport = কেউ আপনার পাসপোর্ট বা অন্য কাগজপত্র রেখে দিতে পারে না।
# review: needed
what-contract = যাওয়ার আগে, আপনি বোঝেন এমন ভাষায় চুক্তিপত্র চান।
# review: needed
what-change = সার্টিফিকেট স্থগিত বা বাতিল হতে পারে। সই করার আগে আবার যাচাই করুন।
# review: needed
report-invite = কিছু ভুল হয়েছে? আপনি জানাতে পারেন। আপনার নাম দিতে হবে না।

## The status card of one agency

# review: needed
status-certified = সার্টিফাইড
# review: needed
status-suspended = স্থগিত
# review: needed
status-withdrawn = সার্টিফিকেট বাতিল
# review: needed
status-expired = সার্টিফিকেটের মেয়াদ শেষ
# review: needed
status-never_certified = সার্টিফাইড নয়
# review: needed
status-applicant = এখনো সার্টিফাইড নয়
# review: needed
meaning-certified = একটি স্বাধীন নিরীক্ষায় দেখা গেছে যে এই এজেন্সি ন্যায্য নিয়োগের নিয়ম মেনে চলে।
# review: needed
meaning-suspended = এই সার্টিফিকেটের উপর ভরসা করবেন না। এই এজেন্সিতে গুরুতর সমস্যা পাওয়া গেছে।
# review: needed
meaning-withdrawn = নিয়ম না মানায় এই এজেন্সির সার্টিফিকেট কেড়ে নেওয়া হয়েছে।
# review: needed
meaning-expired = এই সার্টিফিকেটের মেয়াদ শেষ। এজেন্সিকে আবার যাচাই করা হয়নি।
# review: needed
meaning-never_certified = এই প্রকল্প কখনো এই এজেন্সিকে যাচাই করেনি। এটি ন্যায্য কি না, আমরা বলতে পারি না।
# review: needed
meaning-applicant = এই এজেন্সি যাচাইয়ের জন্য আবেদন করেছে। যাচাই শেষ হয়নি। একে সার্টিফাইড নয় বলে ধরুন।
# review: needed
card-status-heading = অবস্থা
# review: needed
card-remember = মনে রাখুন: চাকরি পেতে কখনো ফি দেওয়া উচিত নয়, আর কেউ আপনার পাসপোর্ট রেখে দিতে পারে না।
# review: needed
card-other-names = অন্য নাম
# review: needed
card-licence-heading = লাইসেন্স
# review: needed
card-licence-number = লাইসেন্স নম্বর
# review: needed
card-licence-authority = যারা দিয়েছে
# review: needed
card-valid = মেয়াদ
# review: needed
card-valid-range = { $from } থেকে { $until } পর্যন্ত
# review: needed
card-valid-from = { $from } থেকে
# review: needed
card-valid-until = { $until } পর্যন্ত
# review: needed
card-valid-unknown = তারিখ জানা নেই
# review: needed
card-licence-expired = সতর্কতা: এই এজেন্সির লাইসেন্স { $date } তারিখে শেষ হয়েছে। বৈধ লাইসেন্স ছাড়া কোনো এজেন্সি শ্রমিক নিয়োগ করতে পারে না।
# review: needed
card-certificate-heading = সার্টিফিকেট
# review: needed
card-certificate-number = সার্টিফিকেট নম্বর
# review: needed
card-certificate-none = এই এজেন্সির কোনো সার্টিফিকেট নেই।
# review: needed
card-certificate-ended = এই সার্টিফিকেট আর বৈধ নয়।
# review: needed
card-certificate-suspended = { $date } থেকে স্থগিত: এর উপর ভরসা করবেন না।
# review: needed
card-checked = { $date } তারিখে যাচাই করা হয়েছে
# review: needed
card-reports = { $count ->
    [one] এই এজেন্সি সম্পর্কে শ্রমিকদের { $count }টি অভিযোগ প্রমাণিত হয়েছে।
   *[other] এই এজেন্সি সম্পর্কে শ্রমিকদের { $count }টি অভিযোগ প্রমাণিত হয়েছে।
}
# review: needed
card-share-heading = এই পাতা অন্যদের দেখান
# review: needed
card-qr-label = এই পাতার ঠিকানাসহ QR কোড
# review: needed
card-qr-help = এই পাতা খুলতে ফোনের ক্যামেরা দিয়ে কোডটি স্ক্যান করুন।
# review: needed
card-report-link = এই এজেন্সি সম্পর্কে সমস্যা জানান

## Reports

# review: needed
report-title = সমস্যা জানান
# review: needed
report-intro = একটি রিক্রুটিং এজেন্সির সাথে কী হয়েছে আমাদের বলুন। আপনার নাম দিতে হবে না। আমরা আপনার ফোন বা ইন্টারনেট ঠিকানা রাখি না।
# review: needed
report-agency = এজেন্সি
# review: needed
report-agency-name = এজেন্সির নাম
# review: needed
report-agency-name-hint = আপনি যেভাবে জানেন সেভাবে নাম লিখুন।
# review: needed
report-category = কী হয়েছিল?
# review: needed
report-category-choose = কী হয়েছিল বেছে নিন
# review: needed
category-recruitment_fee = চাকরি পেতে আমি ফি দিয়েছি
# review: needed
category-medical = আমি মেডিকেল পরীক্ষার টাকা দিয়েছি
# review: needed
category-insurance = আমি বিমার টাকা দিয়েছি
# review: needed
category-skills_test = আমি দক্ষতা পরীক্ষার টাকা দিয়েছি
# review: needed
category-training_orientation = আমি প্রশিক্ষণের টাকা দিয়েছি
# review: needed
category-equipment = আমি যন্ত্রপাতি, পোশাক বা সরঞ্জামের টাকা দিয়েছি
# review: needed
category-travel_lodging = আমি যাতায়াত বা থাকার জায়গার টাকা দিয়েছি
# review: needed
category-administrative = আমি কাগজপত্র, ভিসা বা অনুমতির টাকা দিয়েছি
# review: needed
category-illegitimate = আমি ঘুষ বা অন্য গোপন খরচ দিয়েছি
# review: needed
category-document_retention = তারা আমার পাসপোর্ট বা কাগজপত্র রেখে দিয়েছে
# review: needed
category-contract_substitution = আমার চুক্তিপত্র বদলানো বা পাল্টানো হয়েছে
# review: needed
category-deception = তারা কাজ, বেতন বা জায়গা নিয়ে মিথ্যা বলেছে
# review: needed
category-threats_or_violence = হুমকি বা সহিংসতা
# review: needed
category-other = অন্য কিছু
# review: needed
report-fee-heading = আপনি যে টাকা দিয়েছেন (যদি দিয়ে থাকেন)
# review: needed
report-fee-amount = পরিমাণ
# review: needed
report-fee-currency = মুদ্রা
# review: needed
report-fee-currency-hint = ৩টি অক্ষর, যেমন NPR, BDT, INR, USD।
# review: needed
report-country = যে দেশে এটি ঘটেছে
# review: needed
report-country-choose = একটি দেশ বেছে নিন
# review: needed
report-occurred-on = যে তারিখে এটি ঘটেছে
# review: needed
report-description = কী হয়েছিল, আমাদের বলুন
# review: needed
report-description-hint = যেকোনো ভাষায় লিখুন। { $max } অক্ষর পর্যন্ত।
# review: needed
report-contact = আমরা কীভাবে আপনার সাথে যোগাযোগ করতে পারি? (ঐচ্ছিক)
# review: needed
report-contact-hint = শুধু পর্যালোচনা দল এটি পড়তে পারে। নাম গোপন রাখতে খালি রাখুন।
# review: needed
report-submit = অভিযোগ পাঠান
# review: needed
report-errors-title = অনুগ্রহ করে ফর্মটি দেখুন
# review: needed
report-sent-title = ধন্যবাদ। আপনার অভিযোগ পাওয়া গেছে।
# review: needed
report-reference = আপনার অভিযোগ নম্বর
# review: needed
report-code = আপনার গোপন কোড
# review: needed
report-keep = দুটোই লিখে রাখুন, বা ছবি তুলে রাখুন। অভিযোগের খবর জানতে এগুলো লাগবে। আমরা গোপন কোড আর দেখাতে পারব না।
# review: needed
report-follow-link = আপনার অভিযোগের খবর দেখুন
# review: needed
followup-title = আপনার অভিযোগের খবর দেখুন
# review: needed
followup-intro = অভিযোগ { $reference } এর কী হয়েছে দেখতে আপনার গোপন কোড লিখুন।
# review: needed
followup-code = গোপন কোড
# review: needed
followup-submit = দেখান
# review: needed
followup-state-heading = আপনার অভিযোগ এখন কোথায়
# review: needed
state-received = পাওয়া গেছে। এখনো কেউ দেখেননি।
# review: needed
state-under_review = দেখা হচ্ছে।
# review: needed
state-substantiated = যাচাই করা হয়েছে এবং প্রমাণিত।
# review: needed
state-unsubstantiated = যাচাই করা হয়েছে, কিন্তু প্রমাণ করা যায়নি।
# review: needed
state-referred = ব্যবস্থা নিতে পারে এমন কর্তৃপক্ষের কাছে পাঠানো হয়েছে।
# review: needed
followup-received = { $date } তারিখে পাওয়া গেছে
# review: needed
followup-updated = শেষ পরিবর্তন { $date } তারিখে
# review: needed
followup-reason = পর্যালোচনা দলের মন্তব্য

## Form errors

# review: needed
field-required = এই ঘরটি পূরণ করুন।
# review: needed
field-too-long = এটি খুব লম্বা।
# review: needed
field-invalid = এটি সঠিক নয়।
# review: needed
field-amount = পরিমাণ সংখ্যায় লিখুন, যেমন 1500 বা 1500.50।
# review: needed
field-currency = মুদ্রা ৩টি অক্ষরে লিখুন, যেমন NPR।
# review: needed
field-country = তালিকা থেকে একটি দেশ বেছে নিন।
# review: needed
field-date = ভবিষ্যতের নয় এমন একটি তারিখ লিখুন।
# review: needed
field-agency = এজেন্সি বেছে নিন, বা তার নাম লিখুন।

## Error pages

# review: needed
error-back-home = শুরুর পাতায় যান
# review: needed
error-400-title = ফর্মটি পড়া যায়নি
# review: needed
error-400-body = অনুগ্রহ করে ফর্মটি আবার খুলে পাঠান।
# review: needed
error-404-title = পাতা পাওয়া যায়নি
# review: needed
error-404-body = আমরা এই পাতাটি খুঁজে পাইনি। লিংকটি ভুল বা পুরোনো হতে পারে।
# review: needed
error-403-title = অনুগ্রহ করে ফর্মটি আবার পাঠান
# review: needed
error-403-body = আপনার নিরাপত্তার জন্য, ফর্ম অল্প সময় এবং শুধু এই ওয়েবসাইটে কাজ করে। ফর্মটি আবার খুলে পাঠান।
# review: needed
error-405-title = এই পাতা এটি করতে পারে না
# review: needed
error-405-body = বরং লিংক থেকে পাতাটি খুলুন।
# review: needed
error-413-title = লেখা খুব বেশি
# review: needed
error-413-body = আপনি যা পাঠিয়েছেন তা খুব লম্বা। অনুগ্রহ করে ছোট করুন।
# review: needed
error-429-title = অনুগ্রহ করে একটু অপেক্ষা করুন
# review: needed
error-429-body = আপনার সংযোগ থেকে অনেক অভিযোগ পাঠানো হয়েছে। অনুগ্রহ করে { $minutes ->
    [one] ১ মিনিট
   *[other] { $minutes } মিনিট
} পরে আবার চেষ্টা করুন।
# review: needed
error-500-title = কিছু একটা ভুল হয়েছে
# review: needed
error-500-body = এটি আমাদের ভুল। অনুগ্রহ করে পরে আবার চেষ্টা করুন।
