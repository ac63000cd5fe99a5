# fairhire — the worker pages, in Nepali (नेपाली).
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
skip-link = मुख्य भागमा जानुहोस्
# review: needed
languages-label = भाषा
# review: needed
footer-nav-label = अन्य पृष्ठहरू
# review: needed
nav-search = एजेन्सी जाँच्नुहोस्
# review: needed
nav-report = समस्या रिपोर्ट गर्नुहोस्
# review: needed
footer-text = कामदारहरूका लागि निःशुल्क सेवा। यसले तपाईंसँग कहिल्यै पैसा माग्दैन।
# review: needed
date = { $year } { $month } { $day }
# review: needed
month-1 = जनवरी
# review: needed
month-2 = फेब्रुअरी
# review: needed
month-3 = मार्च
# review: needed
month-4 = अप्रिल
# review: needed
month-5 = मे
# review: needed
month-6 = जुन
# review: needed
month-7 = जुलाई
# review: needed
month-8 = अगस्ट
# review: needed
month-9 = सेप्टेम्बर
# review: needed
month-10 = अक्टोबर
# review: needed
month-11 = नोभेम्बर
# review: needed
month-12 = डिसेम्बर

## The start page: search

# review: needed
home-title = भर्ती एजेन्सी जाँच्नुहोस्
# review: needed
home-intro = कसैलाई पैसा तिर्नु वा राहदानी दिनुअघि, यहाँ एजेन्सी जाँच्नुहोस्।
# review: needed
search-label = एजेन्सीको नाम वा इजाजतपत्र नम्बर
# review: needed
search-hint = उदाहरण: Himalayan Manpower, वा DoFE-1234/2075
# review: needed
search-button = खोज्नुहोस्
# review: needed
search-results = “{ $query }” का नतिजा
# review: needed
search-none = “{ $query }” नामको एजेन्सी भेटिएन। हिज्जे जाँच्नुहोस्, वा इजाजतपत्र नम्बर प्रयोग गर्नुहोस्।
# review: needed
search-too-short = कम्तीमा २ अक्षर लेख्नुहोस्।
# review: needed
search-more = पहिलो नतिजा मात्र देखाइएको छ। सही एजेन्सी भेट्न नामको अझ बढी भाग लेख्नुहोस्।
# review: needed
what-title = “प्रमाणित” भनेको मेरो लागि के हो?
# review: needed
what-certified = प्रमाणित एजेन्सीलाई स्वतन्त्र लेखापरीक्षकले जाँचेको हुन्छ। उसले यो एजेन्सीले निष्पक्ष भर्तीका नियम पालना गर्छ भनी पाएको हो।
# review: needed
what-fees = तैपनि: काम पाउन तपाईंले कहिल्यै शुल्क तिर्नु हुँदैन।
# review: needed
what-passport = कसैले पनि तपाईंको राहदानी वा अन्य कागजात राख्न पाउँदैन।
# review: needed
what-contract = जानुअघि, आफूले बुझ्ने भाषामा करारपत्र माग्नुहोस्।
# review: needed
what-change = प्रमाणपत्र निलम्बन वा खारेज हुन सक्छ। हस्ताक्षर गर्नुअघि फेरि जाँच्नुहोस्।
# review: needed
report-invite = केही गलत भयो? तपाईं रिपोर्ट गर्न सक्नुहुन्छ। आफ्नो नाम दिनु पर्दैन।

## The status card of one agency

