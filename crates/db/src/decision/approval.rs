//! The funder's changes to slate lines (include / exclude / amount, each with a reason) and
//! approval in numbered batches.

use domain::money::Fen;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::funded_program;
use crate::audit::Event;
use crate::entity::{call_item, slate_line};
use crate::{Actor, AppError, AppResult, FieldError, db_err};

/// A change to one line. `include = false` excludes it; an included line needs an amount.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LineChange {
    pub include: bool,
    #[serde(default)]
    pub amount: Option<Fen>,
    #[serde(default)]
    pub reason: String,
}

async fn line_model<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<slate_line::Model> {
    let line = slate_line::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("拟立项名单条目".into()))?;
    super::covered_program(db, actor, &line.program_id)
        .await
        .map_err(|_| AppError::NotFound("拟立项名单条目".into()))?;
    Ok(line)
}

/// Change one proposed line. The reason is required and stored with the line and the audit event.
pub async fn change_line<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    line_id: &str,
    change: &LineChange,
    now_ms: i64,
) -> AppResult<()> {
    let line = line_model(db, actor, line_id).await?;
    funded_program(db, actor, &line.program_id).await?;
    if line.status != "proposed" {
        return Err(AppError::Conflict("该条目已审批，不能再调整".into()));
    }
    let mut errors = Vec::new();
    let reason = change.reason.trim();
    if reason.is_empty() {
        errors.push(FieldError::new("reason", "调整理由：不能为空"));
    } else if reason.chars().count() > 500 {
        errors.push(FieldError::new("reason", "调整理由：不超过500字"));
    }
    let amount = if change.include {
        match change.amount {
            None => {
                errors.push(FieldError::new("amount", "立项金额：纳入名单时必须填写金额"));
                None
            }
            Some(a) if a.0 <= 0 => {
                errors.push(FieldError::new("amount", "立项金额：应大于0"));
                None
            }
            Some(a) => {
                let cap = match &line.call_item_id {
                    Some(i) => call_item::Entity::find_by_id(i.as_str())
                        .one(db)
                        .await
                        .map_err(db_err)?
                        .and_then(|i| i.funding_cap_fen),
                    None => None,
                };
                if let Some(cap) = cap.filter(|c| a.0 > *c) {
                    errors.push(FieldError::new(
                        "amount",
                        format!("立项金额：不能超过该项目资金上限{}万元", Fen(cap).wan_string()),
                    ));
                }
                Some(a.0)
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let before = serde_json::json!({ "amount_fen": line.amount_fen, "change_reason": line.change_reason });
    let mut a = line.into_active_model();
    a.amount_fen = Set(amount);
    a.change_reason = Set(reason.to_string());
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "slate_line.change", "slate_line", line_id)
        .before(&before)
        .after(&serde_json::json!({ "amount_fen": amount, "change_reason": reason }))
        .write(db)
        .await
}

/// Approve the selected proposed lines as the next batch: included lines become `approved`,
/// excluded ones `rejected`. Refused when the approved total would exceed the program budget.
/// Returns the batch number (1, 2, …).
pub async fn approve_batch<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    line_ids: &[String],
    now_ms: i64,
) -> AppResult<i32> {
    let p = funded_program(db, actor, program_id).await?;
    if line_ids.is_empty() {
        return Err(AppError::field("lines", "审批条目：请至少选择一项"));
    }
    let txn = db.begin().await.map_err(db_err)?;
    let all =
        slate_line::Entity::find().filter(slate_line::Column::ProgramId.eq(&p.id)).all(&txn).await.map_err(db_err)?;
    let selected: Vec<&slate_line::Model> = all.iter().filter(|l| line_ids.contains(&l.id)).collect();
    if selected.len() != line_ids.len() || selected.iter().any(|l| l.status != "proposed") {
        return Err(AppError::Conflict("所选条目不存在或已审批，请刷新后重试".into()));
    }
    let batch = all.iter().filter_map(|l| l.batch_no).max().unwrap_or(0) + 1;
    if let Some(budget) = p.budget_fen {
        let approved: i64 = all.iter().filter(|l| l.status == "approved").filter_map(|l| l.amount_fen).sum();
        let adding: i64 = selected.iter().filter_map(|l| l.amount_fen).sum();
        if approved + adding > budget {
            return Err(AppError::field(
                "lines",
                format!(
                    "审批条目：合计{}万元，超过计划资金剩余{}万元",
                    Fen(adding).wan_string(),
                    Fen(budget - approved).wan_string()
                ),
            ));
        }
    }
    for l in &selected {
        let status = if l.amount_fen.is_some() { "approved" } else { "rejected" };
        let mut a = (*l).clone().into_active_model();
        a.status = Set(status.into());
        a.batch_no = Set(Some(batch));
        a.updated_ms = Set(now_ms);
        a.update(&txn).await.map_err(db_err)?;
        Event::new(actor, now_ms, "slate_line.approve", "slate_line", &l.id)
            .after(&serde_json::json!({ "status": status, "batch": batch, "amount_fen": l.amount_fen }))
            .write(&txn)
            .await?;
    }
    txn.commit().await.map_err(db_err)?;
    Ok(batch)
}
