//! The static files: the react-jsonschema-form bundle (built in `web/`, committed as
//! `web/dist/roster-form.js` so that cargo alone builds a working Connect form; CI
//! rebuilds it and fails when the bytes differ), the page script and the style sheet.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const BUNDLE: &[u8] = include_bytes!("../../../web/dist/roster-form.js");
const APP: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

pub async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match name.as_str() {
        "roster-form.js" => (BUNDLE, "text/javascript; charset=utf-8"),
        "app.js" => (APP.as_bytes(), "text/javascript; charset=utf-8"),
        "style.css" => (STYLE.as_bytes(), "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(kind).unwrap_or(HeaderValue::from_static("text/plain")),
    );
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}
