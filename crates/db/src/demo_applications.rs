//! Demo applications for 崇川区第九届社区公益助力计划 (chongchuan-9): the fictitious social
//! organizations apply to call items, inserted directly as rows (the real deadline is long past)
//! so the screening, review and decision screens have something to show. Most passed screening
//! (with the rule results of that day), one is submitted and waiting, one is still a draft.

use domain::eligibility::{BudgetCategory, BudgetLine};
use domain::money::Fen;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::applications::{ApplicationInput, CoFunding, PlanMonth, ProposedOutput, TeamEntry};
use crate::entity::{application, application_version, call_item, organization, program, screening};
use crate::{AppResult, db_err, new_id};

/// 2021-01-20 10:00 Asia/Shanghai: before the 2021-01-31 deadline.
const SUBMITTED_MS: i64 = 1_611_108_000_000;
/// 2021-02-05 10:00 Asia/Shanghai: the screening day.
const SCREENED_MS: i64 = 1_612_490_400_000;

/// (organization, item code, title, personnel yuan, activities yuan, status)
const APPS: [(&str, &str, &str, i64, i64, &str); 8] = [
    ("示例·崇川区和美社会工作服务中心", "D07", "示例·“记忆守护”认知症家庭支持", 18_000, 52_000, "screened_pass"),
    ("示例·崇川区和美社会工作服务中心", "D08", "示例·康乐同行老人社区服务", 12_000, 36_000, "screened_pass"),
    ("示例·崇川区邻里互助服务社", "D09", "示例·邻里老年课堂", 10_000, 38_000, "screened_pass"),
    ("示例·崇川区邻里互助服务社", "D01", "示例·文明宣传文艺轻骑兵", 4_000, 15_000, "screened_pass"),
    ("示例·桐庐县暖阳社会工作服务社", "D05", "示例·筑梦童心成长营", 25_000, 70_000, "screened_pass"),
    ("示例·青铜峡市同心社会工作服务中心", "D06", "示例·牵手护童行动", 20_000, 55_000, "screened_pass"),
    ("示例·城关区善行社会工作服务中心", "D07", "示例·认知症友好社区共建", 20_000, 58_000, "submitted"),
    ("示例·房山区阳光社会工作事务所", "D03", "示例·崇德暑期爱心托管", 8_000, 25_000, "draft"),
];

fn input(title: &str, item: &call_item::Model, personnel: i64, activities: i64) -> ApplicationInput {
    let required: Vec<domain::program::OutputTarget> = serde_json::from_str(&item.outputs_json).unwrap_or_default();
    ApplicationInput {
        title: title.to_string(),
        summary: format!("围绕“{}”开展专业社会工作服务（示例数据）。", item.name),
        needs_analysis: "辖区走访与问卷显示服务需求集中、现有资源不足（示例数据）。".into(),
        objectives: "按项目清单的基本产出完成服务，服务对象满意度不低于85%（示例数据）。".into(),
        plan: ["2021-04", "2021-06", "2021-09"]
            .iter()
            .zip(["需求评估与建档", "开展主题服务", "总结评估"])
            .map(|(m, a)| PlanMonth { month: (*m).into(), activities: a.into() })
            .collect(),
        outputs: required
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.quantity.map(|q| ProposedOutput { index: i as u32, quantity: q }))
            .collect(),
        team: vec![
            TeamEntry {
                name: "示例·项目负责人".into(),
                role: "项目负责人".into(),
                certified: true,
                full_time: true,
                lead: true,
            },
            TeamEntry {
                name: "示例·社工".into(), role: "社工".into(), certified: true, full_time: true, lead: false
            },
        ],
        budget: vec![
            BudgetLine {
                category: BudgetCategory::Personnel,
                amount: Fen(personnel * 100),
                uses: "社工服务补贴".into(),
            },
            BudgetLine {
                category: BudgetCategory::Activities, amount: Fen(activities * 100), uses: "服务活动".into()
            },
        ],
        cofunding: vec![CoFunding { source: "机构自筹".into(), amount: Fen(500_000), note: "示例".into() }],
    }
}

fn js<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Insert the demo applications; returns how many. Does nothing when chongchuan-9 is absent.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<usize> {
    let Some(p) =
        program::Entity::find().filter(program::Column::Code.eq("chongchuan-9")).one(db).await.map_err(db_err)?
    else {
        return Ok(0);
    };
    let items = call_item::Entity::find()
        .filter(call_item::Column::ProgramId.eq(p.id.as_str()))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut n = 0;
    for (org_name, code, title, personnel, activities, status) in APPS {
        let org = organization::Entity::find()
            .filter(organization::Column::Name.eq(org_name))
            .one(db)
            .await
            .map_err(db_err)?;
        let (Some(org), Some(item)) = (org, items.iter().find(|i| i.code == code)) else { continue };
        let inp = input(title, item, personnel, activities);
        let id = new_id();
        let submitted = status != "draft";
        application::ActiveModel {
            id: Set(id.clone()),
            program_id: Set(p.id.clone()),
            track_code: Set(item.track_code.clone()),
            call_item_id: Set(Some(item.id.clone())),
            organization_id: Set(org.id.clone()),
            title: Set(inp.title.clone()),
            summary: Set(inp.summary.clone()),
            needs_analysis: Set(inp.needs_analysis.clone()),
            objectives: Set(inp.objectives.clone()),
            plan_json: Set(js(&inp.plan)),
            outputs_json: Set(js(&inp.outputs)),
            team_json: Set(js(&inp.team)),
            budget_json: Set(js(&inp.budget)),
            cofunding_json: Set(Some(js(&inp.cofunding))),
            requested_fen: Set(inp.total().0),
            status: Set(status.to_string()),
            submitted_ms: Set(submitted.then_some(SUBMITTED_MS)),
            created_ms: Set(SUBMITTED_MS - 86_400_000),
            updated_ms: Set(if status == "screened_pass" { SCREENED_MS } else { SUBMITTED_MS }),
            version: Set(i32::from(submitted)),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
        if submitted {
            let m = application::Entity::find_by_id(id.as_str()).one(db).await.map_err(db_err)?;
            let snapshot = m.as_ref().map(|m| serde_json::to_string(&crate::applications::view(m)).unwrap_or_default());
            application_version::ActiveModel {
                id: Set(new_id()),
                application_id: Set(id.clone()),
                version: Set(1),
                snapshot_json: Set(snapshot.unwrap_or_default()),
                created_ms: Set(SUBMITTED_MS),
                actor: Set("orgadmin".into()),
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
        if status == "screened_pass" {
            let m = application::Entity::find_by_id(id.as_str()).one(db).await.map_err(db_err)?;
            let today = chrono::NaiveDate::from_ymd_opt(2021, 2, 5).unwrap_or_default();
            let results = match m {
                Some(m) => crate::applications::evaluate_model(db, &m, today).await?,
                None => Vec::new(),
            };
            screening::ActiveModel {
                id: Set(new_id()),
                application_id: Set(id.clone()),
                outcome: Set("pass".into()),
                reasons: Set(String::new()),
                rule_results_json: Set(serde_json::to_string(&results).unwrap_or_default()),
                actor_id: Set(None),
                at_ms: Set(SCREENED_MS),
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
        n += 1;
    }
    Ok(n)
}
