//! The append-only audit log. Rows are only inserted; no code path updates or deletes them.

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::entity::audit_entry;
use crate::{Actor, AppError, AppResult, Page, PageRequest, db_err, new_id};

/// One audited event.
pub struct Event<'a> {
    pub actor: &'a Actor,
    pub at_ms: i64,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Event<'a> {
    pub fn new(actor: &'a Actor, at_ms: i64, action: &'a str, entity: &'a str, entity_id: &'a str) -> Self {
        Event { actor, at_ms, action, entity, entity_id, before: None, after: None }
    }

    pub fn before<T: Serialize>(mut self, value: &T) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after<T: Serialize>(mut self, value: &T) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }

    /// Insert the event (inside the caller's transaction when `db` is one).
    pub async fn write<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        let text = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
        let row = audit_entry::ActiveModel {
            id: Set(new_id()),
            at_ms: Set(self.at_ms),
            actor_id: Set(self.actor.user_id.clone()),
            actor_name: Set(self.actor.username.clone()),
            action: Set(self.action.to_string()),
            entity: Set(self.entity.to_string()),
            entity_id: Set(self.entity_id.to_string()),
            before_json: Set(text(self.before)),
            after_json: Set(text(self.after)),
        };
        audit_entry::Entity::insert(row).exec_without_returning(db).await.map_err(db_err)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
}

/// Search the log, newest first. Administrators only.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &AuditFilter,
    page: &PageRequest,
) -> AppResult<Page<audit_entry::Model>> {
    if !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut q = audit_entry::Entity::find();
    if let Some(e) = filter.entity.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::Entity.eq(e));
    }
    if let Some(e) = filter.entity_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::EntityId.eq(e));
    }
    if let Some(a) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::ActorName.eq(a));
    }
    if let Some(a) = filter.action.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::Action.eq(a));
    }
    if let Some(after) = &page.after {
        q = q.filter(audit_entry::Column::Id.lt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_desc(audit_entry::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |r| r.id.clone()))
}
