# fairhire — the worker pages, in Tagalog.
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
site-name = FairHire tsek
# review: needed
skip-link = Pumunta sa pangunahing nilalaman
# review: needed
languages-label = Wika
# review: needed
footer-nav-label = Iba pang pahina
# review: needed
nav-search = Tingnan ang ahensya
# review: needed
nav-report = Mag-ulat ng problema
# review: needed
footer-text = Libreng serbisyo para sa mga manggagawa. Hindi ito kailanman hihingi sa iyo ng pera.
# review: needed
date = { $day } { $month } { $year }
# review: needed
month-1 = Enero
# review: needed
month-2 = Pebrero
# review: needed
month-3 = Marso
# review: needed
month-4 = Abril
# review: needed
month-5 = Mayo
# review: needed
month-6 = Hunyo
# review: needed
month-7 = Hulyo
# review: needed
month-8 = Agosto
# review: needed
month-9 = Setyembre
# review: needed
month-10 = Oktubre
# review: needed
month-11 = Nobyembre
# review: needed
month-12 = Disyembre

## The start page: search

# review: needed
home-title = Tingnan ang isang recruitment agency
# review: needed
home-intro = Bago ka magbayad sa kahit sino o ibigay ang iyong pasaporte, tingnan muna dito ang ahensya.
# review: needed
search-label = Pangalan ng ahensya o numero ng lisensya
# review: needed
search-hint = Halimbawa: Himalayan Manpower, o DoFE-1234/2075
# review: needed
search-button = Hanapin
# review: needed
search-results = Mga resulta para sa “{ $query }”
# review: needed
search-none = Walang ahensyang nakita para sa “{ $query }”. Suriin ang baybay, o subukan ang numero ng lisensya.
# review: needed
search-too-short = Mag-type ng hindi bababa sa 2 titik.
# review: needed
search-more = Ang mga unang resulta lang ang ipinapakita. Mag-type pa ng pangalan para makita ang tamang ahensya.
# review: needed
what-title = Ano ang ibig sabihin ng “sertipikado” para sa akin?
# review: needed
what-certified = Ang sertipikadong ahensya ay sinuri ng isang independiyenteng auditor. Nakita ng auditor na sumusunod ito sa mga patakaran ng patas na recruitment.
# review: needed
what-fees = Kahit ganoon: hindi ka dapat magbayad ng bayad para magkatrabaho.
# review: needed
what-passport = Walang sinuman ang puwedeng humawak ng iyong pasaporte o iba mong papeles.
# review: needed
what-contract = Hingin ang iyong kontrata sa wikang naiintindihan mo, bago ka umalis.
# review: needed
what-change = Puwedeng masuspinde o bawiin ang sertipiko. Tingnan muli bago ka pumirma.
# review: needed
report-invite = May nangyaring mali? Puwede mo itong iulat. Hindi mo kailangang ibigay ang iyong pangalan.

## The status card of one agency

