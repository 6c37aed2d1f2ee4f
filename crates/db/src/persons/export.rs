//! Export of the persons in the actor's scope (for the Excel download). Identifiers are masked,
//! unless full ones are asked for: then each person the actor may reveal (`may_reveal`) is given
//! in full, the others stay masked, and one audit event records the export with the masked IDs
//! of everyone shown in full.

use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::{PersonView, mask_resident_id, may_reveal, scope, view};
use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::person;
use crate::{Actor, AppResult, db_err};

/// The most rows one export holds.
pub const EXPORT_LIMIT: u64 = 50_000;

pub struct ExportRow {
    pub person: PersonView,
    /// The full resident ID and phone, when given in full.
    pub full_resident_id: Option<String>,
    pub full_phone: Option<String>,
}

#[derive(Serialize)]
struct ExportAudit {
    rows: usize,
    full: usize,
    resident_ids: Vec<String>,
}

pub async fn export<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    full: bool,
    now_ms: i64,
) -> AppResult<Vec<ExportRow>> {
    let rows = person::Entity::find()
        .filter(scope(actor))
        .order_by_asc(person::Column::AreaCode)
        .order_by_asc(person::Column::Id)
        .limit(EXPORT_LIMIT)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut shown = Vec::new();
    for m in &rows {
        let person = view(keys, m)?;
        let (full_resident_id, full_phone) = if full && may_reveal(actor, m) {
            let rid = keys.decrypt(&m.resident_id_enc)?;
            shown.push(mask_resident_id(&rid));
            let phone = match &m.phone_enc {
                Some(enc) => Some(keys.decrypt(enc)?),
                None => None,
            };
            (Some(rid), phone)
        } else {
            (None, None)
        };
        out.push(ExportRow { person, full_resident_id, full_phone });
    }
    if !shown.is_empty() {
        let audit = ExportAudit { rows: out.len(), full: shown.len(), resident_ids: shown };
        Event::new(actor, now_ms, "person.export_full", "person", "export").after(&audit).write(db).await?;
    }
    Ok(out)
}