# review: needed
status-certified = प्रमाणित
# review: needed
status-suspended = निलम्बित
# review: needed
status-withdrawn = प्रमाणपत्र खारेज
# review: needed
status-expired = प्रमाणपत्रको म्याद सकियो
# review: needed
status-never_certified = प्रमाणित छैन
# review: needed
status-applicant = अझै प्रमाणित छैन
# review: needed
meaning-certified = स्वतन्त्र लेखापरीक्षणले यो एजेन्सीले निष्पक्ष भर्तीका नियम पालना गर्छ भनी पाएको छ।
# review: needed
meaning-suspended = यो प्रमाणपत्रमा भर नपर्नुहोस्। यो एजेन्सीमा गम्भीर समस्या भेटिएका छन्।
# review: needed
meaning-withdrawn = नियम पालना नगरेकाले यो एजेन्सीको प्रमाणपत्र खोसिएको छ।
# review: needed
meaning-expired = यो प्रमाणपत्रको म्याद सकिएको छ। एजेन्सीलाई फेरि जाँचिएको छैन।
# review: needed
meaning-never_certified = यो योजनाले यो एजेन्सीलाई कहिल्यै जाँचेको छैन। यो निष्पक्ष छ कि छैन, हामी भन्न सक्दैनौं।
# review: needed
meaning-applicant = यो एजेन्सीले जाँचका लागि निवेदन दिएको छ। जाँच सकिएको छैन। यसलाई प्रमाणित नभएको मान्नुहोस्।
# review: needed
card-status-heading = अवस्था
# review: needed
card-remember = याद राख्नुहोस्: काम पाउन कहिल्यै शुल्क तिर्नु हुँदैन, र कसैले पनि तपाईंको राहदानी राख्न पाउँदैन।
# review: needed
card-other-names = अर्को नाम
# review: needed
card-licence-heading = इजाजतपत्र
# review: needed
card-licence-number = इजाजतपत्र नम्बर
# review: needed
card-licence-authority = जारी गर्ने निकाय
# review: needed
card-valid = मान्य अवधि
# review: needed
card-valid-range = { $from } देखि { $until } सम्म
# review: needed
card-valid-from = { $from } देखि
# review: needed
card-valid-until = { $until } सम्म
# review: needed
card-valid-unknown = मिति थाहा छैन
# review: needed
card-licence-expired = चेतावनी: यो एजेन्सीको इजाजतपत्र { $date } मा सकियो। मान्य इजाजतपत्र नभएको एजेन्सीले कामदार भर्ती गर्न पाउँदैन।
# review: needed
card-certificate-heading = प्रमाणपत्र
# review: needed
card-certificate-number = प्रमाणपत्र नम्बर
# review: needed
card-certificate-none = यो एजेन्सीसँग प्रमाणपत्र छैन।
# review: needed
card-certificate-ended = यो प्रमाणपत्र अब मान्य छैन।
# review: needed
card-certificate-suspended = { $date } देखि निलम्बित: यसमा भर नपर्नुहोस्।
# review: needed
card-checked = { $date } मा जाँचिएको
# review: needed
card-reports = { $count ->
    [one] यो एजेन्सीबारे कामदारको { $count } रिपोर्ट पुष्टि भएको छ।
   *[other] यो एजेन्सीबारे कामदारका { $count } रिपोर्ट पुष्टि भएका छन्।
}
# review: needed
card-share-heading = यो पृष्ठ अरूलाई देखाउनुहोस्
# review: needed
card-qr-label = यो पृष्ठको ठेगाना भएको QR कोड
# review: needed
card-qr-help = यो पृष्ठ खोल्न फोनको क्यामेराले कोड स्क्यान गर्नुहोस्।
# review: needed
card-report-link = यो एजेन्सीबारे समस्या रिपोर्ट गर्नुहोस्

## Reports

# review: needed
report-title = समस्या रिपोर्ट गर्नुहोस्
# review: needed
report-intro = भर्ती एजेन्सीसँग के भयो, हामीलाई भन्नुहोस्। आफ्नो नाम दिनु पर्दैन। हामी तपाईंको फोन वा इन्टरनेट ठेगाना राख्दैनौं।
# review: needed
report-agency = एजेन्सी
# review: needed
report-agency-name = एजेन्सीको नाम
# review: needed
report-agency-name-hint = तपाईंलाई थाहा भएजस्तै नाम लेख्नुहोस्।
# review: needed
report-category = के भयो?
# review: needed
report-category-choose = के भयो छान्नुहोस्
# review: needed
category-recruitment_fee = काम पाउन मैले शुल्क तिरें
# review: needed
category-medical = मैले स्वास्थ्य परीक्षणको पैसा तिरें
# review: needed
category-insurance = मैले बीमाको पैसा तिरें
# review: needed
category-skills_test = मैले सीप परीक्षणको पैसा तिरें
# review: needed
category-training_orientation = मैले तालिमको पैसा तिरें
# review: needed
category-equipment = मैले औजार, लुगा वा सामानको पैसा तिरें
# review: needed
category-travel_lodging = मैले यात्रा वा बस्ने ठाउँको पैसा तिरें
# review: needed
category-administrative = मैले कागजात, भिसा वा अनुमतिको पैसा तिरें
# review: needed
category-illegitimate = मैले घूस वा अर्को लुकेको खर्च तिरें
# review: needed
category-document_retention = उनीहरूले मेरो राहदानी वा कागजात राखे
# review: needed
category-contract_substitution = मेरो करारपत्र बदलियो वा फेरियो
# review: needed
category-deception = उनीहरूले काम, तलब वा ठाउँबारे झूट बोले
# review: needed
category-threats_or_violence = धम्की वा हिंसा
# review: needed
category-other = अरू केही
# review: needed
report-fee-heading = तपाईंले तिरेको पैसा (भए)
# review: needed
report-fee-amount = रकम
# review: needed
report-fee-currency = मुद्रा
# review: needed
report-fee-currency-hint = ३ अक्षर, जस्तै NPR, BDT, INR, USD।
# review: needed
report-country = घटना भएको देश
# review: needed
report-country-choose = देश छान्नुहोस्
# review: needed
report-occurred-on = घटना भएको मिति
# review: needed
report-description = के भयो, हामीलाई बताउनुहोस्
# review: needed
report-description-hint = जुनसुकै भाषामा लेख्नुहोस्। { $max } अक्षरसम्म।
# review: needed
report-contact = हामी तपाईंलाई कसरी सम्पर्क गर्न सक्छौं? (ऐच्छिक)
# review: needed
report-contact-hint = यो समीक्षा टोलीले मात्र पढ्न सक्छ। गुमनाम रहन खाली छोड्नुहोस्।
# review: needed
report-submit = रिपोर्ट पठाउनुहोस्
# review: needed
report-errors-title = कृपया फारम जाँच्नुहोस्
# review: needed
report-sent-title = धन्यवाद। तपाईंको रिपोर्ट प्राप्त भयो।
# review: needed
report-reference = तपाईंको रिपोर्ट नम्बर
# review: needed
report-code = तपाईंको गोप्य कोड
# review: needed
report-keep = दुवै लेखेर राख्नुहोस्, वा फोटो खिच्नुहोस्। रिपोर्टको अवस्था हेर्न यी चाहिन्छ। हामी गोप्य कोड फेरि देखाउन सक्दैनौं।
# review: needed
report-follow-link = आफ्नो रिपोर्टको अवस्था हेर्नुहोस्
# review: needed
followup-title = आफ्नो रिपोर्टको अवस्था हेर्नुहोस्
# review: needed
followup-intro = रिपोर्ट { $reference } को अवस्था हेर्न आफ्नो गोप्य कोड लेख्नुहोस्।
# review: needed
followup-code = गोप्य कोड
# review: needed
followup-submit = देखाउनुहोस्
# review: needed
followup-state-heading = तपाईंको रिपोर्ट कहाँ पुग्यो
# review: needed
state-received = प्राप्त भयो। अहिलेसम्म कसैले हेरेको छैन।
# review: needed
state-under_review = हेरिँदै छ।
# review: needed
state-substantiated = जाँचियो र पुष्टि भयो।
# review: needed
state-unsubstantiated = जाँचियो, तर पुष्टि गर्न सकिएन।
# review: needed
state-referred = कारबाही गर्न सक्ने निकायमा पठाइयो।
# review: needed
followup-received = { $date } मा प्राप्त
# review: needed
followup-updated = अन्तिम परिवर्तन { $date } मा
# review: needed
followup-reason = समीक्षा टोलीको टिप्पणी

