//! The roles of domain.md §7 and the binding each one needs.

crate::domain::named_enum! {
    pub enum Role {
        /// The scheme operator.
        Admin,
        /// Files assessments for one certification body.
        Auditor,
        /// Takes certification decisions for one certification body.
        Certifier,
        /// Acts for one agency.
        Agency,
        /// An HR platform or employer doing due diligence.
        Integrator,
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Role> {
        s.parse().ok()
    }

    pub fn needs_certification_body(self) -> bool {
        matches!(self, Role::Auditor | Role::Certifier)
    }

    pub fn needs_agency(self) -> bool {
        matches!(self, Role::Agency)
    }

    /// Checks that a client of this role carries exactly the bindings it needs. Returns the
    /// offending field and why.
    pub fn check_bindings(
        self,
        certification_body_id: Option<&str>,
        agency_id: Option<&str>,
    ) -> Result<(), (&'static str, String)> {
        let name = self.as_str();
        match (self.needs_certification_body(), certification_body_id) {
            (true, None) => {
                return Err(("certification_body_id", format!("required for the {name} role")));
            }
            (false, Some(_)) => {
                return Err(("certification_body_id", format!("not allowed for the {name} role")));
            }
            _ => {}
        }
        match (self.needs_agency(), agency_id) {
            (true, None) => Err(("agency_id", format!("required for the {name} role"))),
            (false, Some(_)) => Err(("agency_id", format!("not allowed for the {name} role"))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_requires_exactly_its_binding() {
        assert!(Role::Admin.check_bindings(None, None).is_ok());
        assert!(Role::Integrator.check_bindings(None, None).is_ok());
        assert_eq!(Role::Auditor.check_bindings(None, None).unwrap_err().0, "certification_body_id");
        assert!(Role::Certifier.check_bindings(Some("cb"), None).is_ok());
        assert_eq!(Role::Agency.check_bindings(None, None).unwrap_err().0, "agency_id");
        assert!(Role::Agency.check_bindings(None, Some("a")).is_ok());
        assert_eq!(Role::Admin.check_bindings(None, Some("a")).unwrap_err().0, "agency_id");
        assert_eq!(Role::Agency.check_bindings(Some("cb"), Some("a")).unwrap_err().0, "certification_body_id");
    }

    #[test]
    fn names_round_trip() {
        for r in [Role::Admin, Role::Auditor, Role::Certifier, Role::Agency, Role::Integrator] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
