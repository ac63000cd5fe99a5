//! Who may do what (domain.md §7), in one place. Anything not granted here is denied.

use crate::auth::principal::Principal;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Create, list and revoke API clients.
    ManageClients,
    CreateAgency,
    /// Search the registry. What an agency sees is narrowed by [`agency_scope`].
    ListAgencies,
    ReadAgency {
        agency_id: &'a str,
    },
    /// Change an agency's profile. Its legal identity (legal name and licence) is the
    /// operator's to change, not the agency's.
    UpdateAgency {
        agency_id: &'a str,
        changes_identity: bool,
    },
}

/// Allows `action` for `who`, or answers 403.
pub fn authorize(who: &Principal, action: Action<'_>) -> AppResult<()> {
    let own_agency = |id: &str| who.role == Role::Agency && who.agency_id.as_deref() == Some(id);
    let granted = match action {
        Action::ManageClients | Action::CreateAgency => who.is(Role::Admin),
        Action::ListAgencies => true,
        Action::ReadAgency { agency_id } => match who.role {
            Role::Admin | Role::Auditor | Role::Certifier | Role::Integrator => true,
            Role::Agency => own_agency(agency_id),
        },
        Action::UpdateAgency {
            agency_id,
            changes_identity,
        } => match who.role {
            Role::Admin => true,
            Role::Agency => own_agency(agency_id) && !changes_identity,
            Role::Auditor | Role::Certifier | Role::Integrator => false,
        },
    };
    if granted {
        Ok(())
    } else {
        Err(AppError::Forbidden(denial(who.role, action)))
    }
}

fn denial(role: Role, action: Action<'_>) -> String {
    let what = match action {
        Action::ManageClients => "manage API clients",
        Action::CreateAgency => "register agencies",
        Action::ListAgencies => "search the registry",
        Action::ReadAgency { .. } => "read this agency",
        Action::UpdateAgency {
            changes_identity: true,
            ..
        } if role == Role::Agency => {
            "change an agency's legal name or licence; ask the scheme operator"
        }
        Action::UpdateAgency { .. } => "update this agency",
    };
    format!("the {} role may not {what}", role.as_str())
}

/// The agencies a caller may list: all of them, or only its own.
pub fn agency_scope(who: &Principal) -> Option<&str> {
    match who.role {
        Role::Agency => Some(who.agency_id.as_deref().unwrap_or("")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, agency: Option<&str>) -> Principal {
        Principal {
            client_id: "c".into(),
            role,
            certification_body_id: None,
            agency_id: agency.map(str::to_owned),
        }
    }

    #[test]
    fn only_admins_manage_clients_and_register_agencies() {
        for role in [
            Role::Auditor,
            Role::Certifier,
            Role::Agency,
            Role::Integrator,
        ] {
            assert!(authorize(&who(role, Some("a")), Action::ManageClients).is_err());
            assert!(authorize(&who(role, Some("a")), Action::CreateAgency).is_err());
        }
        assert!(authorize(&who(Role::Admin, None), Action::CreateAgency).is_ok());
    }

    #[test]
    fn an_agency_reads_and_edits_only_itself_and_not_its_identity() {
        let me = who(Role::Agency, Some("a"));
        assert!(authorize(&me, Action::ReadAgency { agency_id: "a" }).is_ok());
        assert!(authorize(&me, Action::ReadAgency { agency_id: "b" }).is_err());
        assert!(
            authorize(
                &me,
                Action::UpdateAgency {
                    agency_id: "a",
                    changes_identity: false
                }
            )
            .is_ok()
        );
        assert!(
            authorize(
                &me,
                Action::UpdateAgency {
                    agency_id: "a",
                    changes_identity: true
                }
            )
            .is_err()
        );
        assert!(
            authorize(
                &me,
                Action::UpdateAgency {
                    agency_id: "b",
                    changes_identity: false
                }
            )
            .is_err()
        );
        assert_eq!(agency_scope(&me), Some("a"));
        assert_eq!(agency_scope(&who(Role::Integrator, None)), None);
    }

    #[test]
    fn integrators_and_auditors_read_but_do_not_edit() {
        for role in [Role::Integrator, Role::Auditor, Role::Certifier] {
            let p = who(role, None);
            assert!(authorize(&p, Action::ReadAgency { agency_id: "a" }).is_ok());
            assert!(
                authorize(
                    &p,
                    Action::UpdateAgency {
                        agency_id: "a",
                        changes_identity: false
                    }
                )
                .is_err()
            );
        }
    }
}
