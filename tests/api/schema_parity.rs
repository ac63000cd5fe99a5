//! Both backends' migrations must produce the same tables and columns.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn columns_sqlite(path: &str) -> BTreeMap<String, Vec<String>> {
    let mut conn = diesel::SqliteConnection::establish(path).unwrap();
    let rows: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .unwrap();
    group(rows)
}

fn columns_postgres(url: &str, schema: &str) -> BTreeMap<String, Vec<String>> {
    let mut conn = diesel::PgConnection::establish(url).unwrap();
    let rows: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
         WHERE table_schema = $1 AND table_name <> '__diesel_schema_migrations'",
    )
    .bind::<Text, _>(schema)
    .load(&mut conn)
    .unwrap();
    group(rows)
}

fn group(rows: Vec<Column>) -> BTreeMap<String, Vec<String>> {
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        tables.entry(row.table_name).or_default().push(row.column_name);
    }
    for columns in tables.values_mut() {
        columns.sort();
    }
    tables
}

#[test]
fn both_backends_end_with_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("parity.db").to_string_lossy().into_owned();
    fairhire::db::Db::connect(&sqlite_path, 1).unwrap().migrate().unwrap();
    let sqlite = columns_sqlite(&sqlite_path);
    assert!(sqlite.contains_key("agencies") && sqlite.contains_key("api_clients"), "{sqlite:?}");

    let Some(base) = crate::helpers::postgres_url() else {
        eprintln!("schema parity: TEST_DATABASE_URL not set; the PostgreSQL run compares the two");
        return;
    };
    let (url, schema) = crate::helpers::fresh_database(dir.path());
    let schema = schema.expect("a PostgreSQL schema");
    fairhire::db::Db::connect(&url, 1).unwrap().migrate().unwrap();
    let postgres = columns_postgres(&base, &schema.name);
    assert_eq!(sqlite, postgres);
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn every_pooled_sqlite_connection_has_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let db = fairhire::db::Db::connect(&dir.path().join("p.db").to_string_lossy(), 3).unwrap();
    // Hold three connections at once so that each comes from its own open.
    let mut conns: Vec<_> = (0..3).map(|_| db.conn().unwrap()).collect();
    for conn in conns.iter_mut() {
        let read = |conn: &mut fairhire::db::DbConnection, sql: &str| -> String {
            let rows: Vec<Pragma> = diesel::sql_query(sql).load(conn).unwrap();
            rows.into_iter().next().unwrap().value
        };
        assert_eq!(read(conn, "SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys"), "1");
        assert_eq!(read(conn, "SELECT journal_mode AS value FROM pragma_journal_mode"), "wal");
        assert_eq!(read(conn, "SELECT CAST(timeout AS TEXT) AS value FROM pragma_busy_timeout"), "5000");
    }
}
