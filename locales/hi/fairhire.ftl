# fairhire — the worker pages, in Hindi (हिन्दी).
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
site-name = FairHire जाँच
# review: needed
skip-link = मुख्य भाग पर जाएँ
# review: needed
languages-label = भाषा
# review: needed
footer-nav-label = और पन्ने
# review: needed
nav-search = एजेंसी जाँचें
# review: needed
nav-report = समस्या बताएँ
# review: needed
footer-text = कामगारों के लिए मुफ़्त सेवा। यह आपसे कभी पैसे नहीं माँगती।
# review: needed
date = { $day } { $month } { $year }
# review: needed
month-1 = जनवरी
# review: needed
month-2 = फ़रवरी
# review: needed
month-3 = मार्च
# review: needed
month-4 = अप्रैल
# review: needed
month-5 = मई
# review: needed
month-6 = जून
# review: needed
month-7 = जुलाई
# review: needed
month-8 = अगस्त
# review: needed
month-9 = सितंबर
# review: needed
month-10 = अक्टूबर
# review: needed
month-11 = नवंबर
# review: needed
month-12 = दिसंबर

## The start page: search

# review: needed
home-title = भर्ती एजेंसी जाँचें
# review: needed
home-intro = किसी को पैसे देने या अपना पासपोर्ट देने से पहले, यहाँ एजेंसी जाँचें।
# review: needed
search-label = एजेंसी का नाम या लाइसेंस नंबर
# review: needed
search-hint = उदाहरण: Himalayan Manpower, या DoFE-1234/2075
# review: needed
search-button = खोजें
# review: needed
search-results = “{ $query }” के नतीजे
# review: needed
search-none = “{ $query }” नाम की कोई एजेंसी नहीं मिली। वर्तनी जाँचें, या लाइसेंस नंबर से खोजें।
# review: needed
search-too-short = कम से कम 2 अक्षर लिखें।
# review: needed
search-more = सिर्फ़ पहले नतीजे दिखाए गए हैं। सही एजेंसी ढूँढने के लिए नाम का और हिस्सा लिखें।
# review: needed
what-title = “प्रमाणित” का मेरे लिए क्या मतलब है?
# review: needed
what-certified = प्रमाणित एजेंसी की जाँच एक स्वतंत्र ऑडिटर ने की है। ऑडिटर ने पाया कि यह निष्पक्ष भर्ती के नियम मानती है।
# review: needed
what-fees = फिर भी: नौकरी पाने के लिए आपको कभी कोई फ़ीस नहीं देनी चाहिए।
# review: needed
what-passport = कोई भी आपका पासपोर्ट या दूसरे काग़ज़ अपने पास नहीं रख सकता।
# review: needed
what-contract = जाने से पहले, अपना अनुबंध ऐसी भाषा में माँगें जो आप समझते हों।
# review: needed
what-change = प्रमाणपत्र निलंबित या रद्द हो सकता है। दस्तख़त करने से पहले फिर से जाँचें।
# review: needed
report-invite = कुछ गलत हुआ? आप इसकी शिकायत कर सकते हैं। अपना नाम देना ज़रूरी नहीं है।

## The status card of one agency

