use sea_orm::entity::prelude::*;

/// One session of a group; `attendance_json` holds the ids of the members present.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub group_id: String,
    pub held_on: Date,
    pub topic: String,
    #[sea_orm(column_type = "Text")]
    pub attendance_json: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
