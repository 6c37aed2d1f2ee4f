use utoipa::OpenApi;
fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "/tmp/openapi.json".into());
    std::fs::write(&out, web::api::openapi::ApiDoc::openapi().to_pretty_json().unwrap_or_default()).unwrap_or(());
}
