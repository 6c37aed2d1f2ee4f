//! Why an assessment's level differs from its score's band (GB/T 42195-2022 level adjustments:
//! 昏迷, a dementia diagnosis, repeated risk events), kept with the assessment.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_assessment_adjustments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.alter_table(Table::alter().table(a("assessments")).add_column(text_null(a("adjusted_by"))).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.alter_table(Table::alter().table(a("assessments")).drop_column(a("adjusted_by")).take()).await
    }
}
