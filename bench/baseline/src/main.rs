//! Two bare answers to measure fairhire's public lookup against:
//! `GET /json`: a fixed JSON object, the cost of actix itself;
//! `GET /row/{id}`: one agency's row read by primary key with tokio-postgres, on one connection
//! per worker thread, turned into JSON: the cost of the plainest database read.
//!   fairhire-bench-baseline 127.0.0.1:9000 postgres://root@127.0.0.1:5432/bench

use actix_web::{App, HttpResponse, HttpServer, web};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    id: String,
    legal_name: String,
    certification_status: String,
}

#[derive(Serialize)]
struct Fixed {
    id: &'static str,
    legal_name: &'static str,
    certification_status: &'static str,
}

async fn fixed() -> HttpResponse {
    HttpResponse::Ok().json(Fixed {
        id: "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
        legal_name: "Himalayan Overseas Manpower Pvt. Ltd.",
        certification_status: "certified",
    })
}

struct Database {
    client: tokio_postgres::Client,
    by_id: tokio_postgres::Statement,
}

async fn row(db: web::Data<Database>, id: web::Path<String>) -> HttpResponse {
    match db.client.query_opt(&db.by_id, &[&id.into_inner()]).await {
        Ok(Some(r)) => HttpResponse::Ok().json(Row { id: r.get(0), legal_name: r.get(1), certification_status: r.get(2) }),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(e) => HttpResponse::ServiceUnavailable().body(e.to_string()),
    }
}

async fn connect(url: String) -> Result<Database, String> {
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
    actix_web::rt::spawn(connection);
    let by_id = client
        .prepare("SELECT id, legal_name, certification_status FROM agencies WHERE id = $1")
        .await
        .map_err(|e| e.to_string())?;
    Ok(Database { client, by_id })
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:9000".into());
    let url = args.next().unwrap_or_else(|| "postgres://root@127.0.0.1:5432/test".into());
    HttpServer::new(move || {
        let url = url.clone();
        App::new()
            .data_factory(move || connect(url.clone()))
            .route("/json", web::get().to(fixed))
            .route("/row/{id}", web::get().to(row))
    })
    .bind(bind)?
    .run()
    .await
}
