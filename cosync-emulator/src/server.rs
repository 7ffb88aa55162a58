//! HTTP wiring: one entry point that applies the real server's middleware order (auth, body
//! parsing, routes, catch-all) and the emulator-only routes under `/_emulator/`.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};

use crate::core::Core;
use crate::json::Json;
use crate::reply::{Code, HTML_TYPE, JSON_TYPE, Reply, error_response, respond, service_not_found};
use crate::request::{ApiRequest, BODY_LIMIT, authenticate, parse_body, parse_form};
use crate::routes;

/// The emulator's router.
pub(crate) fn router(core: Arc<Core>) -> Router {
    Router::new().fallback(entry).with_state(core)
}

async fn entry(State(core): State<Arc<Core>>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        return routes::emulator::handle(&core, &parts, body).await;
    }
    let query = parts
        .uri
        .query()
        .map(|q| parse_form(q.as_bytes()))
        .unwrap_or_else(Json::object);
    let auth = match authenticate(&core, &parts.headers, &query) {
        Ok(auth) => auth,
        Err(rejection) => return error_response(rejection.code, rejection.status),
    };
    if parts.method == Method::OPTIONS {
        return preflight();
    }
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return service_not_found();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Ok(body) = parse_body(content_type, &bytes) else {
        return service_not_found();
    };
    let request = ApiRequest {
        method: parts.method.clone(),
        auth,
        body,
        query,
    };
    match routes::dispatch(&core, &path, &request).await {
        None => service_not_found(),
        Some(Ok(reply) | Err(reply)) => finish(&core, &path, reply).await,
    }
}

/// The `cors` package's answer to a preflight request.
fn preflight() -> Response<Body> {
    let mut response = respond(StatusCode::NO_CONTENT, JSON_TYPE, String::new());
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET,HEAD,PUT,PATCH,POST,DELETE"),
    );
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("app-token, access-token, content-type, accept"),
    );
    response
}

async fn finish(core: &Core, path: &str, reply: Reply) -> Response<Body> {
    match reply {
        Reply::Json(body) => respond(StatusCode::OK, JSON_TYPE, body),
        Reply::Html { body, json_type } => respond(
            StatusCode::OK,
            if json_type { JSON_TYPE } else { HTML_TYPE },
            body,
        ),
        Reply::Error { code, status } => error_response(code, status),
        Reply::Hang { why, instead } => {
            if !core.options.hang_on_malformed {
                return error_response(instead, StatusCode::BAD_REQUEST);
            }
            tracing::warn!(
                path,
                "not answering, as the real server never does here: {why} \
                 (start the emulator with hang_on_malformed(false) / --no-hang to get code {} instead)",
                instead.number()
            );
            core.stopping().await;
            respond(
                StatusCode::SERVICE_UNAVAILABLE,
                JSON_TYPE,
                "emulator stopped".to_owned(),
            )
        }
        Reply::Internal(message) => {
            tracing::error!(path, "internal error: {message}");
            error_response(Code::Internal, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}
