//! How Rust values are stored in the portable column types, so that rows hold typed values
//! (`CertificationStatus`, `Vec<String>`, `DateTime<Utc>`) and no caller parses text:
//!
//! - **Times**: the columns are `UtcTimestamp`, a plain `timestamp` on both backends read and
//!   written as `DateTime<Utc>`. The stored form is exactly what diesel's `NaiveDateTime` wrote
//!   before (no migration changes the data).
//! - **Enums**: stored as their wire name in a `Text` column ([`text_enum!`]).
//! - **JSON**: a `Text` column holding JSON is read and written as [`Json<T>`].
//!
//! A stored value that cannot be read fails the query with an error naming the column, which
//! [`crate::store::InTable`] turns into one kind of internal error naming the table too.

use std::ops::{Deref, DerefMut};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{HasSqlType, Nullable, SqlType, Text, Timestamp};
use diesel::sqlite::Sqlite;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::MultiBackend;

/// A UTC instant in a `timestamp` column (PostgreSQL `timestamp`, SQLite text).
#[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 1114, array_oid = 1115))]
#[diesel(sqlite_type(name = "Text"))]
pub struct UtcTimestamp;

impl diesel::sql_types::SqlOrd for UtcTimestamp {}

impl HasSqlType<UtcTimestamp> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        MultiBackend::lookup_sql_type::<UtcTimestamp>(lookup)
    }
}

impl FromSql<UtcTimestamp, Pg> for DateTime<Utc> {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(bytes).map(|t| t.and_utc())
    }
}

impl FromSql<UtcTimestamp, Sqlite> for DateTime<Utc> {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(bytes).map(|t| t.and_utc())
    }
}

impl FromSql<UtcTimestamp, MultiBackend> for DateTime<Utc> {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<DateTime<Utc>, UtcTimestamp>()
    }
}

impl ToSql<UtcTimestamp, Pg> for DateTime<Utc> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <NaiveDateTime as ToSql<Timestamp, Pg>>::to_sql(&self.naive_utc(), &mut out.reborrow())
    }
}

impl ToSql<UtcTimestamp, Sqlite> for DateTime<Utc> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        // The text diesel writes for a NaiveDateTime, so that stored values and comparisons in
        // SQL stay as they were.
        out.set_value(self.naive_utc().format("%F %T%.f").to_string());
        Ok(IsNull::No)
    }
}

impl ToSql<UtcTimestamp, MultiBackend> for DateTime<Utc> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((UtcTimestamp, self));
        Ok(IsNull::No)
    }
}

/// Every backend writes a nullable time as the time itself (diesel writes NULL for `None`).
macro_rules! nullable_time {
    ($($db:ty),*) => {$(
        impl ToSql<Nullable<UtcTimestamp>, $db> for DateTime<Utc> {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $db>) -> serialize::Result {
                <Self as ToSql<UtcTimestamp, $db>>::to_sql(self, out)
            }
        }
    )*};
}
nullable_time!(MultiBackend);

/// A time to write or compare with: `DateTime<Utc>` is chrono's, so diesel's `AsExpression`
/// cannot be implemented for it here. Rows hold `DateTime<Utc>` and convert through this when
/// written (`#[diesel(serialize_as = At)]`); queries wrap the instants they compare with.
#[derive(Debug, Clone, Copy, AsExpression)]
#[diesel(sql_type = UtcTimestamp)]
pub struct At(pub DateTime<Utc>);

impl From<DateTime<Utc>> for At {
    fn from(t: DateTime<Utc>) -> Self {
        At(t)
    }
}

impl<DB: Backend> ToSql<UtcTimestamp, DB> for At
where
    DateTime<Utc>: ToSql<UtcTimestamp, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <DateTime<Utc> as ToSql<UtcTimestamp, DB>>::to_sql(&self.0, out)
    }
}

/// The same for a nullable time column (`Option<DateTime<Utc>>`).
#[derive(Debug, Clone, Copy)]
pub struct MaybeAt(pub Option<DateTime<Utc>>);

impl From<Option<DateTime<Utc>>> for MaybeAt {
    fn from(t: Option<DateTime<Utc>>) -> Self {
        MaybeAt(t)
    }
}

impl AsExpression<Nullable<UtcTimestamp>> for MaybeAt {
    type Expression = Bound<Nullable<UtcTimestamp>, Self>;
    fn as_expression(self) -> Self::Expression {
        Bound::new(self)
    }
}

impl<DB: Backend> ToSql<Nullable<UtcTimestamp>, DB> for MaybeAt
where
    DateTime<Utc>: ToSql<UtcTimestamp, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        match &self.0 {
            Some(t) => <DateTime<Utc> as ToSql<UtcTimestamp, DB>>::to_sql(t, out),
            None => Ok(IsNull::Yes),
        }
    }
}

