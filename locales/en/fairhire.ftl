# fairhire — the worker pages, in English (the source language).
#
# Every other language has a file like this one, with the same message names. To change a text,
# change what follows "=". Keep { $name } variables as they are. Messages are short and plain on
# purpose: many readers read slowly, on a small phone, in their second or third language.

## Every page

site-name = FairHire check
skip-link = Skip to the main content
languages-label = Language
footer-nav-label = More pages
nav-search = Check an agency
nav-report = Report a problem
footer-text = A free service for workers. It never asks you for money.

# A date, such as "29 November 2026".
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The start page: search

home-title = Check a recruitment agency
home-intro = Before you pay anyone or give up your passport, check the agency here.
search-label = Agency name or licence number
search-hint = For example: Himalayan Manpower, or DoFE-1234/2075
search-button = Search
search-results = Results for “{ $query }”
search-none = No agency found for “{ $query }”. Check the spelling, or try the licence number.
search-too-short = Type at least 2 letters.
search-more = Only the first results are shown. Type more of the name to find the right agency.
what-title = What does “certified” mean for me?
what-certified = A certified agency was checked by an independent auditor. The auditor found that it follows the rules for fair recruitment.
what-fees = Even then: you should never pay a fee to get a job.
what-passport = Nobody may keep your passport or your other papers.
what-contract = Ask for your contract in a language you understand, before you leave.
what-change = A certificate can be suspended or taken away. Check again before you sign.
report-invite = Did something go wrong? You can report it. You do not have to give your name.

## The status card of one agency

status-certified = Certified
status-suspended = Suspended
status-withdrawn = Certification taken away
status-expired = Certification expired
status-never_certified = Not certified
status-applicant = Not certified yet
meaning-certified = An independent audit found that this agency follows the rules for fair recruitment.
meaning-suspended = Do not rely on this certificate. Serious problems were found at this agency.
meaning-withdrawn = This agency lost its certificate because it did not follow the rules.
meaning-expired = This certificate is out of date. The agency has not been checked again.
meaning-never_certified = This agency was never checked by this scheme. We cannot tell you if it is fair.
meaning-applicant = This agency asked to be checked. The check is not finished. Treat it as not certified.
card-status-heading = Status
card-remember = Remember: you should never pay a fee to get a job, and nobody may keep your passport.
card-other-names = Also known as
card-licence-heading = Licence
card-licence-number = Licence number
card-licence-authority = Issued by
card-valid = Valid
card-valid-range = from { $from } to { $until }
card-valid-from = from { $from }
card-valid-until = until { $until }
card-valid-unknown = Dates not known
card-licence-expired = Warning: this agency’s licence ended on { $date }. An agency without a valid licence must not recruit workers.
card-certificate-heading = Certificate
card-certificate-number = Certificate number
card-certificate-none = This agency has no certificate.
card-certificate-ended = This certificate is no longer valid.
card-certificate-suspended = Suspended since { $date }: do not rely on it.
card-checked = Checked on { $date }
card-reports = { $count ->
    [one] { $count } report by workers about this agency was confirmed.
   *[other] { $count } reports by workers about this agency were confirmed.
}
card-share-heading = Show this page to others
card-qr-label = QR code with the address of this page
card-qr-help = Scan the code with a phone camera to open this page.
card-report-link = Report a problem with this agency

## Reports

report-title = Report a problem
report-intro = Tell us what happened with a recruitment agency. You do not have to give your name. We do not record your phone or your internet address.
report-agency = Agency
report-agency-name = Name of the agency
report-agency-name-hint = Write the name as you know it.
report-category = What happened?
report-category-choose = Choose what happened
category-recruitment_fee = I paid a fee to get the job
category-medical = I paid for a medical test
category-insurance = I paid for insurance
category-skills_test = I paid for a skills test
category-training_orientation = I paid for training
category-equipment = I paid for tools, clothes or equipment
category-travel_lodging = I paid for travel or a place to stay
category-administrative = I paid for papers, a visa or a permit
category-illegitimate = I paid a bribe or another hidden cost
category-document_retention = They kept my passport or my papers
category-contract_substitution = My contract was changed or replaced
category-deception = They lied about the job, the pay or the place
category-threats_or_violence = Threats or violence
category-other = Something else
report-fee-heading = Money you paid (if any)
report-fee-amount = Amount
report-fee-currency = Currency
report-fee-currency-hint = 3 letters, for example NPR, BDT, INR, USD.
report-country = Country where it happened
report-country-choose = Choose a country
report-occurred-on = Date it happened
report-description = Tell us what happened
report-description-hint = Write in any language. Up to { $max } characters.
report-contact = How can we reach you? (optional)
report-contact-hint = Only the review team can read this. Leave it empty to stay anonymous.
report-submit = Send the report
report-errors-title = Please check the form
report-sent-title = Thank you. Your report was received.
report-reference = Your report number
report-code = Your secret code
report-keep = Write down both, or take a photo. You need them to follow your report. We cannot show the secret code again.
report-follow-link = Follow your report
followup-title = Follow your report
followup-intro = Type your secret code to see what happened to report { $reference }.
followup-code = Secret code
followup-submit = Show
followup-state-heading = Where your report is
state-received = Received. Nobody has looked at it yet.
state-under_review = Being looked at.
state-substantiated = Checked and confirmed.
state-unsubstantiated = Checked, but it could not be confirmed.
state-referred = Sent on to the authorities who can act on it.
followup-received = Received on { $date }
followup-updated = Last change on { $date }
followup-reason = Note from the review team

## Form errors

field-required = Fill in this field.
field-too-long = This is too long.
field-invalid = This is not valid.
field-amount = Write the amount as a number, for example 1500 or 1500.50.
field-currency = Write the currency as 3 letters, for example NPR.
field-country = Choose a country from the list.
field-date = Write a date that is not in the future.
field-agency = Choose the agency, or write its name.

## Error pages

error-back-home = Go to the start page
error-400-title = The form could not be read
error-400-body = Please open the form again and send it.
error-404-title = Page not found
error-404-body = We could not find this page. The link may be wrong or old.
error-403-title = Please send the form again
error-403-body = For your safety, a form works only for a short time and only on this website. Open the form again and send it.
error-405-title = This page cannot do that
error-405-body = Open the page from its link instead.
error-413-title = Too much text
error-413-body = What you sent is too long. Please make it shorter.
error-429-title = Please wait a little
error-429-body = Too many reports were sent from your connection. Please try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
error-500-title = Something went wrong
error-500-body = This is our fault. Please try again later.
