use sea_orm::entity::prelude::*;

/// The counted visits (not rejected) of one enrolment, by day and channel, kept with every write
/// to its visits (`crate::visits::tally`). Derived data: it can always be rebuilt from `visits`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visit_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_person_id: String,
    pub project_id: String,
    pub person_id: String,
    /// `h20412,h20419*2,p20420`: channel (h home, p phone), Asia/Shanghai day number since
    /// 1970-01-01, and the number of visits that day when more than one.
    #[sea_orm(column_type = "Text")]
    pub days: String,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