/// `AsExpression` for a value type in one SQL type (what `#[derive(AsExpression)]` writes; the
/// derive cannot be put on the domain's types without the domain knowing about the database).
macro_rules! as_expression {
    ($ty:ty => $st:ty) => {
        impl AsExpression<$st> for $ty {
            type Expression = Bound<$st, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
        impl AsExpression<Nullable<$st>> for $ty {
            type Expression = Bound<Nullable<$st>, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
        impl<'a> AsExpression<$st> for &'a $ty {
            type Expression = Bound<$st, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
        impl<'a> AsExpression<Nullable<$st>> for &'a $ty {
            type Expression = Bound<Nullable<$st>, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
        impl<'a, 'b> AsExpression<$st> for &'a &'b $ty {
            type Expression = Bound<$st, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
    };
}

/// Stores enums by their wire name (their `strum` name, which is also their serde name).
/// Reading a name the enum does not know fails with the value in the message.
macro_rules! text_enum {
    ($($ty:ty),* $(,)?) => {$(
        as_expression!($ty => Text);

        impl<DB: Backend> ToSql<Text, DB> for $ty
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                let name: &'static str = self.into();
                <str as ToSql<Text, DB>>::to_sql(name, out)
            }
        }

        impl<DB: Backend> ToSql<Nullable<Text>, DB> for $ty
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <Self as ToSql<Text, DB>>::to_sql(self, out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $ty
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let name = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                name.parse().map_err(|_| format!("{name:?} is not a {}", stringify!($ty)).into())
            }
        }

        impl<DB: Backend, ST: diesel::sql_types::SingleValue> diesel::deserialize::Queryable<ST, DB> for $ty
        where
            Self: FromSql<ST, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )*};
}

text_enum!(
    crate::domain::agency::CertificationStatus,
    crate::domain::agency::Grade,
    crate::domain::roles::Role,
    crate::domain::assessment::AssessmentKind,
    crate::domain::assessment::AssessmentStatus,
    crate::domain::standard::Severity,
    crate::domain::standard::StandardStatus,
    crate::domain::corrective::ActionStatus,
    crate::domain::certification_body::AccreditationStatus,
    crate::domain::certification_body::ApplicationStatus,
    crate::domain::certification::AutoRule,
    crate::domain::reports::ReportCategory,
    crate::domain::reports::ReportState,
    crate::domain::chain::SubAgentKind,
    crate::domain::grants::GrantedRead,
    crate::domain::evidence_files::ParentKind,
    crate::domain::review::ReviewedDecision,
    crate::domain::review::ReviewOutcome,
    crate::domain::appeals::AppealedDecision,
    crate::domain::appeals::CaseState,
);

/// A value stored as JSON text. It dereferences to the value, so a row's `Json<Vec<String>>`
/// reads like the `Vec<String>` it holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Json(value)
    }
}

impl<T: DeserializeOwned> FromSql<Text, MultiBackend> for Json<T> {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, MultiBackend>>::from_sql(bytes)?;
        Ok(Json(serde_json::from_str(&text)?))
    }
}

impl<T: DeserializeOwned, ST: diesel::sql_types::SingleValue> diesel::deserialize::Queryable<ST, MultiBackend>
    for Json<T>
where
    Self: FromSql<ST, MultiBackend>,
{
    type Row = Self;
    fn build(row: Self) -> deserialize::Result<Self> {
        Ok(row)
    }
}

/// The JSON text of a [`Json`] value, for writing: diesel binds values by reference, so a row's
/// JSON fields are turned into owned text first (`#[diesel(serialize_as = JsonText)]`).
#[derive(Debug, AsExpression)]
#[diesel(sql_type = Text)]
pub struct JsonText(String);

/// The same for a nullable JSON column (`Option<Json<T>>`).
#[derive(Debug)]
pub struct NullableJsonText(Option<String>);

impl AsExpression<Nullable<Text>> for NullableJsonText {
    type Expression = Bound<Nullable<Text>, Self>;
    fn as_expression(self) -> Self::Expression {
        Bound::new(self)
    }
}

fn to_json_text<T: Serialize>(value: &T) -> String {
    // Serializing the plain structs, vectors and enums stored here cannot fail: none has a map
    // with non-string keys or a failing Serialize impl.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

impl<T: Serialize> From<Json<T>> for JsonText {
    fn from(value: Json<T>) -> Self {
        JsonText(to_json_text(&value.0))
    }
}

impl<T: Serialize> From<Option<Json<T>>> for NullableJsonText {
    fn from(value: Option<Json<T>>) -> Self {
        NullableJsonText(value.map(|v| to_json_text(&v.0)))
    }
}

impl<DB: Backend> ToSql<Text, DB> for JsonText
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <str as ToSql<Text, DB>>::to_sql(&self.0, out)
    }
}

impl<DB: Backend> ToSql<Nullable<Text>, DB> for NullableJsonText
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        match &self.0 {
            Some(text) => <str as ToSql<Text, DB>>::to_sql(text, out),
            None => Ok(IsNull::Yes),
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use crate::domain::agency::{CertificationStatus, Grade};
    use crate::domain::assessment::{AssessmentKind, AssessmentStatus};
    use crate::domain::certification_body::{AccreditationStatus, ApplicationStatus};
    use crate::domain::corrective::ActionStatus;
    use crate::domain::roles::Role;
    use crate::domain::standard::{Severity, StandardStatus};

    /// A stored enum is written by its `strum` name and shown by its serde name: they must be
    /// the same, or the database and the API would disagree.
    fn same_names<T>()
    where
        T: IntoEnumIterator + serde::Serialize + std::fmt::Display + std::str::FromStr + PartialEq + std::fmt::Debug,
    {
        for value in T::iter() {
            let stored = value.to_string();
            assert_eq!(serde_json::to_value(&value).unwrap(), serde_json::json!(stored));
            assert_eq!(stored.parse::<T>().ok(), Some(value));
        }
    }

    #[test]
    fn every_stored_enum_is_stored_by_its_wire_name() {
        same_names::<CertificationStatus>();
        same_names::<Grade>();
        same_names::<Role>();
        same_names::<AssessmentKind>();
        same_names::<AssessmentStatus>();
        same_names::<Severity>();
        same_names::<StandardStatus>();
        same_names::<ActionStatus>();
        same_names::<AccreditationStatus>();
        same_names::<ApplicationStatus>();
        same_names::<crate::domain::certification::AutoRule>();
        same_names::<crate::domain::chain::SubAgentKind>();
        same_names::<crate::domain::grants::GrantedRead>();
        same_names::<crate::domain::evidence_files::ParentKind>();
    }
}
