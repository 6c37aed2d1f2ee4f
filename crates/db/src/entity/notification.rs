use sea_orm::entity::prelude::*;

/// An in-app notification (站内通知) for one user.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// A stable code such as "application.screened" (what the notification is about).
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Where the notification leads (a path inside the app).
    pub link: String,
    pub created_ms: i64,
    pub read_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
