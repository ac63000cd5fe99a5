//! Who may do what (domain.md §7), in one place. Anything not granted here is denied.

use crate::auth::principal::Principal;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::store::certification_bodies::ApplicationScope;

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
    /// Create, publish and retire standard versions.
    ManageStandards,
    /// Create certification bodies and change their accreditation.
    ManageCertificationBodies,
    /// Apply to a certification body on the agency's behalf.
    Apply {
        agency_id: &'a str,
    },
    /// Open an assessment. An auditor also needs the agency to have applied to its body, which
    /// the handler checks against the data.
    CreateAssessment {
        agency_id: &'a str,
        self_assessment: bool,
    },
    /// See an assessment's summary and scores.
    ReadAssessment {
        agency_id: &'a str,
        body_id: Option<&'a str>,
        finalized: bool,
    },
    /// See an assessment's findings and the score explanation built from them.
    ReadFindings {
        agency_id: &'a str,
        body_id: Option<&'a str>,
    },
    /// Record findings, submit, finalize or cancel.
    WorkOnAssessment {
        agency_id: &'a str,
        body_id: Option<&'a str>,
    },
    ReadCorrectiveAction {
        agency_id: &'a str,
        body_id: &'a str,
    },
    /// Submit a plan or evidence: the agency's part.
    AnswerCorrectiveAction {
        agency_id: &'a str,
    },
    /// Verify or reject: an auditor of the body that raised it.
    JudgeCorrectiveAction {
        body_id: &'a str,
    },
    /// List applications. What a caller sees is narrowed by [`application_scope`].
    ListApplications,
    /// See one application: the agency's own, or one made to the caller's body.
    ReadApplication {
        agency_id: &'a str,
        body_id: &'a str,
    },
    /// Accept, defer or reject an application to a body.
    DecideApplication {
        body_id: &'a str,
    },
    /// Read an agency's certification, history and due-diligence summary.
    ReadCertification {
        agency_id: &'a str,
    },
    /// Certify, or take a decision on a certificate issued by `body_id`. Admins may suspend,
    /// reinstate and withdraw (an override, always with a reason) but never certify.
    DecideCertification {
        body_id: Option<&'a str>,
        certify: bool,
    },
    /// Record a technical review before a decision on an audit or certificate of `body_id`:
    /// its auditors and certifiers (whether this one led the audit is the service's check).
    ReviewCertification {
        body_id: Option<&'a str>,
    },
    /// Read technical reviews: admins, and the staff of the body (of its own reviews).
    ReadReviews {
        body_id: Option<&'a str>,
    },
    /// Appeal a decision about the agency: the agency itself.
    FileAppeal {
        agency_id: &'a str,
    },
    /// File a complaint about a certification body or one of its auditors: any client.
    FileComplaint,
    /// Move appeals and complaints on: the scheme's admins (the one who took part in the case
    /// is refused by the service, which knows who that is).
    HandleCases,
    /// Re-walk the event log's hash chain.
    VerifyEventLog,
    /// Keep a watchlist of agencies, and webhook subscriptions: what an HR platform does.
    ManageWatchlist,
    ManageWebhooks,
    /// Verify agencies in bulk (`POST /v1/verifications`): what an HR platform does.
    VerifyAgencies,
    /// Read and moderate worker reports: for the scheme's own staff, never an agency or a body.
    ModerateReports,
    /// Erase a person's data on request: for the scheme's own staff, who answer such requests.
    ErasePersonalData,
    /// Record or remove the sub-agents and branches that recruit for an agency. Who may read
    /// them is who may read the agency ([`Action::ReadAgency`]).
    ManageSubAgents {
        agency_id: &'a str,
    },
    /// Give, list and revoke the agency's sharing grants, and read who read what under them.
    ManageGrants {
        agency_id: &'a str,
    },
    /// Read a finalized assessment's findings under a sharing grant: integrators only. Whether
    /// the agency granted this integrator access now is data, checked by `services::grants`.
    ReadFindingsUnderGrant {
        finalized: bool,
    },
    /// Attach an evidence file to an assessment or one of its findings: who works on it (an
    /// auditor of its body; the agency, on its self-assessment). Who may read the files is who
    /// may read the findings ([`Action::ReadFindings`], or a sharing grant).
    AttachAssessmentFile {
        agency_id: &'a str,
        body_id: Option<&'a str>,
    },
    /// Attach an evidence file to a corrective action: the agency that answers it.
    AttachActionFile {
        agency_id: &'a str,
    },
    /// Remove an evidence file: only the client that uploaded it.
    RemoveEvidenceFile {
        uploaded_by: &'a str,
    },
}

