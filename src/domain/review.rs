//! Technical review before a certification decision (ISO/IEC 17021-1 §9.5): a person of the
//! certification body who did not lead the audit reviews the file and agrees, or returns it with
//! reasons, before anyone decides. The pure rule of which review a decision may rest on.

use chrono::{DateTime, Utc};

use crate::domain::named_enum;

named_enum! {
    /// The decisions that need a technical review first.
    pub enum ReviewedDecision {
        Certify,
        Reinstate,
        Withdraw,
    }
}

named_enum! {
    /// What the reviewer concluded: the file supports the decision, or goes back with reasons.
    pub enum ReviewOutcome {
        Agree,
        Returned,
    }
}

/// The latest review recorded for one decision on one subject (an audit for `certify`, the
/// certificate for `reinstate` and `withdraw`).
#[derive(Debug, Clone)]
pub struct LatestReview {
    pub outcome: ReviewOutcome,
    /// When a decision already rested on it: a review supports one decision only.
    pub used_at: Option<DateTime<Utc>>,
    pub reviewer: String,
    pub reviewer_person: Option<String>,
}

/// Why `decision` may not rest on the latest review, or `None` when it may. With
/// `distinct_from_decider` (the standard's policy), the decider must be another person than the
/// reviewer: without a person on both sides nothing shows they are two, so it refuses.
pub fn review_refusal(
    decision: ReviewedDecision,
    latest: Option<&LatestReview>,
    distinct_from_decider: bool,
    decider: &str,
    decider_person: Option<&str>,
) -> Option<String> {
    let Some(review) = latest else {
        return Some(format!("no technical review agrees to {decision} yet; a reviewer of the body records one first"));
    };
    if review.outcome == ReviewOutcome::Returned {
        return Some(format!(
            "the latest technical review returned the file; a new review must agree before the {decision} decision"
        ));
    }
    if review.used_at.is_some() {
        return Some(format!(
            "the technical review agreeing to {decision} already supported a decision; a new review is needed"
        ));
    }
    if distinct_from_decider {
        let same = review.reviewer == decider
            || match (review.reviewer_person.as_deref(), decider_person) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
        if same {
            return Some(format!(
                "the standard's policy wants three people for {decision}: the decider must be another person than the technical reviewer"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(outcome: ReviewOutcome, used: bool) -> LatestReview {
        LatestReview {
            outcome,
            used_at: used.then(Utc::now),
            reviewer: "rev".into(),
            reviewer_person: Some("P-REV".into()),
        }
    }

    #[test]
    fn only_an_unused_agreeing_review_supports_a_decision() {
        let d = ReviewedDecision::Certify;
        assert!(review_refusal(d, None, false, "dec", Some("P-DEC")).unwrap().contains("no technical review"));
        let returned = review(ReviewOutcome::Returned, false);
        assert!(review_refusal(d, Some(&returned), false, "dec", Some("P-DEC")).unwrap().contains("returned"));
        let used = review(ReviewOutcome::Agree, true);
        assert!(review_refusal(d, Some(&used), false, "dec", Some("P-DEC")).unwrap().contains("already"));
        let fresh = review(ReviewOutcome::Agree, false);
        assert_eq!(review_refusal(d, Some(&fresh), true, "dec", Some("P-DEC")), None);
    }

    #[test]
    fn three_people_when_the_policy_says_so() {
        let fresh = review(ReviewOutcome::Agree, false);
        let d = ReviewedDecision::Certify;
        assert!(review_refusal(d, Some(&fresh), true, "other", Some("P-REV")).unwrap().contains("three people"));
        assert!(review_refusal(d, Some(&fresh), true, "rev", Some("P-X")).is_some(), "same client");
        assert!(review_refusal(d, Some(&fresh), true, "other", None).is_some(), "no person: refused");
        assert_eq!(review_refusal(d, Some(&fresh), false, "rev", Some("P-REV")), None, "policy off");
    }
}
