//! Bulk verification (`POST /v1/verifications`): which outcome a matched agency gets, how a
//! match by name is decided, and how alike two names are. Pure: the candidates and the facts
//! come from the caller, so the rules stay the same whatever search produces the candidates.

use chrono::{DateTime, Utc};

use crate::domain::agency::CertificationStatus;
use crate::domain::certification;

crate::domain::named_enum! {
    /// What a verification found for one item, the first thing an HR platform branches on.
    pub enum Outcome {
        /// Matched, and holds a certificate in force today.
        Found,
        /// No agency matches.
        NotFound,
        /// A name matched several agencies, or one only loosely: see `candidates`.
        Ambiguous,
        /// Matched, and has never held a certificate (it may have applied).
        NeverCertified,
        /// Matched; its certificate is suspended.
        Suspended,
        /// Matched; its last certificate was withdrawn.
        Withdrawn,
        /// Matched; its last certificate expired.
        Expired,
        /// The item itself is not valid: see `errors`. The other items are answered all the same.
        Invalid,
    }
}

/// The outcome for a matched agency in `status` whose last certificate (if it ever had one)
/// is valid until `valid_until` and, if it ended, ended by a move to `ended_as` (`withdrawn`
/// or `expired`).
///
/// - `certified` is `found`, unless the certificate's validity has passed and the sweeper has
///   not yet recorded the expiry: then it is `expired`, as the sweeper will make it, since
///   an employer must never be told a lapsed certificate is in force.
/// - `suspended` is `suspended` (or `expired` past its validity, as for `certified`).
/// - `withdrawn` and `expired` are themselves.
/// - `never_certified` is `never_certified`.
/// - `applicant`: `never_certified` when it never held a certificate; when it did and applied
///   again, how its last certificate ended (`withdrawn` or `expired`), so that losing a
///   certificate and re-applying never reads as a clean slate.
pub fn outcome_of(
    status: CertificationStatus,
    valid_until: Option<DateTime<Utc>>,
    ended_as: Option<CertificationStatus>,
    now: DateTime<Utc>,
) -> Outcome {
    let lapsed = valid_until.is_some_and(|until| certification::expired(until, now));
    match status {
        CertificationStatus::Certified if lapsed => Outcome::Expired,
        CertificationStatus::Certified => Outcome::Found,
        CertificationStatus::Suspended if lapsed => Outcome::Expired,
        CertificationStatus::Suspended => Outcome::Suspended,
        CertificationStatus::Withdrawn => Outcome::Withdrawn,
        CertificationStatus::Expired => Outcome::Expired,
        CertificationStatus::NeverCertified => Outcome::NeverCertified,
        CertificationStatus::Applicant => match (valid_until, ended_as) {
            (None, _) => Outcome::NeverCertified,
            (Some(_), Some(CertificationStatus::Expired)) => Outcome::Expired,
            (Some(_), Some(CertificationStatus::Withdrawn)) => Outcome::Withdrawn,
            // A certificate without a recorded ending: say what its dates say.
            (Some(_), _) if lapsed => Outcome::Expired,
            (Some(_), _) => Outcome::Withdrawn,
        },
    }
}

/// A name matches one agency only at this similarity or above: the same words once case,
/// accents, punctuation, word order and legal form are set aside.
pub const FOUND_AT: f64 = 0.9;

/// Below this similarity an agency is not even a candidate.
pub const CANDIDATE_AT: f64 = 0.3;

/// At most this many candidates are listed for an ambiguous name.
pub const MAX_CANDIDATES: usize = 5;

/// How a match by name came out, by index into the candidates given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    /// Exactly one candidate is a match.
    One(usize),
    /// Best first, at most [`MAX_CANDIDATES`]: for the client to choose from.
    Several(Vec<usize>),
    None,
}