# review: needed
status-certified = Sertipikado
# review: needed
status-suspended = Suspendido
# review: needed
status-withdrawn = Binawi ang sertipikasyon
# review: needed
status-expired = Paso na ang sertipikasyon
# review: needed
status-never_certified = Hindi sertipikado
# review: needed
status-applicant = Hindi pa sertipikado
# review: needed
meaning-certified = Nakita ng isang independiyenteng audit na sumusunod ang ahensyang ito sa mga patakaran ng patas na recruitment.
# review: needed
meaning-suspended = Huwag umasa sa sertipikong ito. May nakitang malulubhang problema sa ahensyang ito.
# review: needed
meaning-withdrawn = Binawi ang sertipiko ng ahensyang ito dahil hindi ito sumunod sa mga patakaran.
# review: needed
meaning-expired = Paso na ang sertipikong ito. Hindi pa muling nasusuri ang ahensya.
# review: needed
meaning-never_certified = Hindi kailanman nasuri ng programang ito ang ahensyang ito. Hindi namin masasabi kung patas ito.
# review: needed
meaning-applicant = Humiling ang ahensyang ito na masuri. Hindi pa tapos ang pagsusuri. Ituring itong hindi sertipikado.
# review: needed
card-status-heading = Katayuan
# review: needed
card-remember = Tandaan: hindi ka dapat magbayad ng bayad para magkatrabaho, at walang puwedeng humawak ng iyong pasaporte.
# review: needed
card-other-names = Kilala rin bilang
# review: needed
card-licence-heading = Lisensya
# review: needed
card-licence-number = Numero ng lisensya
# review: needed
card-licence-authority = Inisyu ng
# review: needed
card-valid = Bisa
# review: needed
card-valid-range = mula { $from } hanggang { $until }
# review: needed
card-valid-from = mula { $from }
# review: needed
card-valid-until = hanggang { $until }
# review: needed
card-valid-unknown = Hindi alam ang mga petsa
# review: needed
card-licence-expired = Babala: natapos ang lisensya ng ahensyang ito noong { $date }. Ang ahensyang walang balidong lisensya ay hindi puwedeng mag-recruit ng manggagawa.
# review: needed
card-certificate-heading = Sertipiko
# review: needed
card-certificate-number = Numero ng sertipiko
# review: needed
card-certificate-none = Walang sertipiko ang ahensyang ito.
# review: needed
card-certificate-ended = Wala nang bisa ang sertipikong ito.
# review: needed
card-certificate-suspended = Suspendido mula { $date }: huwag umasa dito.
# review: needed
card-checked = Tiningnan noong { $date }
# review: needed
card-reports = { $count ->
    [one] { $count } ulat ng manggagawa tungkol sa ahensyang ito ang napatunayan.
   *[other] { $count } na ulat ng mga manggagawa tungkol sa ahensyang ito ang napatunayan.
}
# review: needed
card-share-heading = Ipakita ang pahinang ito sa iba
# review: needed
card-qr-label = QR code na may address ng pahinang ito
# review: needed
card-qr-help = I-scan ang code gamit ang camera ng telepono para buksan ang pahinang ito.
# review: needed
card-report-link = Mag-ulat ng problema sa ahensyang ito

## Reports

