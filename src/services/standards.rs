//! Standard versions: drafts, publication (after which a version never changes) and retirement;
//! and their translations, drafts until published, after which they never change either.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::events::EventType;
use crate::domain::language;
use crate::domain::standard::{StandardContent, StandardStatus, TranslationContent};
use crate::error::{AppError, AppResult, FieldError};
use crate::services::check_if_match;
use crate::services::events::{self, Draft};
use crate::store;
use crate::store::standards::StandardRow;
use crate::store::translations::TranslationRow;

fn not_found(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

fn invalid(faults: Vec<(String, String)>) -> AppError {
    AppError::Validation(faults.into_iter().map(|(f, m)| FieldError::new(f, m)).collect())
}

fn no_translation(version: &str, language: &str) -> AppError {
    AppError::NotFound(format!("no {language} translation of standard version {version}"))
}

/// Stores the default standard as published when the database has no standard at all. True
/// when it did.
pub fn ensure_default(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<bool> {
    if store::standards::count(conn)? > 0 {
        return Ok(false);
    }
    let content = StandardContent::default_standard().map_err(AppError::internal)?;
    let logged = created(&content, StandardStatus::Published)?;
    store::standards::insert(
        conn,
        &StandardRow {
            version: content.version.clone(),
            title: content.title.clone(),
            status: StandardStatus::Published,
            content: Json(content),
            created_at: now,
            published_at: Some(now),
            retired_at: None,
        },
    )?;
    events::record(events::SYSTEM, logged, now)?;
    Ok(true)
}

/// A new version in the log: its status and its whole content, so that what a standard said is
/// kept with the events that relied on it.
fn created(content: &StandardContent, status: StandardStatus) -> AppResult<Draft> {
    let values = serde_json::json!({ "status": status, "content": events::to_value(content)? });
    Ok(Draft::new(EventType::StandardCreated, "standard", &content.version).values(None, Some(values)))
}

/// Stores a new draft version, checked whole: every fault is named (422); a version id already
/// taken is a 409.
pub fn create_draft(
    conn: &mut DbConnection,
    actor: &str,
    mut content: StandardContent,
    now: DateTime<Utc>,
) -> AppResult<StandardRow> {
    let faults = content.faults();
    if !faults.is_empty() {
        return Err(invalid(faults));
    }
    // Stored in the canonical form, so that `EN` and `en` are one language.
    content.language =
        content.language.as_deref().map(language::canonical_tag).transpose().map_err(AppError::internal)?;
    if store::standards::find(conn, &content.version)?.is_some() {
        return Err(AppError::Conflict(format!("standard version {} already exists", content.version)));
    }
    events::record(actor, created(&content, StandardStatus::Draft)?, now)?;
    let row = StandardRow {
        version: content.version.clone(),
        title: content.title.trim().to_owned(),
        status: StandardStatus::Draft,
        content: Json(content),
        created_at: now,
        published_at: None,
        retired_at: None,
    };
    store::standards::insert(conn, &row)?;
    Ok(row)
}

/// Moves a version along draft → published → retired.
pub fn change_status(
    conn: &mut DbConnection,
    actor: &str,
    version: &str,
    to: StandardStatus,
    now: DateTime<Utc>,
) -> AppResult<StandardRow> {
    let row = store::standards::find(conn, version)?.ok_or_else(|| not_found(version))?;
    let (published_at, retired_at) = match (row.status, to) {
        (StandardStatus::Draft, StandardStatus::Published) => (Some(now), None),
        (StandardStatus::Published, StandardStatus::Retired) => (row.published_at, Some(now)),
        (from, _) => {
            return Err(AppError::Conflict(format!(
                "a {from} standard cannot become {to}; versions go draft, published, retired"
            )));
        }
    };
    store::standards::set_status(conn, version, to, published_at, retired_at)?;
    let draft = Draft::new(EventType::StandardStatusChanged, "standard", version)
        .values(Some(serde_json::json!({"status": row.status})), Some(serde_json::json!({"status": to})));
    events::record(actor, draft, now)?;
    Ok(StandardRow { status: to, published_at, retired_at, ..row })
}

/// Stores a draft translation of `version` into `language`, or replaces the draft there is
/// (true when it was created). The tag must be a BCP 47 tag other than the base language, and
/// the texts must cover the whole version (422, every fault named); a published translation is
/// a 409; a stale `If-Match` a 412, judged last. An `If-Match` when there is no translation
/// yet is a 412 too: it names something that does not exist.
pub fn save_translation(
    conn: &mut DbConnection,
    actor: &str,
    version: &str,
    language: &str,
    content: TranslationContent,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<(TranslationRow, bool)> {
    let language = language::canonical_tag(language)
        .map_err(|message| AppError::Validation(vec![FieldError::new("language", message)]))?;
    let standard = store::standards::find(conn, version)?.ok_or_else(|| not_found(version))?;
    let base = standard.content.into_inner();
    if language.eq_ignore_ascii_case(base.base_language()) {
        return Err(AppError::Validation(vec![FieldError::new(
            "language",
            format!("{language} is the version's own language: its texts are the standard itself"),
        )]));
    }
    let faults = content.faults(&base);
    if !faults.is_empty() {
        return Err(invalid(faults));
    }
    let existing = store::translations::find(conn, version, &language)?;
    let after = serde_json::json!({
        "language": language, "status": StandardStatus::Draft, "content": events::to_value(&content)?
    });
    match existing {
        None => {
            if if_match.is_some() {
                return Err(AppError::PreconditionFailed(format!(
                    "there is no {language} translation of {version} yet: send it without If-Match"
                )));
            }
            let row = TranslationRow {
                standard_version: version.to_owned(),
                language: language.clone(),
                status: StandardStatus::Draft,
                content: Json(content),
                version: 1,
                created_at: now,
                updated_at: now,
                published_at: None,
            };
            store::translations::insert(conn, &row)?;
            let draft = Draft::new(EventType::StandardTranslationSaved, "standard", version).values(None, Some(after));
            events::record(actor, draft, now)?;
            Ok((row, true))
        }
        Some(current) => {
            if current.status != StandardStatus::Draft {
                return Err(AppError::Conflict(format!(
                    "the {language} translation of {version} is published and never changes; a new standard version can be translated anew"
                )));
            }
            check_if_match(if_match, current.version)?;
            let before = serde_json::json!({ "language": language, "content": events::to_value(&current.content.0)? });
            let row = TranslationRow {
                content: Json(content),
                version: current.version + 1,
                updated_at: now,
                ..current.clone()
            };
            if !store::translations::replace_if_version(conn, &row, current.version)? {
                return Err(changed_meanwhile());
            }
            let draft =
                Draft::new(EventType::StandardTranslationSaved, "standard", version).values(Some(before), Some(after));
            events::record(actor, draft, now)?;
            Ok((row, false))
        }
    }
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict("the translation changed while this request ran; fetch it again and retry".into())
}

/// Publishes a draft translation: from now on it is served to every reader and never changes.
/// An unknown version or language (a tag that is not one included) is a 404, an already
/// published translation a 409, a stale `If-Match` a 412.
pub fn publish_translation(
    conn: &mut DbConnection,
    actor: &str,
    version: &str,
    language: &str,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<TranslationRow> {
    let Ok(language) = language::canonical_tag(language) else {
        return Err(no_translation(version, language));
    };
    if store::standards::find(conn, version)?.is_none() {
        return Err(not_found(version));
    }
    let current =
        store::translations::find(conn, version, &language)?.ok_or_else(|| no_translation(version, &language))?;
    if current.status != StandardStatus::Draft {
        return Err(AppError::Conflict(format!("the {language} translation of {version} is already published")));
    }
    check_if_match(if_match, current.version)?;
    let row = TranslationRow {
        status: StandardStatus::Published,
        version: current.version + 1,
        updated_at: now,
        published_at: Some(now),
        ..current.clone()
    };
    if !store::translations::replace_if_version(conn, &row, current.version)? {
        return Err(changed_meanwhile());
    }
    let draft = Draft::new(EventType::StandardTranslationPublished, "standard", version).values(
        Some(serde_json::json!({"language": language, "status": current.status})),
        Some(serde_json::json!({"language": language, "status": row.status})),
    );
    events::record(actor, draft, now)?;
    Ok(row)
}
