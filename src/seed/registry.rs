//! The registry's cast: the certification bodies with their auditors and certifiers, and every
//! agency's registration data.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use validator::Validate;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::agency::{Address, Licence, Sector, fold_for_search, licence_key};
use crate::domain::certification_body::AccreditationStatus;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::seed::origins::{AddressStyle, BODIES, City, NameStyle, ORIGINS, Origin, sector_pool};
use crate::seed::texts::slug;
use crate::seed::{Seeder, Time, days, internal};
use crate::services;
use crate::services::agencies::AgencyInput;
use crate::services::certification_bodies::BodyInput;
use crate::services::clients::ClientInput;

pub(super) struct DemoBody {
    pub(super) id: String,
    pub(super) auditor: Principal,
    pub(super) certifier: Principal,
    /// A second certifier, who records the technical review before each certification, so
    /// that auditor, reviewer and decider are three people.
    pub(super) reviewer: Principal,
}

pub(super) struct DemoAgency {
    pub(super) id: String,
    pub(super) origin: &'static Origin,
    pub(super) input: AgencyInput,
    pub(super) self_assessment: bool,
    pub(super) own_client: Option<Principal>,
}

impl DemoAgency {
    /// Who answers for the agency: its own client when it has one, otherwise the agency acting
    /// through a client the demo does not store (answers to corrective actions record no client).
    pub(super) fn acting(&self) -> Principal {
        self.own_client.clone().unwrap_or_else(|| Principal {
            client_id: "demo-agency".into(),
            role: Role::Agency,
            certification_body_id: None,
            agency_id: Some(self.id.clone()),
        })
    }
}

impl Seeder {
    // --- bodies and their people ---------------------------------------------------------------

    pub(super) fn bodies(&mut self, c: &mut DbConnection) -> AppResult<()> {
        for spec in BODIES {
            let created = self.days_ago(1500, 1600);
            let input = BodyInput {
                name: spec.name.into(),
                country: spec.country.into(),
                website: Some(format!("https://{}.example.com", spec.site)),
                accreditation_status: if spec.accredited {
                    AccreditationStatus::Accredited
                } else {
                    AccreditationStatus::Pending
                },
                accredited_until: if spec.accredited {
                    Some((self.now + days(self.rng.gen_range(200..=1000))).date_naive())
                } else {
                    None
                },
            };
            let row = services::certification_bodies::create(c, super::ACTOR, input, created)?;
            if !spec.accredited {
                self.pending_bodies += 1;
                continue;
            }
            let auditor_ref = format!("{}-AUD-{:02}", spec.short, self.rng.gen_range(10..=99));
            let certifier_ref = format!("{}-CRT-{:02}", spec.short, self.rng.gen_range(10..=99));
            let joined = self.after(created, 5, 30);
            let auditor = self.client(
                c,
                format!("{} lead auditor (demo)", spec.short),
                Role::Auditor,
                &row.id,
                &auditor_ref,
                joined,
            )?;
            let certifier = self.client(
                c,
                format!("{} certification decisions (demo)", spec.short),
                Role::Certifier,
                &row.id,
                &certifier_ref,
                joined,
            )?;
            // Not drawn from the generator, so the rest of the demo stays what it was.
            let reviewer = self.client(
                c,
                format!("{} technical review (demo)", spec.short),
                Role::Certifier,
                &row.id,
                &format!("{}-REV-01", spec.short),
                joined,
            )?;
            self.bodies.push(DemoBody { id: row.id, auditor, certifier, reviewer });
        }
        Ok(())
    }

    fn client(
        &mut self,
        c: &mut DbConnection,
        name: String,
        role: Role,
        body_id: &str,
        person_ref: &str,
        at: Time,
    ) -> AppResult<Principal> {
        self.new_client(
            c,
            ClientInput {
                name,
                role,
                certification_body_id: Some(body_id.into()),
                agency_id: None,
                person_ref: Some(person_ref.into()),
            },
            at,
        )
    }

    /// A client through the same service as `client create`, with a secret nobody is shown:
    /// demo clients cannot log in. Returns the client as the actor it is.
    pub(super) fn new_client(&mut self, c: &mut DbConnection, input: ClientInput, at: Time) -> AppResult<Principal> {
        let created = services::clients::create_with_secret(c, input, None, at)?.client;
        self.tally.clients += 1;
        Ok(Principal {
            client_id: created.client_id,
            role: created.role,
            certification_body_id: created.certification_body_id,
            agency_id: created.agency_id,
        })
    }

