//! Expert review (评审): the expert pool (专家库), drawn panels with their seed and pool snapshot,
//! assignments of panel members to applications (with conflict-of-interest declarations) and
//! scorecards.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_review"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("experts"))
                .col(id())
                .col(string_len_null(a("user_id"), 36))
                .col(s("name", 100))
                .col(t("fields_json"))
                .col(string_len_null(a("organization_id"), 36))
                .col(string_len_null(a("area_code"), 12))
                .col(t("relations_json"))
                .col(boolean(a("active")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("experts", "idx_experts_user", &["user_id"], false)).await?;
        m.create_index(index("experts", "idx_experts_active", &["active", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("review_panels"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(s("track_code", 32))
                .col(s("name", 200))
                .col(integer(a("panel_size")))
                .col(t("required_fields_json"))
                .col(boolean(a("avoid_same_street")))
                .col(boolean(a("blind")))
                .col(s("seed", 24))
                .col(s("algorithm", 64))
                .col(t("request_json"))
                .col(t("pool_json"))
                .col(t("draw_json"))
                .col(t("rubric_json"))
                .col(t("method_json"))
                .col(string_len_null(a("created_by"), 36))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("review_panels", "idx_review_panels_program", &["program_id", "track_code", "id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(a("review_panel_members"))
                .col(id())
                .col(string_len(a("panel_id"), 36))
                .col(string_len(a("expert_id"), 36))
                .col(string_len_null(a("user_id"), 36))
                .col(integer(a("position")))
                .take(),
        )
        .await?;
        m.create_index(index("review_panel_members", "uq_review_panel_members", &["panel_id", "expert_id"], true))
            .await?;
        m.create_index(index("review_panel_members", "idx_review_panel_members_user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("review_assignments"))
                .col(id())
                .col(string_len(a("panel_id"), 36))
                .col(string_len(a("application_id"), 36))
                .col(string_len(a("expert_id"), 36))
                .col(string_len_null(a("user_id"), 36))
                .col(s("status", 16))
                .col(t("reason"))
                .col(s("blind_label", 32))
                .col(big_integer_null(a("declared_ms")))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "review_assignments",
            "uq_review_assignments",
            &["panel_id", "application_id", "expert_id"],
            true,
        ))
        .await?;
        m.create_index(index("review_assignments", "idx_review_assignments_user", &["user_id", "status", "id"], false))
            .await?;
        m.create_index(index("review_assignments", "idx_review_assignments_app", &["application_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("scorecards"))
                .col(id())
                .col(string_len(a("assignment_id"), 36))
                .col(string_len(a("panel_id"), 36))
                .col(string_len(a("application_id"), 36))
                .col(string_len(a("expert_id"), 36))
                .col(t("scores_json"))
                .col(t("knockouts_json"))
                .col(t("comment"))
                .col(boolean(a("signed")))
                .col(big_integer_null(a("signed_ms")))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("scorecards", "uq_scorecards_assignment", &["assignment_id"], true)).await?;
        m.create_index(index("scorecards", "idx_scorecards_panel", &["panel_id", "application_id"], false)).await?;
        m.create_index(index("scorecards", "idx_scorecards_app", &["application_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["scorecards", "review_assignments", "review_panel_members", "review_panels", "experts"] {
            m.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
