//! Synthetic data for benchmarks and load tests: many clearly fictitious organizations and
//! programs, generated on demand with a size parameter (`gongyi demo --synthetic N`).

use domain::ids::Uscc;
use domain::money::Fen;
use domain::program::{CallItem, ProgramSpec, ProgramStatus, Track, TrackKind};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};

use crate::entity::organization;
use crate::{Actor, AppError, AppResult, db_err, new_id, programs};

/// Streets of 崇川区 the generated organizations are spread over.
const STREETS: [&str; 8] =
    ["320613001", "320613002", "320613003", "320613004", "320613005", "320613006", "320613007", "320613008"];

/// Insert `size` organizations and `size / 100` programs of 20 items each, in batches, calling
/// `progress(done, total)` as it goes. Returns the number of organizations made.
pub async fn generate(
    db: &DatabaseConnection,
    size: usize,
    now_ms: i64,
    mut progress: impl FnMut(usize, usize),
) -> AppResult<usize> {
    let programs_n = (size / 100).max(1);
    let total = size + programs_n;
    let mut done = 0;
    for chunk_start in (0..size).step_by(500) {
        let end = (chunk_start + 500).min(size);
        let rows = (chunk_start..end).map(|i| {
            let first17 = format!("52320613MJ{:07}", 1_000_000 + i);
            let uscc = Uscc::check_char(&first17).map(|c| format!("{first17}{c}"));
            organization::ActiveModel {
                id: Set(new_id()),
                kind: Set("social_org".into()),
                name: Set(format!("示例·合成社会组织{i:06}")),
                uscc: Set(uscc),
                registered_on: Set(None),
                registration_authority: Set("南通市崇川区民政局".into()),
                legal_representative: Set(String::new()),
                rating: Set(Some((i % 5) as i32 + 1)),
                rated_on: Set(None),
                area_code: Set(Some(STREETS[i % STREETS.len()].into())),
                address: Set(String::new()),
                bank_name: Set(String::new()),
                bank_account: Set(String::new()),
                business_scope: Set(String::new()),
                abnormal_list: Set(false),
                abnormal_since: Set(None),
                blacklisted: Set(false),
                blacklisted_since: Set(None),
                under_investigation: Set(false),
                last_penalty_on: Set(None),
                created_ms: Set(now_ms),
                updated_ms: Set(now_ms),
            }
        });
        organization::Entity::insert_many(rows).exec_without_returning(db).await.map_err(db_err)?;
        done = end;
        progress(done, total);
    }
    let funder = crate::organizations::find_by_name(db, "南通市崇川区民政局")
        .await?
        .ok_or_else(|| AppError::Internal("synthetic data needs the demo funder 南通市崇川区民政局".into()))?;
    for p in 0..programs_n {
        let spec = ProgramSpec {
            code: format!("synthetic-{p:05}"),
            name: format!("示例·合成计划{p:05}"),
            funder: funder.name.clone(),
            operator: None,
            year: 2026,
            area_code: "320613".into(),
            description: String::new(),
            status: ProgramStatus::Published,
            budget: Some(Fen::from_wan(300)),
            source: String::new(),
            tracks: vec![Track {
                code: "directed".into(),
                kind: TrackKind::Directed,
                name: "公益定投".into(),
                description: String::new(),
                budget: None,
                rules: Default::default(),
            }],
            phases: vec![],
            rules: Default::default(),
            items: (0..20)
                .map(|i| CallItem {
                    code: format!("S{i:02}"),
                    track: "directed".into(),
                    name: format!("合成项目{i:02}"),
                    category: "为老服务类".into(),
                    lot: None,
                    overview: String::new(),
                    beneficiaries: String::new(),
                    service_volume: String::new(),
                    objectives: String::new(),
                    content: String::new(),
                    outputs: vec![],
                    indicators: vec![],
                    funding_cap: Some(Fen::from_wan(15)),
                    slots: Some(1),
                    places: String::new(),
                    place_codes: vec![],
                    period_start: None,
                    period_end: None,
                    period_note: String::new(),
                    support_units: vec![],
                    co_funding: vec![],
                    rules: Default::default(),
                    notes: String::new(),
                })
                .collect(),
        };
        let txn = db.begin().await.map_err(db_err)?;
        programs::insert_spec(&txn, &Actor::system(), &spec, &funder.id, None, now_ms).await?;
        txn.commit().await.map_err(db_err)?;
        done += 1;
        progress(done, total);
    }
    Ok(size)
}
