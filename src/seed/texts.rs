//! What auditors write in findings, and what agencies answer in corrective actions, with the
//! other wording the demo needs (fee lists, host names).

use crate::domain::agency::fold_for_search;
use crate::domain::assessment::FeeAmount;
use crate::domain::assessment::FeeCategory;
use crate::seed::origins::Origin;

/// The gap an auditor describes when a criterion is not fully met.
pub(super) fn gap(code: &str) -> &'static str {
    match code {
        "A.1" => "the register of recruitment and labour rules was not updated for the latest changes at destination",
        "A.2" => "a branch office recruited while its registration renewal was still pending",
        "A.3" => "placements are not checked for signs of forced labour and welfare calls are not recorded",
        "A.4" => "age was confirmed from a school certificate instead of an official identity document",
        "A.5" => "job orders specifying sex and religion were accepted from employer-clients without challenge",
        "B.1" => "the code of conduct was not reviewed this year and names no responsible manager",
        "B.2" => "due diligence on repeat employer-clients is not recorded",
        "B.3" => "sub-agents are not bound in writing to the standard and their recruitment is not monitored",
        "B.4" => "no register of gifts and payments is kept",
        "B.5" => "social-media advertisements did not show the agency's licence number",
        "B.6" => "training records are missing for staff who joined in the last year",
        "C.1" => "workers paid for costs that the employer should have borne",
        "C.2" => "wage deductions recovering recruitment costs were not challenged with the employer",
        "C.3" => "employer agreements do not state that the employer pays all recruitment costs",
        "C.4" => "repayment of fees found charged to workers is not evidenced",
        "C.5" => "the 'you owe nothing' notice is given orally only, not in writing in the candidate's language",
        "D.1" => "documents are held for visa steps without written consent or a return log",
        "D.2" => "employer agreements do not forbid holding workers' documents and there is no check after placement",
        "D.3" => "candidates who withdraw are told to repay costs already incurred",
        "D.4" => "candidates are asked for a refundable 'registration deposit'",
        "E.1" => "job information omits lawful deductions and accommodation details",
        "E.2" => "contracts are explained in English only and copies were handed over at the airport",
        "E.3" => "nobody checks after arrival that the contract signed before departure is the one applied",
        "E.4" => "the pre-departure orientation does not say where to seek help at destination",
        "F.1" => "registration forms collect religion and family details that recruitment does not need",
        "F.2" => "candidate files are kept in unlocked cabinets and shared by email without a stated purpose",
        "F.3" => "no retention periods are set; files of rejected candidates are kept indefinitely",
        "F.4" => "staff who handle personal data are not trained and there is no breach log",
        "G.1" => "the grievance hotline is not free of charge and not available in workers' languages",
        "G.2" => "workers are not told after arrival how to reach the grievance mechanism or outside help",
        "G.3" => "there is no written protection against retaliation for workers who complain",
        "G.4" => "grievances take more than 60 days to look into and outcomes are not communicated",
        "G.5" => "the grievance log is incomplete and has never been reviewed",
        _ => "the requirement is not met consistently",
    }
}

pub(super) fn principle_of(code: &str) -> char {
    code.chars().next().unwrap_or('?')
}

pub(super) fn improvement(code: &str) -> &'static str {
    match principle_of(code) {
        'A' => "keep the corridor legal register in one place with a named owner",
        'B' => "date each review of employer-clients and sub-agents",
        'C' => "publish the employer-pays policy on the agency's website and notice boards",
        'D' => "log the time documents handled for visa steps are returned",
        'E' => "add a worked wage example to job information sheets",
        'F' => "set a schedule for deleting the files of rejected candidates",
        _ => "analyse grievance trends every quarter",
    }
}

pub(super) fn plan_text(code: &str) -> String {
    let fix = match principle_of(code) {
        'A' => "Update the corridor legal register, name an owner and check it monthly",
        'B' => "Revise the procedure, retrain the staff involved and review compliance every month",
        'C' => {
            "Repay the workers concerned in full, amend employer agreements and brief every sub-agent on the \
             employer-pays rule"
        }
        'D' => {
            "Return every document held, adopt a consent and return log, and add a document clause to employer agreements"
        }
        'E' => {
            "Revise job information and contract templates in workers' languages and add a post-arrival contract check"
        }
        'F' => "Restrict file access, set retention periods and train the staff who handle personal data",
        _ => "Relaunch the grievance channel in workers' languages, free of charge, and review cases monthly",
    };
    format!("{code}: {fix}. Owner: compliance manager.")
}