    pub(super) fn body_for(&mut self, agency: &DemoAgency) -> usize {
        const GULF_AE: usize = 0;
        const GULF_QA: usize = 1;
        const ASIA: usize = 2;
        const PHILIPPINES: usize = 3;
        let destinations = &agency.input.destination_countries;
        let asia = destinations.iter().any(|d| matches!(d.as_str(), "MY" | "SG" | "HK" | "TW"));
        if agency.origin.code == "PH" && self.rng.gen_bool(0.75) {
            PHILIPPINES
        } else if (agency.origin.code == "ID" || asia) && self.rng.gen_bool(0.7) {
            ASIA
        } else if destinations.iter().any(|d| d == "QA") && self.rng.gen_bool(0.5) {
            GULF_QA
        } else {
            self.pick(&[GULF_AE, GULF_QA])
        }
    }

    // --- the registry --------------------------------------------------------------------------

    /// Every agency's registration data, in a random order of origins.
    pub(super) fn agencies(&mut self) -> AppResult<Vec<DemoAgency>> {
        let mut origins: Vec<&'static Origin> =
            ORIGINS.iter().flat_map(|o| std::iter::repeat_n(o, o.agencies)).collect();
        origins.shuffle(&mut self.rng);
        let mut names = BTreeSet::new();
        let mut licences = BTreeSet::new();
        let mut out = Vec::with_capacity(origins.len());
        for origin in origins {
            let input = self.agency_input(origin, &mut names, &mut licences);
            input.validate().map_err(|e| internal(format!("agency {}: {e}", input.legal_name)))?;
            out.push(DemoAgency { id: String::new(), origin, input, self_assessment: false, own_client: None });
        }
        Ok(out)
    }

    fn agency_input(
        &mut self,
        origin: &'static Origin,
        names: &mut BTreeSet<String>,
        licences: &mut BTreeSet<String>,
    ) -> AgencyInput {
        let (legal_name, brand) = loop {
            let prefix = self.pick(origin.prefixes);
            let kind = self.pick(origin.kinds);
            let suffix = self.pick(origin.suffixes);
            let (name, brand) = match origin.style {
                NameStyle::Western => (format!("{prefix} {kind} {suffix}"), prefix),
                NameStyle::Indonesian if prefix == suffix => continue,
                NameStyle::Indonesian => (format!("PT {prefix} {kind} {suffix}"), prefix),
            };
            if names.insert(fold_for_search(&name)) {
                break (name, brand);
            }
        };
        let trading_names = if self.rng.gen_bool(0.3) {
            let word = self.pick(origin.brands);
            vec![format!("{brand} {word}")]
        } else {
            Vec::new()
        };
        let city = self.pick_ref(origin.cities);
        let today = self.now.date_naive();
        let (number, valid_from, valid_until) = loop {
            let issued = today - days(self.rng.gen_range(30..=1000));
            let number = self.licence_number(origin, city, issued);
            if licences.insert(licence_key(&number)) {
                let term = Months::new(12 * origin.licence_years);
                let mut from = issued;
                let mut until = issued.checked_add_months(term).unwrap_or(issued);
                // A licence that ran out was renewed under the same number.
                while until < today + days(20) {
                    from = until;
                    until = until.checked_add_months(term).unwrap_or(until);
                }
                break (number, from, until);
            }
        };
        let mut destinations: Vec<&str> = origin.destinations.to_vec();
        destinations.shuffle(&mut self.rng);
        destinations.truncate(self.rng.gen_range(1..=3));
        let mut pool: Vec<Sector> = Vec::new();
        for d in &destinations {
            for s in sector_pool(origin.code, d) {
                if !pool.contains(s) {
                    pool.push(*s);
                }
            }
        }
        pool.shuffle(&mut self.rng);
        pool.truncate(self.rng.gen_range(1..=3));
        let street = self.pick(city.streets);
        let n = self.rng.gen_range(2..=480);
        let line1 = match origin.address {
            AddressStyle::StreetNumber => format!("{street} {n}"),
            AddressStyle::NumberStreet => format!("{n} {street}"),
            AddressStyle::Jalan => format!("{street} No. {n}"),
            AddressStyle::House => format!("House {n}, {street}"),
            AddressStyle::Plot => format!("Plot {n}, {street}"),
        };
        let slug = slug(&legal_name);
        let website = self.rng.gen_bool(0.75).then(|| format!("https://{slug}.example.com"));
        let mailbox = self.pick(&["info", "compliance", "recruitment", "hr"]);
        let contact_email = self.rng.gen_bool(0.9).then(|| format!("{mailbox}@{slug}.example.com"));
        let contact_phone = if self.rng.gen_bool(0.85) { Some(self.digits(city.phone)) } else { None };
        AgencyInput {
            legal_name,
            trading_names,
            licence: Licence {
                number,
                issuing_authority: origin.authority.into(),
                country: origin.code.into(),
                valid_from: Some(valid_from),
                valid_until: Some(valid_until),
                verified_at: None,
                verified_by: None,
                source: None,
            },
            origin_countries: vec![origin.code.into()],
            destination_countries: destinations.iter().map(|d| d.to_string()).collect(),
            sectors: pool,
            address: Some(Address {
                line1,
                line2: None,
                city: city.name.into(),
                region: city.region.map(str::to_owned),
                postal_code: None,
                country: origin.code.into(),
            }),
            website,
            contact_email,
            contact_phone,
        }
    }

