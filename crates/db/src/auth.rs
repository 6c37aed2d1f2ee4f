//! Login, lockout, sessions (web cookies with CSRF tokens) and API bearer tokens.
//! Sessions live in the database so several app servers can share them.

use domain::role::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

use crate::entity::{session, user};
use crate::passwords::{random_token, token_hash, verify_password};
use crate::{Actor, AppError, AppResult, db_err};

/// Failed attempts before an account is locked.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a lock lasts.
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// A web session ends after this much inactivity.
pub const SESSION_IDLE_MS: i64 = 2 * 60 * 60 * 1000;
/// An API token lives this long.
pub const API_TOKEN_MS: i64 = 12 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A live session: the user behind it and its CSRF token.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: user::Model,
    pub csrf_token: String,
}

impl SessionUser {
    pub fn actor(&self) -> Actor {
        actor_of(&self.user)
    }
}

pub fn actor_of(u: &user::Model) -> Actor {
    Actor {
        user_id: Some(u.id.clone()),
        username: u.username.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::OrgStaff),
        organization_id: u.organization_id.clone(),
        area_code: u.area_code.clone(),
        program_id: u.program_id.clone(),
    }
}

/// Check a user name and password. Counts failures and locks the account after
/// `MAX_FAILED_LOGINS`; the message never tells whether the user name exists.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    username: &str,
    password: &str,
    now_ms: i64,
) -> AppResult<user::Model> {
    let bad = || AppError::field("password", "用户名或密码不正确");
    let Some(u) =
        user::Entity::find().filter(user::Column::Username.eq(username.trim())).one(db).await.map_err(db_err)?
    else {
        // spend the same time as a real check
        let _ = verify_password(
            password,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000",
        );
        return Err(bad());
    };
    if !u.active {
        return Err(AppError::field("username", "该账号已停用，请联系管理员"));
    }
    if let Some(until) = u.locked_until_ms
        && until > now_ms
    {
        let minutes = (until - now_ms + 59_999) / 60_000;
        return Err(AppError::Locked(format!("密码错误次数过多，账号已锁定，请{minutes}分钟后再试")));
    }
    if verify_password(password, &u.password_hash) {
        if u.failed_logins != 0 || u.locked_until_ms.is_some() {
            let mut a = u.clone().into_active_model();
            a.failed_logins = Set(0);
            a.locked_until_ms = Set(None);
            a.update(db).await.map_err(db_err)?;
        }
        Ok(u)
    } else {
        let failed = u.failed_logins + 1;
        let mut a = u.into_active_model();
        if failed >= MAX_FAILED_LOGINS {
            a.failed_logins = Set(0);
            a.locked_until_ms = Set(Some(now_ms + LOCK_MS));
        } else {
            a.failed_logins = Set(failed);
        }
        a.update(db).await.map_err(db_err)?;
        Err(bad())
    }
}

/// Start a session; returns the secret to hand to the client (cookie or bearer token).
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    user_id: &str,
    kind: SessionKind,
    now_ms: i64,
) -> AppResult<String> {
    let token = random_token();
    let ttl = match kind {
        SessionKind::Web => SESSION_IDLE_MS,
        SessionKind::Api => API_TOKEN_MS,
    };
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id.to_string()),
        kind: Set(kind.as_str().to_string()),
        csrf_token: Set(random_token()),
        created_ms: Set(now_ms),
        expires_ms: Set(now_ms + ttl),
        last_seen_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(token)
}

/// The user of a live session, sliding the expiry of web sessions.
pub async fn resolve_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
    kind: SessionKind,
    now_ms: i64,
) -> AppResult<Option<SessionUser>> {
    let Some(s) = session::Entity::find_by_id(token_hash(token)).one(db).await.map_err(db_err)? else {
        return Ok(None);
    };
    if s.kind != kind.as_str() || s.expires_ms <= now_ms {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id.clone()).one(db).await.map_err(db_err)? else {
        return Ok(None);
    };
    if !u.active {
        return Ok(None);
    }
    let csrf_token = s.csrf_token.clone();
    if kind == SessionKind::Web && now_ms - s.last_seen_ms > 60_000 {
        let mut a = s.into_active_model();
        a.last_seen_ms = Set(now_ms);
        a.expires_ms = Set(now_ms + SESSION_IDLE_MS);
        a.update(db).await.map_err(db_err)?;
    }
    Ok(Some(SessionUser { user: u, csrf_token }))
}

pub async fn end_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<()> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await.map_err(db_err)?;
    Ok(())
}

/// End every session of a user (after a password change or reset).
pub async fn end_all_sessions<C: ConnectionTrait>(db: &C, user_id: &str) -> AppResult<()> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await.map_err(db_err)?;
    Ok(())
}

/// Remove expired sessions (run by a periodic job).
pub async fn purge_expired<C: ConnectionTrait>(db: &C, now_ms: i64) -> AppResult<u64> {
    let r =
        session::Entity::delete_many().filter(session::Column::ExpiresMs.lte(now_ms)).exec(db).await.map_err(db_err)?;
    Ok(r.rows_affected)
}
