//! What answers when no route matched: 405 with `Allow` when the path exists under another
//! method, else 404. The table is built from the OpenAPI document, so it knows every route.

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, web};
use utoipa::openapi::OpenApi;

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
                for (present, name) in [
                    (item.get.is_some(), "GET"),
                    (item.post.is_some(), "POST"),
                    (item.put.is_some(), "PUT"),
                    (item.patch.is_some(), "PATCH"),
                    (item.delete.is_some(), "DELETE"),
                ] {
                    if present {
                        methods.push(name);
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods a path answers to, if any route has that path.
    pub fn allowed(&self, path: &str) -> Option<String> {
        self.routes.iter().find(|(def, _)| def.is_match(path)).map(|(_, methods)| methods.join(", "))
    }
}

pub async fn not_matched(req: HttpRequest, table: web::Data<RouteTable>) -> Result<actix_web::HttpResponse, AppError> {
    match table.allowed(req.path()) {
        Some(allowed) => Err(AppError::MethodNotAllowed { allowed }),
        None => Err(AppError::NotFound(format!("no route for {}", req.path()))),
    }
}
