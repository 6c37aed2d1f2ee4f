use sea_orm::entity::prelude::*;

/// A person who logs in. `area_code` and `organization_id` are the data scope.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub organization_id: Option<String>,
    pub area_code: Option<String>,
    /// A program the user works on (operators, reviewers, evaluators): its drafts become visible.
    pub program_id: Option<String>,
    pub locale: String,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until_ms: Option<i64>,
    pub created_ms: i64,
    pub password_changed_ms: i64,
    /// Where e-mail notifications go (optional).
    pub email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