    /// A licence number in the issuing country's style.
    fn licence_number(&mut self, origin: &Origin, city: &City, issued: NaiveDate) -> String {
        let year = issued.year();
        let r = &mut self.rng;
        match origin.code {
            // Nepal numbers its licences with the Bikram Sambat year (about 57 years ahead).
            "NP" => format!("DoFE-{:04}/{}", r.gen_range(100..=1999), year + 57),
            "PH" => format!(
                "DMW-{:03}-LB-{:02}{:02}{:02}-R",
                r.gen_range(1..=999),
                issued.month(),
                issued.day(),
                year % 100
            ),
            "ID" => format!("SIP3MI-{:03}/KEMNAKER/{year}", r.gen_range(1..=650)),
            "BD" => format!("RL-{}", r.gen_range(100..=2900)),
            "IN" => format!(
                "B-{:04}/{}/PER/1000+/5/{}/{year}",
                r.gen_range(100..=3500),
                city.code,
                r.gen_range(1000..=9999)
            ),
            "LK" => format!("SLBFE/RA/{:04}", r.gen_range(100..=3200)),
            "ET" => format!("MoLS/PEA/{:03}/{year}", r.gen_range(1..=999)),
            "KE" => format!("NEA/PEA/{:04}/{year}", r.gen_range(1..=1800)),
            _ => format!("EEL/{:03}/{year}", r.gen_range(1..=450)),
        }
    }

    pub(super) fn register(&mut self, c: &mut DbConnection, a: &mut DemoAgency, created: Time) -> AppResult<()> {
        a.id = services::agencies::create(c, super::ACTOR, a.input.clone(), created)?.id;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::tests::seeder;

    #[test]
    fn the_registry_data_is_valid_unique_and_the_same_every_time() {
        let first = seeder().agencies().unwrap();
        let again = seeder().agencies().unwrap();
        assert_eq!(first.len(), 300);
        let names: Vec<&str> = first.iter().map(|a| a.input.legal_name.as_str()).collect();
        let names_again: Vec<&str> = again.iter().map(|a| a.input.legal_name.as_str()).collect();
        assert_eq!(names, names_again);
        let folded: BTreeSet<String> = names.iter().map(|n| fold_for_search(n)).collect();
        assert_eq!(folded.len(), 300, "legal names are unique");
        let licences: BTreeSet<String> = first.iter().map(|a| licence_key(&a.input.licence.number)).collect();
        assert_eq!(licences.len(), 300, "licence numbers are unique");
        assert!(names.iter().any(|n| !n.is_ascii()), "some names carry accents");
        for a in &first {
            assert!(a.input.validate().is_ok(), "{}", a.input.legal_name);
            assert!(a.input.contact_email.as_deref().is_none_or(|e| e.ends_with(".example.com")));
            assert!(a.input.licence.valid_until.unwrap() > seeder().now.date_naive());
        }
    }
}