# review: needed
report-title = Mag-ulat ng problema
# review: needed
report-intro = Sabihin sa amin ang nangyari sa isang recruitment agency. Hindi mo kailangang ibigay ang iyong pangalan. Hindi namin itinatala ang iyong telepono o internet address.
# review: needed
report-agency = Ahensya
# review: needed
report-agency-name = Pangalan ng ahensya
# review: needed
report-agency-name-hint = Isulat ang pangalan ayon sa pagkakaalam mo.
# review: needed
report-category = Ano ang nangyari?
# review: needed
report-category-choose = Piliin kung ano ang nangyari
# review: needed
category-recruitment_fee = Nagbayad ako para makuha ang trabaho
# review: needed
category-medical = Nagbayad ako para sa medical test
# review: needed
category-insurance = Nagbayad ako para sa insurance
# review: needed
category-skills_test = Nagbayad ako para sa skills test
# review: needed
category-training_orientation = Nagbayad ako para sa training
# review: needed
category-equipment = Nagbayad ako para sa gamit, damit o kagamitan
# review: needed
category-travel_lodging = Nagbayad ako para sa biyahe o matutuluyan
# review: needed
category-administrative = Nagbayad ako para sa papeles, visa o permit
# review: needed
category-illegitimate = Nagbayad ako ng suhol o ibang nakatagong bayad
# review: needed
category-document_retention = Hinawakan nila ang aking pasaporte o papeles
# review: needed
category-contract_substitution = Binago o pinalitan ang aking kontrata
# review: needed
category-deception = Nagsinungaling sila tungkol sa trabaho, sahod o lugar
# review: needed
category-threats_or_violence = Pagbabanta o karahasan
# review: needed
category-other = Iba pa
# review: needed
report-fee-heading = Perang ibinayad mo (kung mayroon)
# review: needed
report-fee-amount = Halaga
# review: needed
report-fee-currency = Pera (currency)
# review: needed
report-fee-currency-hint = 3 titik, halimbawa PHP, NPR, USD.
# review: needed
report-country = Bansa kung saan ito nangyari
# review: needed
report-country-choose = Pumili ng bansa
# review: needed
report-occurred-on = Petsa kung kailan ito nangyari
# review: needed
report-description = Ikuwento sa amin ang nangyari
# review: needed
report-description-hint = Sumulat sa kahit anong wika. Hanggang { $max } na titik.
# review: needed
report-contact = Paano ka namin makokontak? (hindi kailangan)
# review: needed
report-contact-hint = Ang review team lang ang makakabasa nito. Iwanang blangko para manatiling anonymous.
# review: needed
report-submit = Ipadala ang ulat
# review: needed
report-errors-title = Pakisuri ang form
# review: needed
report-sent-title = Salamat. Natanggap na ang iyong ulat.
# review: needed
report-reference = Numero ng iyong ulat
# review: needed
report-code = Iyong lihim na code
# review: needed
report-keep = Isulat ang dalawa, o kunan ng litrato. Kailangan mo ang mga ito para masundan ang iyong ulat. Hindi na namin maipapakita muli ang lihim na code.
# review: needed
report-follow-link = Sundan ang iyong ulat
# review: needed
followup-title = Sundan ang iyong ulat
# review: needed
followup-intro = I-type ang iyong lihim na code para makita ang nangyari sa ulat { $reference }.
# review: needed
followup-code = Lihim na code
# review: needed
followup-submit = Ipakita
# review: needed
followup-state-heading = Nasaan na ang iyong ulat
# review: needed
state-received = Natanggap. Wala pang tumingin dito.
# review: needed
state-under_review = Sinusuri.
# review: needed
state-substantiated = Nasuri at napatunayan.
# review: needed
state-unsubstantiated = Nasuri, pero hindi ito napatunayan.
# review: needed
state-referred = Ipinasa sa mga awtoridad na puwedeng kumilos dito.
# review: needed
followup-received = Natanggap noong { $date }
# review: needed
followup-updated = Huling pagbabago noong { $date }
# review: needed
followup-reason = Tala mula sa review team

## Form errors

# review: needed
field-required = Punan ang bahaging ito.
# review: needed
field-too-long = Masyado itong mahaba.
# review: needed
field-invalid = Hindi ito tama.
# review: needed
field-amount = Isulat ang halaga bilang numero, halimbawa 1500 o 1500.50.
# review: needed
field-currency = Isulat ang pera sa 3 titik, halimbawa PHP.
# review: needed
field-country = Pumili ng bansa mula sa listahan.
# review: needed
field-date = Isulat ang petsang hindi pa darating.
# review: needed
field-agency = Piliin ang ahensya, o isulat ang pangalan nito.

## Error pages

# review: needed
error-back-home = Pumunta sa unang pahina
# review: needed
error-400-title = Hindi mabasa ang form
# review: needed
error-400-body = Pakibuksan muli ang form at ipadala.
# review: needed
error-404-title = Hindi nakita ang pahina
# review: needed
error-404-body = Hindi namin makita ang pahinang ito. Maaaring mali o luma ang link.
# review: needed
error-403-title = Pakipadala muli ang form
# review: needed
error-403-body = Para sa iyong kaligtasan, gumagana lang ang form nang maikling oras at sa website na ito lang. Buksan muli ang form at ipadala.
# review: needed
error-405-title = Hindi ito magagawa ng pahinang ito
# review: needed
error-405-body = Buksan na lang ang pahina mula sa link nito.
# review: needed
error-413-title = Masyadong mahaba
# review: needed
error-413-body = Masyadong mahaba ang ipinadala mo. Pakiikli.
# review: needed
error-429-title = Sandali lang po
# review: needed
error-429-body = Masyadong maraming ulat ang ipinadala mula sa iyong koneksyon. Subukan muli pagkalipas ng { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minuto
}.
# review: needed
error-500-title = May nagkamali
# review: needed
error-500-body = Kasalanan namin ito. Pakisubukan muli mamaya.
