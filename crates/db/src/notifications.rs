//! Notifications (通知): one in-app row per recipient for every status change that concerns a
//! user, plus a queued e-mail when the recipient has an address. E-mail leaves through the
//! outbox (`pending_emails` / `mark_email`), which the server drains when SMTP is configured, so a
//! notification is written in the same transaction as the change it reports.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::entity::{email_outbox, notification, user};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

/// Notify each user in `user_ids` (duplicates and unknown ids are skipped): an in-app row, and an
/// e-mail in the outbox for users with an address.
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    user_ids: &[String],
    kind: &str,
    text: &str,
    link: &str,
    now_ms: i64,
) -> AppResult<()> {
    let mut ids: Vec<&str> = user_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await
        .map_err(db_err)?;
    for u in users {
        notification::ActiveModel {
            id: Set(new_id()),
            user_id: Set(u.id.clone()),
            kind: Set(kind.chars().take(40).collect()),
            body: Set(text.to_string()),
            link: Set(link.chars().take(300).collect()),
            created_ms: Set(now_ms),
            read_ms: Set(None),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
        if let Some(addr) = u.email.as_deref().filter(|a| !a.trim().is_empty()) {
            email_outbox::ActiveModel {
                id: Set(new_id()),
                to_addr: Set(addr.trim().to_string()),
                subject: Set(format!("【公益】{}", text.chars().take(60).collect::<String>())),
                body: Set(format!("{text}\n\n{link}")),
                status: Set("pending".into()),
                attempts: Set(0),
                last_error: Set(String::new()),
                created_ms: Set(now_ms),
                sent_ms: Set(None),
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
    }
    Ok(())
}

/// The active users of an organization (an applicant's people), optionally only some roles.
pub async fn organization_users<C: ConnectionTrait>(db: &C, org_id: &str, roles: &[&str]) -> AppResult<Vec<String>> {
    let mut q = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::OrganizationId.eq(org_id))
        .filter(user::Column::Active.eq(true));
    if !roles.is_empty() {
        q = q.filter(user::Column::Role.is_in(roles.iter().copied()));
    }
    q.into_tuple::<String>().all(db).await.map_err(db_err)
}

/// Notify the people of an organization (org admins and staff).
pub async fn notify_organization<C: ConnectionTrait>(
    db: &C,
    org_id: &str,
    kind: &str,
    text: &str,
    link: &str,
    now_ms: i64,
) -> AppResult<()> {
    let ids = organization_users(db, org_id, &["org_admin", "org_staff"]).await?;
    notify(db, &ids, kind, text, link, now_ms).await
}

/// A notification as its recipient sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub link: String,
    pub created_ms: i64,
    pub read: bool,
}

fn view(m: notification::Model) -> NotificationView {
    NotificationView {
        id: m.id,
        kind: m.kind,
        text: m.body,
        link: m.link,
        created_ms: m.created_ms,
        read: m.read_ms.is_some(),
    }
}

/// The actor's user id (the system has no notifications).
fn me(actor: &Actor) -> AppResult<&str> {
    actor.user_id.as_deref().ok_or(AppError::Unauthenticated)
}

/// The actor's own notifications, newest first, a page at a time.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    unread_only: bool,
    page: &PageRequest,
) -> AppResult<Page<NotificationView>> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(me(actor)?));
    if unread_only {
        q = q.filter(notification::Column::ReadMs.is_null());
    }
    if let Some(before) = &page.after {
        q = q.filter(notification::Column::Id.lt(before.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_desc(notification::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |r| r.id.clone()).map(view))
}

pub async fn unread_count<C: ConnectionTrait>(db: &C, user_id: &str) -> AppResult<u64> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadMs.is_null())
        .count(db)
        .await
        .map_err(db_err)
}

/// Mark one of the actor's notifications read (someone else's is "not found") and return its link.
pub async fn mark_read<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str, now_ms: i64) -> AppResult<String> {
    let m = notification::Entity::find_by_id(id)
        .filter(notification::Column::UserId.eq(me(actor)?))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("通知".into()))?;
    if m.read_ms.is_none() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadMs, Expr::value(now_ms))
            .filter(notification::Column::Id.eq(id))
            .exec(db)
            .await
            .map_err(db_err)?;
    }
    Ok(m.link)
}

pub async fn mark_all_read<C: ConnectionTrait>(db: &C, actor: &Actor, now_ms: i64) -> AppResult<u64> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::ReadMs, Expr::value(now_ms))
        .filter(notification::Column::UserId.eq(me(actor)?))
        .filter(notification::Column::ReadMs.is_null())
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(r.rows_affected)
}

/// Set or clear the actor's own e-mail address for notifications.
pub async fn set_email<C: ConnectionTrait>(db: &C, actor: &Actor, email: &str, now_ms: i64) -> AppResult<()> {
    let email = email.trim();
    if !email.is_empty() && !valid_email(email) {
        return Err(AppError::Validation(vec![FieldError::new("email", "通知邮箱：格式不正确，例如 name@example.cn")]));
    }
    let value = (!email.is_empty()).then(|| email.to_string());
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(value.clone()))
        .filter(user::Column::Id.eq(me(actor)?))
        .exec(db)
        .await
        .map_err(db_err)?;
    crate::audit::Event::new(actor, now_ms, "user.email", "user", me(actor)?).after(&value).write(db).await
}

pub async fn email_of<C: ConnectionTrait>(db: &C, user_id: &str) -> AppResult<Option<String>> {
    Ok(user::Entity::find_by_id(user_id).one(db).await.map_err(db_err)?.and_then(|u| u.email))
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 200
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
}

/// An e-mail to send.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

/// Up to `limit` pending e-mails, oldest first.
pub async fn pending_emails<C: ConnectionTrait>(db: &C, limit: u64) -> AppResult<Vec<OutgoingEmail>> {
    let rows = email_outbox::Entity::find()
        .filter(email_outbox::Column::Status.eq("pending"))
        .order_by_asc(email_outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|m| OutgoingEmail { id: m.id, to: m.to_addr, subject: m.subject, body: m.body, attempts: m.attempts })
        .collect())
}

/// Retries before an e-mail is given up as failed.
pub const MAX_EMAIL_ATTEMPTS: i32 = 5;

/// Record the outcome of one send: `Ok` marks it sent; an error counts an attempt and gives up
/// after [`MAX_EMAIL_ATTEMPTS`].
pub async fn mark_email<C: ConnectionTrait>(
    db: &C,
    mail: &OutgoingEmail,
    outcome: Result<(), String>,
    now_ms: i64,
) -> AppResult<()> {
    let q = email_outbox::Entity::update_many().filter(email_outbox::Column::Id.eq(mail.id.as_str()));
    let q = match outcome {
        Ok(()) => q
            .col_expr(email_outbox::Column::Status, Expr::value("sent"))
            .col_expr(email_outbox::Column::SentMs, Expr::value(now_ms)),
        Err(e) => {
            let attempts = mail.attempts + 1;
            let status = if attempts >= MAX_EMAIL_ATTEMPTS { "failed" } else { "pending" };
            q.col_expr(email_outbox::Column::Status, Expr::value(status))
                .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
                .col_expr(email_outbox::Column::LastError, Expr::value(e.chars().take(500).collect::<String>()))
        }
    };
    q.exec(db).await.map_err(db_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::valid_email;

    #[test]
    fn email_shapes() {
        assert!(valid_email("wang@minzheng.gov.cn"));
        assert!(!valid_email("wang"));
        assert!(!valid_email("wang@localhost"));
        assert!(!valid_email("a b@x.cn"));
    }
}
