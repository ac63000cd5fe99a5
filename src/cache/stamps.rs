//! Which cached answers a change in the event log makes stale, in fixed memory.
//!
//! Each agency id hashes to one of a fixed number of slots; a slot holds the sequence of the
//! last event applied that touched any agency hashing to it. An answer read after the log
//! position `seen` is fresh while every agency it depends on has a slot at or below `seen`. Two
//! agencies sharing a slot only cost a needless reload, never a stale answer, and the table
//! never grows with the registry (a map of every agency ever changed would).

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicI64, Ordering};

/// Slots in the table: 2^16 of 8 bytes is 512 KiB, and with 10,000 agencies changing at
/// once a given agency shares its slot with a changed one about one time in seven.
const SLOTS: usize = 1 << 16;

pub struct Stamps {
    slots: Box<[AtomicI64]>,
    /// The last event that changed a certification body (its accreditation weighs on every
    /// agency it certified, so such answers depend on all bodies at once).
    bodies: AtomicI64,
    /// Fixed keys, so every instance and every run hashes an id to the same slot.
    hasher: std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>,
}

impl Default for Stamps {
    fn default() -> Self {
        Stamps {
            slots: (0..SLOTS).map(|_| AtomicI64::new(i64::MIN)).collect(),
            bodies: AtomicI64::new(i64::MIN),
            hasher: Default::default(),
        }
    }
}

/// What an answer depends on besides the agencies it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    Ignored,
    DependedOn,
}

impl Stamps {
    fn slot(&self, agency_id: &str) -> &AtomicI64 {
        // The modulo keeps the index in range; SLOTS is a power of two.
        &self.slots[(self.hasher.hash_one(agency_id) as usize) % SLOTS]
    }

    /// Records that event `sequence` changed `agency_id`.
    pub fn agency_changed(&self, agency_id: &str, sequence: i64) {
        self.slot(agency_id).fetch_max(sequence, Ordering::AcqRel);
    }

    /// Records that event `sequence` changed a certification body.
    pub fn body_changed(&self, sequence: i64) {
        self.bodies.fetch_max(sequence, Ordering::AcqRel);
    }

    /// Whether an answer read after log position `seen` still holds for these agencies.
    pub fn fresh<'a>(&self, seen: i64, agencies: impl IntoIterator<Item = &'a str>, bodies: Bodies) -> bool {
        (bodies == Bodies::Ignored || self.bodies.load(Ordering::Acquire) <= seen)
            && agencies.into_iter().all(|id| self.slot(id).load(Ordering::Acquire) <= seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_after_the_read_makes_the_answer_stale_and_one_before_does_not() {
        let stamps = Stamps::default();
        stamps.agency_changed("a", 5);
        assert!(stamps.fresh(5, ["a"], Bodies::Ignored));
        stamps.agency_changed("a", 6);
        assert!(!stamps.fresh(5, ["a"], Bodies::Ignored));
        assert!(stamps.fresh(6, ["a"], Bodies::Ignored));
    }

    #[test]
    fn an_answer_is_stale_when_any_agency_it_names_changed() {
        let stamps = Stamps::default();
        stamps.agency_changed("sub-agent", 9);
        assert!(!stamps.fresh(8, ["agency", "sub-agent"], Bodies::Ignored));
        assert!(stamps.fresh(8, ["agency"], Bodies::Ignored));
    }

    #[test]
    fn a_body_change_reaches_only_the_answers_that_depend_on_bodies() {
        let stamps = Stamps::default();
        stamps.body_changed(3);
        assert!(stamps.fresh(2, ["a"], Bodies::Ignored));
        assert!(!stamps.fresh(2, ["a"], Bodies::DependedOn));
    }

    #[test]
    fn stamps_never_go_back() {
        let stamps = Stamps::default();
        stamps.agency_changed("a", 7);
        stamps.agency_changed("a", 4);
        assert!(!stamps.fresh(6, ["a"], Bodies::Ignored));
    }
}
