//! Who is asking: the session middleware, the `Viewer` extractor for pages, CSRF-checked forms,
//! and the bearer-token extractor for the API.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use db::auth::{SessionKind, SessionUser};
use db::{Actor, AppError};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, PageError};
use crate::i18n::{Locale, Tr};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "gy_session";
pub const LANG_COOKIE: &str = "gy_lang";

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        },
    )
}

pub fn session_cookie(token: &str, secure: bool, max_age_secs: i64) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session found for this request, if any (put in request extensions by the middleware).
#[derive(Clone, Default)]
pub struct CurrentSession(pub Option<SessionUser>);

/// Resolve the session cookie once per request.
pub async fn session_middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let session = match cookie(&parts, SESSION_COOKIE) {
        Some(token) => {
            db::auth::resolve_session(&state.db, token, SessionKind::Web, state.now_ms()).await.ok().flatten()
        }
        None => None,
    };
    if let Some(s) = &session {
        let unread = db::notifications::unread_count(&state.db, &s.user.id).await.unwrap_or(0);
        parts.extensions.insert(Unread(unread));
    }
    parts.extensions.insert(CurrentSession(session));
    let viewer = viewer_of(&parts);
    req = Request::from_parts(parts, body);
    let res = next.run(req).await;
    // An error page rendered without the request (`PageError`) is drawn again for this viewer:
    // their header (logged in, unread count) and language.
    match res.extensions().get::<crate::error::ErrorShown>() {
        Some(e) => crate::pages::error_page_for(&viewer, res.status(), &e.0),
        None => res,
    }
}

/// The viewer of a request whose session the middleware has resolved.
fn viewer_of(parts: &Parts) -> Viewer {
    let session = parts.extensions.get::<CurrentSession>().cloned().unwrap_or_default().0;
    let locale = match &session {
        Some(s) => Locale::parse(&s.user.locale),
        None => cookie(parts, LANG_COOKIE).map(Locale::parse).unwrap_or_default(),
    };
    let unread = parts.extensions.get::<Unread>().copied().unwrap_or_default().0;
    Viewer { session, tr: Tr::new(locale), unread }
}

/// How many unread notifications the session's user has (put in extensions by the middleware).
#[derive(Clone, Copy, Default)]
pub struct Unread(pub u64);

/// The person looking at a page: maybe logged in, with their language.
#[derive(Clone)]
pub struct Viewer {
    pub session: Option<SessionUser>,
    pub tr: Tr,
    /// Unread notifications, shown in the header.
    pub unread: u64,
}

impl Viewer {
    pub fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(SessionUser::actor)
    }

    /// The logged-in actor, or a redirect to the login page.
    pub fn require(&self) -> Result<Actor, PageError> {
        self.actor().ok_or(PageError(AppError::Unauthenticated))
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("")
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(viewer_of(parts))
    }
}

/// A same-origin check for every state-changing request: browsers send Origin on POST.
fn same_origin(parts: &Parts) -> bool {
    let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (parts.headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()), host) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) == Some(host),
        // no Origin header: not a cross-site browser form post
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// A urlencoded form whose `_csrf` field must match the session's token (when logged in) and
/// whose Origin must be this site. Fields are deserialized into `T`; the raw pairs are kept.
pub struct CsrfForm<T> {
    pub data: T,
    pub pairs: Vec<(String, String)>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        if !same_origin(&parts) {
            return Err(PageError(AppError::Forbidden));
        }
        let session = parts.extensions.get::<CurrentSession>().cloned().unwrap_or_default().0;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError(AppError::field("form", "表单：无法读取提交的内容")))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        if let Some(s) = &session {
            let sent = pairs.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.as_str());
            if sent != Some(s.csrf_token.as_str()) {
                return Err(PageError(AppError::Forbidden));
            }
        }
        let data = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| PageError(AppError::field("form", format!("表单：{e}"))))?;
        Ok(CsrfForm { data, pairs })
    }
}

/// Check CSRF for requests whose body is read another way (multipart uploads).
pub fn check_csrf(parts_session: Option<&SessionUser>, sent: Option<&str>) -> Result<(), PageError> {
    match parts_session {
        Some(s) if sent == Some(s.csrf_token.as_str()) => Ok(()),
        _ => Err(PageError(AppError::Forbidden)),
    }
}

/// An API caller authenticated by `Authorization: Bearer <token>`.
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or(ApiError(AppError::Unauthenticated))?;
        let s = db::auth::resolve_session(&state.db, token.trim(), SessionKind::Api, state.now_ms())
            .await?
            .ok_or(ApiError(AppError::Unauthenticated))?;
        Ok(ApiUser(s.actor()))
    }
}

/// An API caller who may be anonymous (public endpoints show public data).
pub struct MaybeApiUser(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            Ok(MaybeApiUser(Some(ApiUser::from_request_parts(parts, state).await?.0)))
        } else {
            Ok(MaybeApiUser(None))
        }
    }
}

pub fn is_post(m: &Method) -> bool {
    m == Method::POST
}

/// A cookie's value from raw headers.
pub fn cookie_header_token(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}