# review: needed
status-certified = प्रमाणित
# review: needed
status-suspended = निलंबित
# review: needed
status-withdrawn = प्रमाणपत्र रद्द
# review: needed
status-expired = प्रमाणपत्र की अवधि ख़त्म
# review: needed
status-never_certified = प्रमाणित नहीं
# review: needed
status-applicant = अभी प्रमाणित नहीं
# review: needed
meaning-certified = एक स्वतंत्र ऑडिट में पाया गया कि यह एजेंसी निष्पक्ष भर्ती के नियम मानती है।
# review: needed
meaning-suspended = इस प्रमाणपत्र पर भरोसा न करें। इस एजेंसी में गंभीर समस्याएँ मिली हैं।
# review: needed
meaning-withdrawn = नियम न मानने के कारण इस एजेंसी का प्रमाणपत्र छीन लिया गया है।
# review: needed
meaning-expired = इस प्रमाणपत्र की अवधि ख़त्म हो गई है। एजेंसी की फिर से जाँच नहीं हुई है।
# review: needed
meaning-never_certified = इस योजना ने इस एजेंसी की कभी जाँच नहीं की। यह निष्पक्ष है या नहीं, हम नहीं बता सकते।
# review: needed
meaning-applicant = इस एजेंसी ने जाँच के लिए आवेदन किया है। जाँच पूरी नहीं हुई है। इसे प्रमाणित नहीं मानें।
# review: needed
card-status-heading = स्थिति
# review: needed
card-remember = याद रखें: नौकरी पाने के लिए कभी फ़ीस नहीं देनी चाहिए, और कोई भी आपका पासपोर्ट नहीं रख सकता।
# review: needed
card-other-names = दूसरे नाम
# review: needed
card-licence-heading = लाइसेंस
# review: needed
card-licence-number = लाइसेंस नंबर
# review: needed
card-licence-authority = जारी करने वाला
# review: needed
card-valid = वैधता
# review: needed
card-valid-range = { $from } से { $until } तक
# review: needed
card-valid-from = { $from } से
# review: needed
card-valid-until = { $until } तक
# review: needed
card-valid-unknown = तारीख़ पता नहीं
# review: needed
card-licence-expired = चेतावनी: इस एजेंसी का लाइसेंस { $date } को ख़त्म हो गया। बिना वैध लाइसेंस वाली एजेंसी कामगारों की भर्ती नहीं कर सकती।
# review: needed
card-certificate-heading = प्रमाणपत्र
# review: needed
card-certificate-number = प्रमाणपत्र नंबर
# review: needed
card-certificate-none = इस एजेंसी के पास कोई प्रमाणपत्र नहीं है।
# review: needed
card-certificate-ended = यह प्रमाणपत्र अब वैध नहीं है।
# review: needed
card-certificate-suspended = { $date } से निलंबित: इस पर भरोसा न करें।
# review: needed
card-checked = { $date } को जाँचा गया
# review: needed
card-reports = { $count ->
    [one] इस एजेंसी के बारे में कामगारों की { $count } शिकायत सही पाई गई।
   *[other] इस एजेंसी के बारे में कामगारों की { $count } शिकायतें सही पाई गईं।
}
# review: needed
card-share-heading = यह पन्ना दूसरों को दिखाएँ
# review: needed
card-qr-label = इस पन्ने के पते वाला QR कोड
# review: needed
card-qr-help = यह पन्ना खोलने के लिए फ़ोन के कैमरे से कोड स्कैन करें।
# review: needed
card-report-link = इस एजेंसी के बारे में समस्या बताएँ

## Reports

# review: needed
report-title = समस्या बताएँ
# review: needed
report-intro = हमें बताएँ कि भर्ती एजेंसी के साथ क्या हुआ। अपना नाम देना ज़रूरी नहीं है। हम आपका फ़ोन या इंटरनेट पता दर्ज नहीं करते।
# review: needed
report-agency = एजेंसी
# review: needed
report-agency-name = एजेंसी का नाम
# review: needed
report-agency-name-hint = नाम वैसे लिखें जैसे आप जानते हैं।
# review: needed
report-category = क्या हुआ?
# review: needed
report-category-choose = चुनें कि क्या हुआ
# review: needed
category-recruitment_fee = नौकरी पाने के लिए मैंने फ़ीस दी
# review: needed
category-medical = मैंने मेडिकल जाँच के पैसे दिए
# review: needed
category-insurance = मैंने बीमे के पैसे दिए
# review: needed
category-skills_test = मैंने कौशल परीक्षा के पैसे दिए
# review: needed
category-training_orientation = मैंने ट्रेनिंग के पैसे दिए
# review: needed
category-equipment = मैंने औज़ार, कपड़े या सामान के पैसे दिए
# review: needed
category-travel_lodging = मैंने यात्रा या रहने की जगह के पैसे दिए
# review: needed
category-administrative = मैंने काग़ज़ात, वीज़ा या परमिट के पैसे दिए
# review: needed
category-illegitimate = मैंने रिश्वत या कोई छिपा हुआ ख़र्च दिया
# review: needed
category-document_retention = उन्होंने मेरा पासपोर्ट या काग़ज़ात रख लिए
# review: needed
category-contract_substitution = मेरा अनुबंध बदला गया या बदल दिया गया
# review: needed
category-deception = उन्होंने काम, वेतन या जगह के बारे में झूठ बोला
# review: needed
category-threats_or_violence = धमकी या हिंसा
# review: needed
category-other = कुछ और
# review: needed
report-fee-heading = आपने जो पैसे दिए (अगर दिए हों)
# review: needed
report-fee-amount = रकम
# review: needed
report-fee-currency = मुद्रा
# review: needed
report-fee-currency-hint = 3 अक्षर, जैसे NPR, BDT, INR, USD।
# review: needed
report-country = जिस देश में यह हुआ
# review: needed
report-country-choose = देश चुनें
# review: needed
report-occurred-on = जिस तारीख़ को यह हुआ
# review: needed
report-description = हमें बताएँ कि क्या हुआ
# review: needed
report-description-hint = किसी भी भाषा में लिखें। { $max } अक्षरों तक।
# review: needed
report-contact = हम आपसे कैसे संपर्क करें? (वैकल्पिक)
# review: needed
report-contact-hint = इसे सिर्फ़ समीक्षा टीम पढ़ सकती है। गुमनाम रहने के लिए इसे ख़ाली छोड़ें।
# review: needed
report-submit = शिकायत भेजें
# review: needed
report-errors-title = कृपया फ़ॉर्म जाँचें
# review: needed
report-sent-title = धन्यवाद। आपकी शिकायत मिल गई है।
# review: needed
report-reference = आपकी शिकायत संख्या
# review: needed
report-code = आपका गुप्त कोड
# review: needed
report-keep = दोनों लिख लें, या फ़ोटो ले लें। अपनी शिकायत की स्थिति देखने के लिए इनकी ज़रूरत होगी। हम गुप्त कोड दोबारा नहीं दिखा सकते।
# review: needed
report-follow-link = अपनी शिकायत की स्थिति देखें
# review: needed
followup-title = अपनी शिकायत की स्थिति देखें
# review: needed
followup-intro = शिकायत { $reference } का क्या हुआ, यह देखने के लिए अपना गुप्त कोड लिखें।
# review: needed
followup-code = गुप्त कोड
# review: needed
followup-submit = दिखाएँ
# review: needed
followup-state-heading = आपकी शिकायत कहाँ है
# review: needed
state-received = मिल गई। अभी तक किसी ने नहीं देखी।
# review: needed
state-under_review = देखी जा रही है।
# review: needed
state-substantiated = जाँची गई और सही पाई गई।
# review: needed
state-unsubstantiated = जाँची गई, पर पुष्टि नहीं हो सकी।
# review: needed
state-referred = कार्रवाई कर सकने वाले अधिकारियों को भेजी गई।
# review: needed
followup-received = { $date } को मिली
# review: needed
followup-updated = आख़िरी बदलाव { $date } को
# review: needed
followup-reason = समीक्षा टीम की टिप्पणी

