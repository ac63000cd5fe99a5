//! What an attempt's answer means, and when to try again. Pure: the clock and the randomness
//! come in as arguments, so every rule here is tested exactly.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx: the receiver has the message.
    Delivered,
    /// 410 Gone: the receiver says the endpoint is gone for good, so the subscription is
    /// disabled instead of retried for days.
    Disable,
    /// Anything else — another status, a timeout, a refused connection — may pass: try later.
    Retry,
}

impl Outcome {
    /// The outcome of an attempt that got `status`, or no answer at all (`None`).
    pub fn from_status(status: Option<u16>) -> Outcome {
        match status {
            Some(200..=299) => Outcome::Delivered,
            Some(410) => Outcome::Disable,
            _ => Outcome::Retry,
        }
    }
}

/// How long to wait before attempt `attempt + 1`, after `attempt` attempts failed (`attempt`
/// counts from 1; 0 is read as 1).
///
/// The step doubles each time from `base` and stops growing at `cap`. The delay is a point
/// between half the step and the whole of it, chosen by `jitter` (0 gives half, 1 the whole;
/// values outside are clamped): receivers that failed together, after an outage, are not all
/// retried in the same second. A `Retry-After` the receiver sent is a floor, itself capped at
/// `cap` so that a receiver cannot park deliveries for longer than we would.
pub fn next_delay(attempt: u32, base: Duration, cap: Duration, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1);
    let step = 2u32.checked_pow(doublings).and_then(|factor| base.checked_mul(factor)).unwrap_or(cap).min(cap);
    let jitter = if jitter.is_nan() { 1.0 } else { jitter.clamp(0.0, 1.0) };
    // The factor is in [0.5, 1] and `step` is at most `cap`, so this neither overflows nor
    // goes past the cap.
    let delay = step.mul_f64(0.5 + 0.5 * jitter);
    let floor = retry_after.unwrap_or(Duration::ZERO).min(cap);
    delay.max(floor)
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (RFC 9110 §10.2.3),
/// measured from `now`. A date in the past means "now" (zero). Anything else is ignored.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time": the cap will apply.
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let when: DateTime<Utc> = httpdate::parse_http_date(value).ok()?.into();
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn statuses_map_to_outcomes() {
        for (status, outcome) in [
            (Some(200), Outcome::Delivered),
            (Some(202), Outcome::Delivered),
            (Some(204), Outcome::Delivered),
            (Some(299), Outcome::Delivered),
            (Some(410), Outcome::Disable),
            (Some(301), Outcome::Retry),
            (Some(302), Outcome::Retry),
            (Some(400), Outcome::Retry),
            (Some(404), Outcome::Retry),
            (Some(429), Outcome::Retry),
            (Some(500), Outcome::Retry),
            (Some(503), Outcome::Retry),
            (Some(100), Outcome::Retry),
            (None, Outcome::Retry),
        ] {
            assert_eq!(Outcome::from_status(status), outcome, "{status:?}");
        }
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let base = 30 * SECOND;
        let cap = 6 * 3600 * SECOND;
        let full: Vec<u64> = (1..=12).map(|n| next_delay(n, base, cap, None, 1.0).as_secs()).collect();
        assert_eq!(full, [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]);
        assert_eq!(next_delay(0, base, cap, None, 1.0), base, "attempt 0 is read as the first");
        assert_eq!(next_delay(u32::MAX, base, cap, None, 1.0), cap, "no overflow");
        assert_eq!(next_delay(3, Duration::MAX, cap, None, 1.0), cap);
    }

    #[test]
    fn jitter_chooses_between_half_the_step_and_all_of_it() {
        let base = 30 * SECOND;
        let cap = 3600 * SECOND;
        assert_eq!(next_delay(2, base, cap, None, 0.0), 30 * SECOND);
        assert_eq!(next_delay(2, base, cap, None, 0.5), 45 * SECOND);
        assert_eq!(next_delay(2, base, cap, None, 1.0), 60 * SECOND);
        assert_eq!(next_delay(2, base, cap, None, -3.0), 30 * SECOND, "clamped");
        assert_eq!(next_delay(2, base, cap, None, 7.0), 60 * SECOND, "clamped");
        assert_eq!(next_delay(2, base, cap, None, f64::NAN), 60 * SECOND);
    }

    #[test]
    fn retry_after_is_a_floor_no_higher_than_the_cap() {
        let base = 30 * SECOND;
        let cap = 3600 * SECOND;
        assert_eq!(next_delay(1, base, cap, Some(600 * SECOND), 0.0), 600 * SECOND);
        assert_eq!(next_delay(1, base, cap, Some(SECOND), 0.0), 15 * SECOND, "a shorter one changes nothing");
        assert_eq!(next_delay(1, base, cap, Some(86_400 * SECOND), 0.0), cap);
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        assert_eq!(parse_retry_after("120", now), Some(120 * SECOND));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("Sun, 01 Mar 2026 12:05:00 GMT", now), Some(300 * SECOND));
        assert_eq!(parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now), Some(Duration::ZERO), "in the past");
        // The obsolete forms RFC 9110 still asks recipients to read.
        assert_eq!(parse_retry_after("Sunday, 01-Mar-26 12:00:30 GMT", now), Some(30 * SECOND));
        assert_eq!(parse_retry_after("Sun Mar  1 12:01:00 2026", now), Some(60 * SECOND));
        for junk in ["", "-5", "1.5", "soon", "120 seconds", "2026-03-01T12:05:00Z"] {
            assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
        }
    }

    proptest! {
        #[test]
        fn a_delay_stays_within_the_cap_and_honours_retry_after(
            attempt in 0u32..200,
            base_ms in 1u64..3_600_000,
            cap_ms in 1u64..86_400_000,
            retry_after_ms in proptest::option::of(0u64..200_000_000),
            jitter in -1.0f64..2.0,
        ) {
            let cap = Duration::from_millis(cap_ms);
            let retry_after = retry_after_ms.map(Duration::from_millis);
            let delay = next_delay(attempt, Duration::from_millis(base_ms), cap, retry_after, jitter);
            prop_assert!(delay <= cap, "{delay:?} > {cap:?}");
            if let Some(retry_after) = retry_after.filter(|r| *r <= cap) {
                prop_assert!(delay >= retry_after, "{delay:?} < {retry_after:?}");
            }
        }

        #[test]
        fn a_later_attempt_never_waits_less_at_the_same_jitter(
            attempt in 1u32..100,
            base_ms in 1u64..3_600_000,
            cap_ms in 1u64..86_400_000,
            jitter in 0.0f64..1.0,
        ) {
            let (base, cap) = (Duration::from_millis(base_ms), Duration::from_millis(cap_ms));
            prop_assert!(next_delay(attempt + 1, base, cap, None, jitter) >= next_delay(attempt, base, cap, None, jitter));
        }
    }
}