## Form errors

# review: needed
field-required = यो भर्नुहोस्।
# review: needed
field-too-long = यो धेरै लामो छ।
# review: needed
field-invalid = यो मान्य छैन।
# review: needed
field-amount = रकम अङ्कमा लेख्नुहोस्, जस्तै 1500 वा 1500.50।
# review: needed
field-currency = मुद्रा ३ अक्षरमा लेख्नुहोस्, जस्तै NPR।
# review: needed
field-country = सूचीबाट देश छान्नुहोस्।
# review: needed
field-date = भविष्यको नभएको मिति लेख्नुहोस्।
# review: needed
field-agency = एजेन्सी छान्नुहोस्, वा यसको नाम लेख्नुहोस्।

## Error pages

# review: needed
error-back-home = सुरुको पृष्ठमा जानुहोस्
# review: needed
error-400-title = फारम पढ्न सकिएन
# review: needed
error-400-body = कृपया फारम फेरि खोलेर पठाउनुहोस्।
# review: needed
error-404-title = पृष्ठ भेटिएन
# review: needed
error-404-body = हामीले यो पृष्ठ भेट्न सकेनौं। लिङ्क गलत वा पुरानो हुन सक्छ।
# review: needed
error-403-title = कृपया फारम फेरि पठाउनुहोस्
# review: needed
error-403-body = तपाईंको सुरक्षाका लागि, फारम छोटो समय र यही वेबसाइटमा मात्र चल्छ। फारम फेरि खोलेर पठाउनुहोस्।
# review: needed
error-405-title = यो पृष्ठले यो गर्न सक्दैन
# review: needed
error-405-body = बरु लिङ्कबाट पृष्ठ खोल्नुहोस्।
# review: needed
error-413-title = धेरै लामो पाठ
# review: needed
error-413-body = तपाईंले पठाएको धेरै लामो छ। कृपया छोटो बनाउनुहोस्।
# review: needed
error-429-title = कृपया केही बेर पर्खनुहोस्
# review: needed
error-429-body = तपाईंको जडानबाट धेरै रिपोर्ट पठाइए। कृपया { $minutes ->
    [one] १ मिनेटपछि
   *[other] { $minutes } मिनेटपछि
} फेरि प्रयास गर्नुहोस्।
# review: needed
error-500-title = केही गडबड भयो
# review: needed
error-500-body = यो हाम्रो गल्ती हो। कृपया पछि फेरि प्रयास गर्नुहोस्।
