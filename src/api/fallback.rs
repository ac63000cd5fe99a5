//! What answers when no route matched: 405 with `Allow` when the path exists under another
//! method, else 404; and `OPTIONS` on the cross-origin paths, a CORS preflight. The table is
//! built from the OpenAPI document, so it knows every route.

use actix_web::dev::ResourceDef;
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

use crate::api::middleware::is_cross_origin;
use crate::error::AppError;

pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> RouteTable {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                // `HEAD` is answered wherever `GET` is (`middleware::head_as_get`), and
                // `OPTIONS` on the cross-origin paths (below); neither is in the document.
                for (present, name) in [
                    (item.get.is_some(), "GET"),
                    (item.get.is_some(), "HEAD"),
                    (item.post.is_some(), "POST"),
                    (item.put.is_some(), "PUT"),
                    (item.patch.is_some(), "PATCH"),
                    (item.delete.is_some(), "DELETE"),
                ] {
                    if present {
                        methods.push(name);
                    }
                }
                if is_cross_origin(path) {
                    methods.push("OPTIONS");
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods a path answers to, if any route has that path.
    pub fn allowed(&self, path: &str) -> Option<&[&'static str]> {
        self.routes.iter().find(|(def, _)| def.is_match(path)).map(|(_, methods)| methods.as_slice())
    }
}

pub async fn not_matched(req: HttpRequest, table: web::Data<RouteTable>) -> Result<HttpResponse, AppError> {
    match table.allowed(req.path()) {
        // A CORS preflight, or a plain question about the path; `middleware::cross_origin` adds
        // the CORS headers.
        Some(allowed) if req.method() == Method::OPTIONS && allowed.contains(&"OPTIONS") => {
            Ok(HttpResponse::NoContent().insert_header((header::ALLOW, allowed.join(", "))).finish())
        }
        Some(allowed) => Err(AppError::MethodNotAllowed { allowed: allowed.join(", ") }),
        // A browser asking for a page that does not exist gets the pages' HTML 404.
        None if crate::web::wants_html_not_found(&req) => Ok(crate::web::not_found(&req)),
        None => Err(AppError::NotFound(format!("no route for {}", req.path()))),
    }
}