## Form errors

# review: needed
field-required = यह भरें।
# review: needed
field-too-long = यह बहुत लंबा है।
# review: needed
field-invalid = यह सही नहीं है।
# review: needed
field-amount = रकम अंकों में लिखें, जैसे 1500 या 1500.50।
# review: needed
field-currency = मुद्रा 3 अक्षरों में लिखें, जैसे NPR।
# review: needed
field-country = सूची से देश चुनें।
# review: needed
field-date = ऐसी तारीख़ लिखें जो भविष्य की न हो।
# review: needed
field-agency = एजेंसी चुनें, या उसका नाम लिखें।

## Error pages

# review: needed
error-back-home = शुरू के पन्ने पर जाएँ
# review: needed
error-400-title = फ़ॉर्म पढ़ा नहीं जा सका
# review: needed
error-400-body = कृपया फ़ॉर्म फिर से खोलें और भेजें।
# review: needed
error-404-title = पन्ना नहीं मिला
# review: needed
error-404-body = हमें यह पन्ना नहीं मिला। लिंक गलत या पुराना हो सकता है।
# review: needed
error-403-title = कृपया फ़ॉर्म फिर से भेजें
# review: needed
error-403-body = आपकी सुरक्षा के लिए, फ़ॉर्म थोड़े समय तक और सिर्फ़ इसी वेबसाइट पर काम करता है। फ़ॉर्म फिर से खोलें और भेजें।
# review: needed
error-405-title = यह पन्ना यह नहीं कर सकता
# review: needed
error-405-body = इसकी जगह लिंक से पन्ना खोलें।
# review: needed
error-413-title = बहुत ज़्यादा लिखा है
# review: needed
error-413-body = आपने जो भेजा वह बहुत लंबा है। कृपया छोटा करें।
# review: needed
error-429-title = कृपया थोड़ा रुकें
# review: needed
error-429-body = आपके कनेक्शन से बहुत सारी शिकायतें भेजी गईं। कृपया { $minutes ->
    [one] 1 मिनट
   *[other] { $minutes } मिनट
} बाद फिर कोशिश करें।
# review: needed
error-500-title = कुछ गड़बड़ हो गई
# review: needed
error-500-body = यह हमारी गलती है। कृपया बाद में फिर कोशिश करें।