/// Allows `action` for `who`, or answers 403.
pub fn authorize(who: &Principal, action: Action<'_>) -> AppResult<()> {
    let own_agency = |id: &str| who.role == Role::Agency && who.agency_id.as_deref() == Some(id);
    let of_body = |roles: &[Role], body: Option<&str>| {
        roles.contains(&who.role) && body.is_some() && who.certification_body_id.as_deref() == body
    };
    let granted = match action {
        Action::ManageClients
        | Action::CreateAgency
        | Action::ManageStandards
        | Action::ManageCertificationBodies
        | Action::VerifyEventLog
        | Action::ModerateReports
        | Action::ErasePersonalData => who.is(Role::Admin),
        Action::ManageWatchlist | Action::ManageWebhooks | Action::VerifyAgencies => {
            who.is(Role::Admin) || who.is(Role::Integrator)
        }
        Action::ManageSubAgents { agency_id } | Action::ManageGrants { agency_id } => {
            who.is(Role::Admin) || own_agency(agency_id)
        }
        Action::ReadFindingsUnderGrant { finalized } => who.is(Role::Integrator) && finalized,
        Action::Apply { agency_id } => who.is(Role::Admin) || own_agency(agency_id),
        Action::CreateAssessment { agency_id, self_assessment } => match who.role {
            Role::Auditor => !self_assessment,
            Role::Agency => self_assessment && own_agency(agency_id),
            _ => false,
        },
        Action::ReadAssessment { agency_id, body_id, finalized } => {
            who.is(Role::Admin)
                || of_body(&[Role::Auditor, Role::Certifier], body_id)
                || own_agency(agency_id)
                || (who.is(Role::Integrator) && finalized)
        }
        Action::ReadFindings { agency_id, body_id } => {
            who.is(Role::Admin) || of_body(&[Role::Auditor, Role::Certifier], body_id) || own_agency(agency_id)
        }
        Action::WorkOnAssessment { agency_id, body_id } | Action::AttachAssessmentFile { agency_id, body_id } => {
            match body_id {
                Some(_) => of_body(&[Role::Auditor], body_id),
                None => own_agency(agency_id),
            }
        }
        Action::ReadCorrectiveAction { agency_id, body_id } => {
            who.is(Role::Admin) || of_body(&[Role::Auditor, Role::Certifier], Some(body_id)) || own_agency(agency_id)
        }
        Action::AnswerCorrectiveAction { agency_id } | Action::AttachActionFile { agency_id } => own_agency(agency_id),
        Action::RemoveEvidenceFile { uploaded_by } => who.client_id == uploaded_by,
        Action::JudgeCorrectiveAction { body_id } => of_body(&[Role::Auditor], Some(body_id)),
        Action::ListApplications => scope_of_applications(who).is_some(),
        Action::ReadApplication { agency_id, body_id } => {
            who.is(Role::Admin) || of_body(&[Role::Auditor, Role::Certifier], Some(body_id)) || own_agency(agency_id)
        }
        Action::DecideApplication { body_id } => who.is(Role::Admin) || of_body(&[Role::Certifier], Some(body_id)),
        Action::ReadCertification { agency_id } => who.role != Role::Agency || own_agency(agency_id),
        Action::DecideCertification { body_id, certify } => {
            of_body(&[Role::Certifier], body_id) || (who.is(Role::Admin) && !certify)
        }
        Action::ReviewCertification { body_id } => of_body(&[Role::Auditor, Role::Certifier], body_id),
        Action::ReadReviews { body_id } => who.is(Role::Admin) || of_body(&[Role::Auditor, Role::Certifier], body_id),
        Action::FileAppeal { agency_id } => own_agency(agency_id),
        Action::FileComplaint => true,
        Action::HandleCases => who.is(Role::Admin),
        Action::ListAgencies => true,
        Action::ReadAgency { agency_id } => match who.role {
            Role::Admin | Role::Auditor | Role::Certifier | Role::Integrator => true,
            Role::Agency => own_agency(agency_id),
        },
        Action::UpdateAgency { agency_id, changes_identity } => match who.role {
            Role::Admin => true,
            Role::Agency => own_agency(agency_id) && !changes_identity,
            Role::Auditor | Role::Certifier | Role::Integrator => false,
        },
    };
    if granted { Ok(()) } else { Err(AppError::Forbidden(denial(who.role, action))) }
}

