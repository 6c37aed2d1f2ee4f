//! Reminders (催评): the operator reminds every panel member who still has assignments to declare
//! or scorecards to sign.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::panel_views::panel_model;
use crate::audit::Event;
use crate::entity::{review_assignment, scorecard};
use crate::{Actor, AppResult, db_err};

/// Notify each member with unfinished work (undeclared, or declared without a signed card);
/// returns how many reviewers were reminded.
pub async fn remind<C: ConnectionTrait>(db: &C, actor: &Actor, panel_id: &str, now_ms: i64) -> AppResult<usize> {
    let panel = panel_model(db, actor, panel_id).await?;
    let assignments = review_assignment::Entity::find()
        .filter(review_assignment::Column::PanelId.eq(panel.id.as_str()))
        .filter(review_assignment::Column::Status.is_in(["pending", "active"]))
        .all(db)
        .await
        .map_err(db_err)?;
    let signed: Vec<String> = scorecard::Entity::find()
        .filter(scorecard::Column::PanelId.eq(panel.id.as_str()))
        .filter(scorecard::Column::Signed.eq(true))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| c.assignment_id)
        .collect();
    let mut open: BTreeMap<String, usize> = BTreeMap::new();
    for a in assignments.iter().filter(|a| !signed.contains(&a.id)) {
        if let Some(u) = &a.user_id {
            *open.entry(u.clone()).or_default() += 1;
        }
    }
    for (user, n) in &open {
        let text = format!("提醒：“{}”还有{n}份申报书待声明或评分签名", panel.name);
        crate::notifications::notify(db, std::slice::from_ref(user), "review.reminder", &text, "/review", now_ms)
            .await?;
    }
    Event::new(actor, now_ms, "review.remind", "review_panel", &panel.id)
        .after(&serde_json::json!({ "reviewers": open.len() }))
        .write(db)
        .await?;
    Ok(open.len())
}
