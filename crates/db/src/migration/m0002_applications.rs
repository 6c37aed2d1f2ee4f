//! Applications (申报书), their submitted versions, and screening (初筛) records.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_applications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("applications"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(s("track_code", 32))
                .col(string_len_null(a("call_item_id"), 36))
                .col(string_len(a("organization_id"), 36))
                .col(s("title", 200))
                .col(t("summary"))
                .col(t("needs_analysis"))
                .col(t("objectives"))
                .col(t("plan_json"))
                .col(t("outputs_json"))
                .col(t("team_json"))
                .col(t("budget_json"))
                .col(big_integer(a("requested_fen")))
                .col(s("status", 16))
                .col(big_integer_null(a("submitted_ms")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .col(integer(a("version")))
                .take(),
        )
        .await?;
        m.create_index(index("applications", "idx_applications_program", &["program_id", "status", "id"], false))
            .await?;
        m.create_index(index("applications", "idx_applications_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("applications", "idx_applications_item", &["call_item_id"], false)).await?;
        m.create_index(index("applications", "idx_applications_status", &["status", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("application_versions"))
                .col(id())
                .col(string_len(a("application_id"), 36))
                .col(integer(a("version")))
                .col(t("snapshot_json"))
                .col(ms("created_ms"))
                .col(s("actor", 100))
                .take(),
        )
        .await?;
        m.create_index(index("application_versions", "uq_application_versions", &["application_id", "version"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(a("screenings"))
                .col(id())
                .col(string_len(a("application_id"), 36))
                .col(s("outcome", 16))
                .col(t("reasons"))
                .col(t("rule_results_json"))
                .col(string_len_null(a("actor_id"), 36))
                .col(ms("at_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("screenings", "idx_screenings_application", &["application_id", "id"], false)).await?;
        m.create_index(index("screenings", "idx_screenings_actor", &["actor_id", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["screenings", "application_versions", "applications"] {
            m.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