fn denial(role: Role, action: Action<'_>) -> String {
    let what = match action {
        Action::ManageClients => "manage API clients",
        Action::CreateAgency => "register agencies",
        Action::ListAgencies => "search the registry",
        Action::ReadAgency { .. } => "read this agency",
        Action::UpdateAgency { changes_identity: true, .. } if role == Role::Agency => {
            "change an agency's legal name or licence; ask the scheme operator"
        }
        Action::UpdateAgency { .. } => "update this agency",
        Action::ManageStandards => "manage standards",
        Action::ManageCertificationBodies => "manage certification bodies",
        Action::Apply { .. } => "apply for this agency",
        Action::CreateAssessment { self_assessment: true, .. } => "open a self-assessment for this agency",
        Action::CreateAssessment { .. } => "open an audit; only auditors of a certification body may",
        Action::ReadAssessment { .. } => "read this assessment",
        Action::ReadFindings { .. } => "read this assessment's findings",
        Action::WorkOnAssessment { .. } => "work on this assessment",
        Action::ReadCorrectiveAction { .. } => "read this corrective action",
        Action::AnswerCorrectiveAction { .. } => "answer this corrective action; only the agency may",
        Action::ListApplications => "list applications",
        Action::ReadApplication { .. } => "read this application",
        Action::DecideApplication { .. } => "decide on this application; only a certifier of the body may",
        Action::ReadCertification { .. } => "read this agency's certification",
        Action::DecideCertification { certify: true, .. } => {
            "certify; only a certifier of the certification body that audited the agency may"
        }
        Action::DecideCertification { .. } => {
            "decide on this certificate; only a certifier of its body or an admin may"
        }
        Action::ReviewCertification { .. } => {
            "review this decision; only an auditor or certifier of the certification body may"
        }
        Action::ReadReviews { .. } => "read these technical reviews",
        Action::FileAppeal { .. } => "appeal a decision about this agency; only the agency itself may",
        Action::FileComplaint => "file a complaint",
        Action::HandleCases => "handle appeals and complaints; only the scheme's admins may",
        Action::VerifyEventLog => "verify the event log",
        Action::ModerateReports => "read or moderate worker reports; only the scheme's admins may",
        Action::ErasePersonalData => "erase personal data; only the scheme's admins may",
        Action::ManageWatchlist => "keep a watchlist; it is for integrators",
        Action::ManageWebhooks => "manage webhook subscriptions; they are for integrators",
        Action::ManageSubAgents { .. } => "record this agency's sub-agents; only the agency itself or an admin may",
        Action::ManageGrants { .. } => "manage this agency's sharing grants; only the agency itself or an admin may",
        Action::ReadFindingsUnderGrant { .. } => {
            "read findings under a sharing grant; only integrators may, of finalized assessments"
        }
        Action::VerifyAgencies => "verify agencies in bulk; it is for integrators",
        Action::AttachAssessmentFile { .. } => "attach files to this assessment; only its auditors may",
        Action::AttachActionFile { .. } => "attach files to this corrective action; only the agency may",
        Action::RemoveEvidenceFile { .. } => "remove this file; only the client that uploaded it may",
        Action::JudgeCorrectiveAction { .. } => {
            "verify or reject this corrective action; only an auditor of the certification body that raised it may"
        }
    };
    format!("the {} role may not {what}", role.as_str())
}

