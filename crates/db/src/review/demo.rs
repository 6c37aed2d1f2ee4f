//! The demo expert pool (`demo/experts.toml`), loaded by `crate::demo::load`.

use std::collections::HashMap;

use domain::role::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::experts::{ExpertInput, create_expert};
use crate::entity::user;
use crate::users::UserInput;
use crate::{Actor, AppError, AppResult, db_err};

const EXPERTS: &str = include_str!("../../demo/experts.toml");

#[derive(Debug, Deserialize)]
struct ExpertFile {
    expert: Vec<DemoExpert>,
}

#[derive(Debug, Deserialize)]
struct DemoExpert {
    username: String,
    display_name: String,
    name: String,
    fields: Vec<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    area_code: Option<String>,
    #[serde(default)]
    relations: Vec<String>,
}

/// Create the demo experts and the reviewer accounts they sign in with (existing accounts are
/// reused). `orgs` maps organization keys to ids. Returns the number of users created.
pub async fn load_demo_experts<C: ConnectionTrait>(
    db: &C,
    orgs: &HashMap<String, String>,
    password_hash: &str,
    now_ms: i64,
) -> AppResult<usize> {
    let file: ExpertFile =
        toml::from_str(EXPERTS).map_err(|e| AppError::Internal(format!("demo/experts.toml: {e}")))?;
    let actor = Actor::system();
    let mut created = 0;
    for e in &file.expert {
        let existing = user::Entity::find()
            .filter(user::Column::Username.eq(e.username.as_str()))
            .one(db)
            .await
            .map_err(db_err)?;
        let user_id = match existing {
            Some(u) => u.id,
            None => {
                let input = UserInput {
                    username: e.username.clone(),
                    display_name: e.display_name.clone(),
                    role: Role::Reviewer.as_str().into(),
                    organization_id: None,
                    area_code: None,
                    program_id: None,
                    password: None,
                    active: Some(true),
                };
                created += 1;
                crate::users::insert_with_hash(db, &actor, &input, Role::Reviewer, password_hash.to_string(), now_ms)
                    .await?
                    .id
            }
        };
        let key = |k: &String| orgs.get(k).cloned().ok_or_else(|| AppError::Internal(format!("demo org key {k}")));
        let input = ExpertInput {
            name: e.name.clone(),
            user_id: Some(user_id),
            fields: e.fields.clone(),
            organization_id: e.organization.as_ref().map(key).transpose()?,
            area_code: e.area_code.clone(),
            relations: e.relations.iter().map(key).collect::<AppResult<Vec<_>>>()?,
            active: true,
        };
        create_expert(db, &actor, &input, now_ms).await?;
    }
    Ok(created)
}
