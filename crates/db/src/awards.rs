//! Awards (立项): one row per application that passed its public notice, made by the closing
//! job (`crate::notices::close`) with status `final`. Columns: program, application,
//! organization, call item, track, amount in fen, the notice it passed, and when. Contracts and
//! projects are built from these rows; this table is not changed after it is written.
//!
//! Scope: an organization's people read their own awards; funders, operators and area roles the
//! awards of programs they cover; the public reads final awards of published programs
//! (`public_results`).

use domain::money::Fen;
use domain::role::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::{award, program};
use crate::{Actor, AppError, AppResult, db_err};

#[derive(Debug, Clone, Serialize)]
pub struct AwardView {
    pub id: String,
    pub program_id: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub amount: Fen,
    pub status: String,
    pub notice_id: String,
    pub awarded_ms: i64,
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<award::Model>) -> AppResult<Vec<AwardView>> {
    let (apps, orgs) = crate::decision::names(
        db,
        rows.iter().map(|r| r.application_id.clone()).collect(),
        rows.iter().map(|r| r.organization_id.clone()).collect(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AwardView {
            application_title: apps.get(&r.application_id).cloned().unwrap_or_default(),
            organization_name: orgs.get(&r.organization_id).cloned().unwrap_or_default(),
            id: r.id,
            program_id: r.program_id,
            application_id: r.application_id,
            organization_id: r.organization_id,
            call_item_id: r.call_item_id,
            track_code: r.track_code,
            amount: Fen(r.amount_fen),
            status: r.status,
            notice_id: r.notice_id,
            awarded_ms: r.awarded_ms,
        })
        .collect())
}

fn visible(actor: &Actor, a: &award::Model, p: &program::Model) -> bool {
    if matches!(actor.role, Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker) {
        return actor.organization_id.as_deref() == Some(a.organization_id.as_str());
    }
    crate::applications::covers_program(actor, p)
}

/// The awards of a program the actor may read.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<Vec<AwardView>> {
    let p = crate::decision::program_model(db, program_id).await?;
    let rows = award::Entity::find()
        .filter(award::Column::ProgramId.eq(program_id))
        .order_by_asc(award::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows.into_iter().filter(|a| visible(actor, a, &p)).collect()).await
}

/// One award, or not found when outside the actor's scope.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<AwardView> {
    let a = award::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("立项".into()))?;
    let p = crate::decision::program_model(db, &a.program_id).await?;
    if !visible(actor, &a, &p) {
        return Err(AppError::NotFound("立项".into()));
    }
    Ok(views(db, vec![a]).await?.remove(0))
}

/// Final awards of a published (or closed) program, for the public results page.
pub async fn public_results<C: ConnectionTrait>(db: &C, program_id: &str) -> AppResult<Vec<AwardView>> {
    let p = crate::decision::program_model(db, program_id).await?;
    if p.status != "published" && p.status != "closed" {
        return Err(AppError::NotFound("计划".into()));
    }
    let rows = award::Entity::find()
        .filter(award::Column::ProgramId.eq(program_id))
        .filter(award::Column::Status.eq("final"))
        .order_by_asc(award::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows).await
}

/// Programs that have final awards (ids), for the public results index.
pub async fn programs_with_results<C: ConnectionTrait>(db: &C) -> AppResult<Vec<String>> {
    let mut ids: Vec<String> = award::Entity::find()
        .filter(award::Column::Status.eq("final"))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| a.program_id)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}
