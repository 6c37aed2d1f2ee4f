//! Objections (异议) to a line of a published notice: anyone may file one during the period
//! (name, contact phone, text); the program's operator or funder records a disposition
//! (upheld / dismissed, with a reason). An upheld objection keeps its line from being awarded.

use domain::ids::Phone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::{NoticeView, model};
use crate::audit::Event;
use crate::decision::covered_program;
use crate::entity::{objection, program, slate_line};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ObjectionInput {
    /// The notice line objected to.
    pub line_id: String,
    pub name: String,
    pub phone: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    pub id: String,
    pub notice_id: String,
    pub line_id: String,
    pub application_title: String,
    pub name: String,
    pub phone: String,
    pub text: String,
    pub filed_ms: i64,
    /// pending / upheld / dismissed
    pub status: String,
    pub disposition_reason: String,
    pub disposed_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Disposition {
    pub upheld: bool,
    pub reason: String,
}

fn public_actor() -> Actor {
    Actor { username: "public".into(), ..Actor::system() }
}

fn period_text(n: &NoticeView) -> String {
    match (n.period_start, n.period_end) {
        (Some(s), Some(e)) => format!("{s}至{e}"),
        _ => "未开始".into(),
    }
}

/// File an objection (no login). Refused outside the notice period.
pub async fn file_objection<C: ConnectionTrait>(
    db: &C,
    keys: &crate::crypto::Keys,
    notice_id: &str,
    input: &ObjectionInput,
    now_ms: i64,
) -> AppResult<String> {
    let n = super::get(db, None, notice_id).await?;
    if !n.open_at(now_ms) {
        return Err(AppError::Conflict(format!("公示期为{}，现在不在公示期内，不能提出异议", period_text(&n))));
    }
    let mut e = Vec::new();
    let line = n.lines.iter().find(|l| l.id == input.line_id);
    if line.is_none() {
        e.push(FieldError::new("line_id", "异议项目：请选择本公示中的一个项目"));
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        e.push(FieldError::new("name", "姓名：不能为空，且不超过50字"));
    }
    let phone = match Phone::parse(&input.phone) {
        Ok(p) => p.to_string(),
        Err(err) => {
            e.push(FieldError::new("phone", format!("联系电话：{err}")));
            String::new()
        }
    };
    let text = input.text.trim();
    let len = text.chars().count();
    if !(10..=2000).contains(&len) {
        e.push(FieldError::new("text", "异议内容：请写明事实和理由，10至2000字"));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let id = new_id();
    objection::ActiveModel {
        id: Set(id.clone()),
        notice_id: Set(n.id.clone()),
        slate_line_id: Set(input.line_id.clone()),
        filer_name: Set(name.to_string()),
        // personal data: encrypted at rest like a beneficiary's phone
        filer_phone: Set(keys.encrypt(&phone)),
        body: Set(text.to_string()),
        filed_ms: Set(now_ms),
        status: Set("pending".into()),
        disposition_reason: Set(String::new()),
        disposed_ms: Set(None),
        disposed_by: Set(None),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(&public_actor(), now_ms, "objection.file", "objection", &id)
        .after(&serde_json::json!({ "notice_id": n.id, "line_id": input.line_id }))
        .write(db)
        .await?;
    let p = program::Entity::find_by_id(n.program_id.as_str()).one(db).await.map_err(db_err)?;
    if let Some(p) = p {
        let mut users = crate::notifications::organization_users(db, &p.funder_id, &["funder_admin"]).await?;
        if let Some(op) = &p.operator_id {
            users.extend(crate::notifications::organization_users(db, op, &["operator"]).await?);
        }
        let title = line.map(|l| l.application_title.clone()).unwrap_or_default();
        let text = format!("公示“{}”收到对项目“{title}”的异议，请及时处理", n.title);
        crate::notifications::notify(
            db,
            &users,
            "objection.filed",
            &text,
            &format!("/decision/notices/{}", n.id),
            now_ms,
        )
        .await?;
    }
    Ok(id)
}

/// Objections to a notice, oldest first (those covering the program). The objectors' phones are
/// shown in full so the operator can call back, and that view is written to the audit log.
pub async fn objections<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &crate::crypto::Keys,
    notice_id: &str,
    now_ms: i64,
) -> AppResult<Vec<ObjectionView>> {
    let n = model(db, notice_id).await?;
    covered_program(db, actor, &n.program_id).await.map_err(|_| AppError::NotFound("公示".into()))?;
    let rows = objection::Entity::find()
        .filter(objection::Column::NoticeId.eq(notice_id))
        .order_by_asc(objection::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let line_ids: Vec<String> = rows.iter().map(|o| o.slate_line_id.clone()).collect();
    let lines =
        slate_line::Entity::find().filter(slate_line::Column::Id.is_in(line_ids)).all(db).await.map_err(db_err)?;
    let (apps, _) =
        crate::decision::names(db, lines.iter().map(|l| l.application_id.clone()).collect(), vec![]).await?;
    if !rows.is_empty() {
        Event::new(actor, now_ms, "objection.view_contacts", "notice", notice_id)
            .after(&serde_json::json!({ "objections": rows.len() }))
            .write(db)
            .await?;
    }
    let title_of = |line_id: &str| {
        lines.iter().find(|l| l.id == line_id).and_then(|l| apps.get(&l.application_id)).cloned().unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|o| ObjectionView {
            application_title: title_of(&o.slate_line_id),
            id: o.id,
            notice_id: o.notice_id,
            line_id: o.slate_line_id,
            name: o.filer_name,
            phone: keys.decrypt(&o.filer_phone).unwrap_or_default(),
            text: o.body,
            filed_ms: o.filed_ms,
            status: o.status,
            disposition_reason: o.disposition_reason,
            disposed_ms: o.disposed_ms,
        })
        .collect())
}

/// Record the disposition of an objection (operator or funder of the program).
pub async fn dispose<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    objection_id: &str,
    d: &Disposition,
    now_ms: i64,
) -> AppResult<()> {
    actor.require(&[domain::role::Role::FunderAdmin, domain::role::Role::Operator])?;
    let o = objection::Entity::find_by_id(objection_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("异议".into()))?;
    let n = model(db, &o.notice_id).await?;
    covered_program(db, actor, &n.program_id).await.map_err(|_| AppError::NotFound("异议".into()))?;
    if n.status == "closed" {
        return Err(AppError::Conflict("公示已结束，不能再处理异议".into()));
    }
    let reason = d.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "处理理由：不能为空，且不超过1000字"));
    }
    let status = if d.upheld { "upheld" } else { "dismissed" };
    let before = serde_json::json!({ "status": o.status, "reason": o.disposition_reason });
    let mut a = o.into_active_model();
    a.status = Set(status.into());
    a.disposition_reason = Set(reason.to_string());
    a.disposed_ms = Set(Some(now_ms));
    a.disposed_by = Set(actor.user_id.clone());
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "objection.dispose", "objection", objection_id)
        .before(&before)
        .after(&serde_json::json!({ "status": status, "reason": reason }))
        .write(db)
        .await
}
