//! Login, logout, language and the user's own account (password change).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::AppError;
use db::auth::{SESSION_IDLE_MS, SessionKind};
use serde::Deserialize;

use super::{render, see_other};
use crate::auth::{CsrfForm, LANG_COOKIE, SESSION_COOKIE, Viewer, cookie_header_token, session_cookie};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::state::AppState;
use crate::view::{Ctx, role_key};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/lang/{code}", get(set_lang))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    errors: FormErrors,
    username: String,
    next: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after login.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { "/" }
}

async fn login_form(viewer: Viewer, Query(q): Query<NextQuery>) -> Response {
    let ctx = Ctx::new(&viewer, "login", viewer.tr.get("login.title"));
    render(&LoginPage { ctx, errors: FormErrors::default(), username: String::new(), next: q.next })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<LoginForm>) -> PageResult<Response> {
    let f = form.data;
    let now = state.now_ms();
    match db::auth::authenticate(&state.db, &f.username, &f.password, now).await {
        Ok(user) => {
            let token = db::auth::create_session(&state.db, &user.id, SessionKind::Web, now).await?;
            let mut res = see_other(safe_next(&f.next));
            let c = session_cookie(&token, state.config.secure_cookies, SESSION_IDLE_MS / 1000 * 12);
            if let Ok(v) = HeaderValue::from_str(&c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(e @ (AppError::Validation(_) | AppError::Locked(_))) => {
            let ctx = Ctx::new(&viewer, "login", viewer.tr.get("login.title"));
            let mut res =
                render(&LoginPage { ctx, errors: FormErrors::from_app(&e), username: f.username, next: f.next });
            *res.status_mut() = crate::error::status_of(&e);
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    if let Some(token) = cookie_header_token(&headers, SESSION_COOKIE) {
        db::auth::end_session(&state.db, &token).await?;
    }
    let mut res = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: Ctx,
    username: String,
    role: String,
    errors: FormErrors,
    email: String,
    email_errors: FormErrors,
}

/// The account page; `email` is `Some` when re-rendering a refused e-mail address (422).
pub(super) async fn account_page(
    state: &AppState,
    viewer: &Viewer,
    errors: FormErrors,
    ok: Option<&str>,
    email: Option<(String, FormErrors)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let ctx = Ctx::new(viewer, "account", viewer.tr.get("account.title")).flash_from(ok);
    let failed = !errors.is_empty() || email.is_some();
    let (email, email_errors) = match email {
        Some(e) => e,
        None => {
            let id = actor.user_id.as_deref().unwrap_or_default();
            (db::notifications::email_of(&state.db, id).await?.unwrap_or_default(), FormErrors::default())
        }
    };
    let res = render(&AccountPage {
        ctx,
        username: actor.username.clone(),
        role: viewer.tr.get(role_key(actor.role)).to_string(),
        errors,
        email,
        email_errors,
    });
    Ok(super::unprocessable_if(failed, res))
}

async fn account(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<super::ListQuery>,
) -> PageResult<Response> {
    account_page(&state, &viewer, FormErrors::default(), q.ok.as_deref(), None).await
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    form: CsrfForm<PasswordForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    match db::users::change_own_password(
        &state.db,
        &actor,
        &form.data.current_password,
        &form.data.new_password,
        state.now_ms(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/account?ok=password_changed")),
        Err(e @ AppError::Validation(_)) => account_page(&state, &viewer, FormErrors::from_app(&e), None, None).await,
        Err(e) => Err(e.into()),
    }
}

/// Switch the interface language: saved for a logged-in user, a cookie otherwise.
async fn set_lang(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> PageResult<Response> {
    let locale = crate::i18n::Locale::parse(&code);
    if let Some(actor) = viewer.actor() {
        db::users::set_locale(&state.db, &actor, locale.code()).await?;
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".to_string());
    let mut res = see_other(safe_next(&back));
    if let Ok(v) =
        HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", locale.code()))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res.into_response())
}