pub(super) fn evidence_text(code: &str) -> String {
    let what = match principle_of(code) {
        'A' => "updated register signed off by the director, and licence copies for every office",
        'B' => "revised procedure, training attendance sheets and the first monthly review",
        'C' => "bank transfer records of repayments, amended employer agreements and sub-agent briefing records",
        'D' => "return log signed by the workers, consent forms and amended employer agreements",
        'E' => "revised templates and records of post-arrival contract checks",
        'F' => "access list, retention schedule and training records",
        _ => "hotline posters in workers' languages, the grievance log and minutes of the monthly review",
    };
    format!("{code}: {what}.")
}

pub(super) fn conformant_text(code: &str, workers: u32, files: u32) -> String {
    match (principle_of(code), workers > 0) {
        ('A', _) => format!(
            "Licences valid; the legal register covers every corridor served; {files} candidate files sampled, ages \
             verified from passports."
        ),
        ('B', _) => "Code of conduct, employer-client vetting and sub-agent records reviewed; consistent with \
                     management and staff interviews."
            .into(),
        ('C', true) => format!(
            "No fees or related costs found: {workers} workers interviewed; receipts and bank records in {files} files \
             reviewed."
        ),
        ('C', false) => {
            format!(
                "Employer agreements and the price list put every recruitment cost on the employer; {files} files reviewed."
            )
        }
        ('D', true) => {
            format!("Workers hold their own passports and documents; confirmed by {workers} workers interviewed.")
        }
        ('D', false) => "Document-handling procedure with written consent and a return log in place.".into(),
        ('E', true) => format!(
            "Job information and contracts in workers' languages reviewed; terms confirmed at destination by {workers} \
             workers interviewed."
        ),
        ('E', false) => {
            format!("Job information sheets and contract templates in workers' languages reviewed ({files} files).")
        }
        ('F', _) => "Data protection policy, access controls, retention schedule and consent forms reviewed.".into(),
        ('G', true) => {
            format!("Grievance channel tested and log reviewed; {workers} workers interviewed knew how to use it.")
        }
        _ => "Grievance procedure, hotline and log reviewed.".into(),
    }
}

fn fee_label(category: FeeCategory) -> &'static str {
    match category {
        FeeCategory::RecruitmentFee => "recruitment fee",
        FeeCategory::Medical => "medical check",
        FeeCategory::Insurance => "insurance",
        FeeCategory::SkillsTest => "skills test",
        FeeCategory::TrainingOrientation => "pre-departure training",
        FeeCategory::Equipment => "equipment",
        FeeCategory::TravelLodging => "travel and lodging",
        FeeCategory::Administrative => "administrative charges",
        FeeCategory::Illegitimate => "a 'guarantee' deposit",
    }
}

/// `NPR 12,500` from minor units.
fn money(amount_minor: i64, currency: &str, minor_per_major: i64) -> String {
    let major = (amount_minor / minor_per_major.max(1)).to_string();
    let mut grouped = String::new();
    for (i, digit) in major.chars().enumerate() {
        if i > 0 && (major.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{currency} {grouped}")
}

pub(super) fn fee_list(fees: &[FeeAmount], origin: &Origin) -> String {
    fees.iter()
        .map(|f| format!("{} ({})", money(f.amount_minor, &f.currency, origin.minor_per_major), fee_label(f.category)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A host name from an agency's name: its first three words, folded to ASCII.
pub(super) fn slug(legal_name: &str) -> String {
    let folded = fold_for_search(legal_name);
    let words: Vec<String> = folded
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "pt" | "pvt" | "ltd" | "inc" | "corp" | "plc" | "llp"))
        .take(3)
        .map(str::to_owned)
        .collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_like_prices() {
        assert_eq!(money(1_250_000, "NPR", 100), "NPR 12,500");
        assert_eq!(money(3_200_000, "UGX", 1), "UGX 3,200,000");
        assert_eq!(slug("Santo Niño Global Placement Inc."), "santo-nino-global");
        assert_eq!(slug("PT Duta Insani Sejahtera"), "duta-insani-sejahtera");
    }
}
