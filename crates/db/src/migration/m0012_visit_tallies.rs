//! The counted visits of each enrolment, one row per person in a project (`visits::tally`), so a
//! project page reads one short row per person instead of every visit. Existing visits are
//! tallied here once.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{index, ms, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_visit_tallies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("visit_tallies"))
                .col(string_len(a("project_person_id"), 36).primary_key())
                .col(string_len(a("project_id"), 36))
                .col(string_len(a("person_id"), 36))
                .col(t("days"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("visit_tallies", "idx_visit_tallies_project", &["project_id"], false)).await?;
        crate::visits::tally::rebuild_all(m.get_connection()).await.map_err(|e| DbErr::Custom(e.to_string()))?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("visit_tallies")).if_exists().take()).await
    }
}