/// Which assessments a caller may list.
pub fn assessment_scope(who: &Principal) -> crate::store::assessments::Visibility {
    use crate::store::assessments::Visibility;
    match who.role {
        Role::Admin => Visibility::All,
        Role::Auditor | Role::Certifier => Visibility::Body(who.certification_body_id.clone().unwrap_or_default()),
        Role::Agency => Visibility::Agency(who.agency_id.clone().unwrap_or_default()),
        Role::Integrator => Visibility::Finalized,
    }
}

/// Which applications a caller may list, or 403. The same answer decides
/// [`Action::ListApplications`], so the permission and the scope cannot disagree.
pub fn application_scope(who: &Principal) -> AppResult<ApplicationScope> {
    scope_of_applications(who).ok_or_else(|| AppError::Forbidden(denial(who.role, Action::ListApplications)))
}

/// `None` when the caller may not list applications at all: integrators, and a staff or agency
/// principal missing the binding its role needs.
fn scope_of_applications(who: &Principal) -> Option<ApplicationScope> {
    match who.role {
        Role::Admin => Some(ApplicationScope::All),
        Role::Auditor | Role::Certifier => who.certification_body_id.clone().map(ApplicationScope::Body),
        Role::Agency => who.agency_id.clone().map(ApplicationScope::Agency),
        Role::Integrator => None,
    }
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
        Principal { client_id: "c".into(), role, certification_body_id: None, agency_id: agency.map(str::to_owned) }
    }

    fn staff(role: Role, body: &str) -> Principal {
        Principal { certification_body_id: Some(body.to_owned()), ..who(role, None) }
    }

    #[test]
    fn evidence_files_are_attached_by_the_assessors_or_the_answering_agency_and_removed_by_their_uploader() {
        let audit = |p: &Principal| authorize(p, Action::AttachAssessmentFile { agency_id: "a", body_id: Some("b") });
        let own = |p: &Principal| authorize(p, Action::AttachAssessmentFile { agency_id: "a", body_id: None });
        let action = |p: &Principal| authorize(p, Action::AttachActionFile { agency_id: "a" });
        assert!(audit(&staff(Role::Auditor, "b")).is_ok());
        for p in [
            staff(Role::Auditor, "c"),
            staff(Role::Certifier, "b"),
            who(Role::Admin, None),
            who(Role::Agency, Some("a")),
        ] {
            assert!(audit(&p).is_err(), "{p:?}");
        }
        assert!(own(&who(Role::Agency, Some("a"))).is_ok() && own(&staff(Role::Auditor, "b")).is_err());
        assert!(action(&who(Role::Agency, Some("a"))).is_ok());
        for p in [who(Role::Agency, Some("x")), staff(Role::Auditor, "b"), who(Role::Admin, None)] {
            assert!(action(&p).is_err(), "{p:?}");
        }
        assert!(authorize(&staff(Role::Auditor, "b"), Action::RemoveEvidenceFile { uploaded_by: "c" }).is_ok());
        assert!(authorize(&who(Role::Admin, None), Action::RemoveEvidenceFile { uploaded_by: "d" }).is_err());
        assert!(authorize(&who(Role::Admin, None), Action::ErasePersonalData).is_ok());
        assert!(authorize(&staff(Role::Auditor, "b"), Action::ErasePersonalData).is_err());
    }

    #[test]
    fn only_admins_manage_clients_and_register_agencies() {
        for role in [Role::Auditor, Role::Certifier, Role::Agency, Role::Integrator] {
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
        assert!(authorize(&me, Action::UpdateAgency { agency_id: "a", changes_identity: false }).is_ok());
        assert!(authorize(&me, Action::UpdateAgency { agency_id: "a", changes_identity: true }).is_err());
        assert!(authorize(&me, Action::UpdateAgency { agency_id: "b", changes_identity: false }).is_err());
        assert_eq!(agency_scope(&me), Some("a"));
        assert_eq!(agency_scope(&who(Role::Integrator, None)), None);
    }

    #[test]
    fn only_the_agency_itself_and_admins_manage_its_sub_agents_and_grants() {
        let allowed = |p: &Principal| {
            let sub = authorize(p, Action::ManageSubAgents { agency_id: "a" }).is_ok();
            let grants = authorize(p, Action::ManageGrants { agency_id: "a" }).is_ok();
            assert_eq!(sub, grants);
            sub
        };
        assert!(allowed(&who(Role::Admin, None)));
        assert!(allowed(&who(Role::Agency, Some("a"))));
        assert!(!allowed(&who(Role::Agency, Some("b"))));
        assert!(!allowed(&who(Role::Integrator, None)));
        assert!(!allowed(&staff(Role::Auditor, "cb")));
        assert!(!allowed(&staff(Role::Certifier, "cb")));
        let denied = authorize(&who(Role::Integrator, None), Action::ManageGrants { agency_id: "a" }).unwrap_err();
        assert!(matches!(denied, AppError::Forbidden(ref m) if m.contains("sharing grants")));
    }

    #[test]
    fn only_integrators_read_findings_under_a_grant_and_only_finalized_ones() {
        let read = |p: &Principal, finalized| authorize(p, Action::ReadFindingsUnderGrant { finalized }).is_ok();
        assert!(read(&who(Role::Integrator, None), true));
        assert!(!read(&who(Role::Integrator, None), false));
        for role in [Role::Admin, Role::Agency, Role::Auditor, Role::Certifier] {
            assert!(!read(&who(role, Some("a")), true), "{role:?}");
        }
    }

    #[test]
    fn integrators_and_auditors_read_but_do_not_edit() {
        for role in [Role::Integrator, Role::Auditor, Role::Certifier] {
            let p = who(role, None);
            assert!(authorize(&p, Action::ReadAgency { agency_id: "a" }).is_ok());
            assert!(authorize(&p, Action::UpdateAgency { agency_id: "a", changes_identity: false }).is_err());
        }
    }

    #[test]
    fn applications_are_read_by_their_body_their_agency_and_admins() {
        let read = |p: &Principal| authorize(p, Action::ReadApplication { agency_id: "a", body_id: "cb" }).is_ok();
        assert!(read(&who(Role::Admin, None)));
        assert!(read(&staff(Role::Auditor, "cb")));
        assert!(read(&staff(Role::Certifier, "cb")));
        assert!(read(&who(Role::Agency, Some("a"))));
        assert!(!read(&staff(Role::Auditor, "other")));
        assert!(!read(&staff(Role::Certifier, "other")));
        assert!(!read(&who(Role::Agency, Some("b"))));
        assert!(!read(&who(Role::Integrator, None)));
        // A staff principal without a body reads nothing of any body.
        assert!(!read(&who(Role::Auditor, None)));
    }

    #[test]
    fn only_integrators_and_admins_verify_in_bulk() {
        assert!(authorize(&who(Role::Integrator, None), Action::VerifyAgencies).is_ok());
        assert!(authorize(&who(Role::Admin, None), Action::VerifyAgencies).is_ok());
        for p in [staff(Role::Auditor, "cb"), staff(Role::Certifier, "cb"), who(Role::Agency, Some("a"))] {
            let denied = authorize(&p, Action::VerifyAgencies).unwrap_err();
            assert!(
                matches!(denied, AppError::Forbidden(ref m) if m.ends_with("may not verify agencies in bulk; it is for integrators"))
            );
        }
    }

    #[test]
    fn each_role_lists_only_its_own_applications_and_integrators_none() {
        assert_eq!(application_scope(&who(Role::Admin, None)).unwrap(), ApplicationScope::All);
        for role in [Role::Auditor, Role::Certifier] {
            assert_eq!(application_scope(&staff(role, "cb")).unwrap(), ApplicationScope::Body("cb".into()));
            assert!(authorize(&staff(role, "cb"), Action::ListApplications).is_ok());
            assert!(authorize(&who(role, None), Action::ListApplications).is_err());
        }
        assert_eq!(application_scope(&who(Role::Agency, Some("a"))).unwrap(), ApplicationScope::Agency("a".into()));
        assert!(authorize(&who(Role::Agency, None), Action::ListApplications).is_err());
        let denied = application_scope(&who(Role::Integrator, None)).unwrap_err();
        assert!(matches!(denied, AppError::Forbidden(ref m) if m == "the integrator role may not list applications"));
        assert!(authorize(&who(Role::Integrator, None), Action::ListApplications).is_err());
    }
}
