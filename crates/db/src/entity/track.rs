use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub code: String,
    pub kind: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub budget_fen: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub rules_json: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