/// Decides a match by name from the candidates' similarities (in any order).
///
/// A name is matched to one agency only when that agency's similarity reaches [`FOUND_AT`] and
/// no other candidate's does: a name alone is weak evidence, and two agencies with the same
/// name are two agencies. Anything else at [`CANDIDATE_AT`] or above is `ambiguous`, listing
/// the candidates best first (ties in the order given) for the client to confirm by licence or
/// id. Below that, nothing is found.
pub fn decide_name_match(similarities: &[f64]) -> NameMatch {
    let mut ranked: Vec<usize> = (0..similarities.len()).filter(|&i| similarities[i] >= CANDIDATE_AT).collect();
    ranked.sort_by(|&a, &b| similarities[b].total_cmp(&similarities[a]));
    let at_found = ranked.iter().take_while(|&&i| similarities[i] >= FOUND_AT).count();
    match (ranked.first(), at_found) {
        (None, _) => NameMatch::None,
        (Some(&best), 1) => NameMatch::One(best),
        _ => NameMatch::Several(ranked.into_iter().take(MAX_CANDIDATES).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn each_status_has_its_outcome() {
        use CertificationStatus::*;
        let later = Some(now() + Duration::days(30));
        assert_eq!(outcome_of(Certified, later, None, now()), Outcome::Found);
        assert_eq!(outcome_of(Suspended, later, None, now()), Outcome::Suspended);
        assert_eq!(outcome_of(Withdrawn, later, Some(Withdrawn), now()), Outcome::Withdrawn);
        assert_eq!(outcome_of(Expired, Some(now()), Some(Expired), now()), Outcome::Expired);
        assert_eq!(outcome_of(NeverCertified, None, None, now()), Outcome::NeverCertified);
        assert_eq!(outcome_of(Applicant, None, None, now()), Outcome::NeverCertified);
    }

    #[test]
    fn a_lapsed_certificate_is_expired_before_the_sweeper_says_so() {
        use CertificationStatus::*;
        assert_eq!(outcome_of(Certified, Some(now()), None, now()), Outcome::Expired, "expired at its last instant");
        assert_eq!(outcome_of(Suspended, Some(now() - Duration::days(1)), None, now()), Outcome::Expired);
    }

    #[test]
    fn an_agency_that_lost_its_certificate_and_applied_again_says_how_it_lost_it() {
        use CertificationStatus::*;
        let past = Some(now() - Duration::days(1));
        let later = Some(now() + Duration::days(1));
        assert_eq!(outcome_of(Applicant, later, Some(Withdrawn), now()), Outcome::Withdrawn);
        assert_eq!(outcome_of(Applicant, past, Some(Expired), now()), Outcome::Expired);
        assert_eq!(outcome_of(Applicant, past, None, now()), Outcome::Expired);
        assert_eq!(outcome_of(Applicant, later, None, now()), Outcome::Withdrawn);
    }

    #[test]
    fn one_near_exact_name_is_a_match() {
        assert_eq!(decide_name_match(&[0.4, 1.0, 0.5]), NameMatch::One(1));
        assert_eq!(decide_name_match(&[FOUND_AT]), NameMatch::One(0));
    }

    #[test]
    fn two_near_exact_names_or_only_loose_ones_are_ambiguous_best_first() {
        assert_eq!(decide_name_match(&[1.0, 0.95, 0.2]), NameMatch::Several(vec![0, 1]));
        assert_eq!(decide_name_match(&[0.5, 0.8]), NameMatch::Several(vec![1, 0]));
        assert_eq!(decide_name_match(&[0.33]), NameMatch::Several(vec![0]), "one loose candidate is not a match");
        assert_eq!(decide_name_match(&[0.6, 0.6]), NameMatch::Several(vec![0, 1]), "ties keep their order");
    }

    #[test]
    fn candidates_are_capped_and_weak_ones_dropped() {
        assert_eq!(decide_name_match(&[]), NameMatch::None);
        assert_eq!(decide_name_match(&[0.29, 0.1]), NameMatch::None);
        let many = [0.5, 0.6, 0.7, 0.8, 0.4, 0.45, 0.35];
        assert_eq!(decide_name_match(&many), NameMatch::Several(vec![3, 2, 1, 0, 5]));
    }
}
