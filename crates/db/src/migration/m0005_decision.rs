//! Decision (拟立项名单), public notice (公示) with objections (异议), awards (立项) and the
//! jobs table that lets several app instances share scheduled work.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_decision"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // one line per ranked application of a program's slate
        m.create_table(
            Table::create()
                .table(a("slate_lines"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(string_len(a("application_id"), 36))
                .col(string_len(a("organization_id"), 36))
                .col(string_len_null(a("call_item_id"), 36))
                .col(s("track_code", 32))
                .col(s("group_code", 64))
                .col(integer(a("rank_no")))
                .col(big_integer_null(a("score_hundredths")))
                .col(big_integer(a("requested_fen")))
                .col(big_integer_null(a("recommended_fen")))
                .col(big_integer_null(a("amount_fen")))
                .col(t("reason"))
                .col(t("change_reason"))
                .col(s("status", 16))
                .col(integer_null(a("batch_no")))
                .col(string_len_null(a("notice_id"), 36))
                .col(integer(a("position")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("slate_lines", "idx_slate_lines_program", &["program_id", "status", "position"], false))
            .await?;
        m.create_index(index("slate_lines", "uq_slate_lines_application", &["application_id"], true)).await?;
        m.create_index(index("slate_lines", "idx_slate_lines_notice", &["notice_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("notices"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(integer(a("seq")))
                .col(s("title", 200))
                .col(s("status", 16))
                .col(s("rule_text", 64))
                .col(big_integer_null(a("published_ms")))
                .col(date_null(a("period_start")))
                .col(date_null(a("period_end")))
                .col(big_integer_null(a("ends_ms")))
                .col(big_integer_null(a("closed_ms")))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("notices", "idx_notices_program", &["program_id", "seq"], false)).await?;
        m.create_index(index("notices", "idx_notices_status", &["status", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("objections"))
                .col(id())
                .col(string_len(a("notice_id"), 36))
                .col(string_len(a("slate_line_id"), 36))
                .col(s("filer_name", 100))
                .col(t("filer_phone"))
                .col(t("body"))
                .col(ms("filed_ms"))
                .col(s("status", 16))
                .col(t("disposition_reason"))
                .col(big_integer_null(a("disposed_ms")))
                .col(string_len_null(a("disposed_by"), 36))
                .take(),
        )
        .await?;
        m.create_index(index("objections", "idx_objections_notice", &["notice_id", "status", "id"], false)).await?;
        m.create_index(index("objections", "idx_objections_line", &["slate_line_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("jobs"))
                .col(id())
                .col(s("kind", 64))
                .col(t("payload"))
                .col(ms("run_at_ms"))
                .col(s("status", 16))
                .col(integer(a("attempts")))
                .col(t("last_error"))
                .col(ms("locked_until_ms"))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("jobs", "idx_jobs_due", &["status", "run_at_ms"], false)).await?;
        m.create_index(index("jobs", "idx_jobs_kind", &["kind", "status"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("awards"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(string_len(a("application_id"), 36))
                .col(string_len(a("organization_id"), 36))
                .col(string_len_null(a("call_item_id"), 36))
                .col(s("track_code", 32))
                .col(big_integer(a("amount_fen")))
                .col(s("status", 16))
                .col(string_len(a("notice_id"), 36))
                .col(ms("awarded_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("awards", "idx_awards_program", &["program_id", "status", "id"], false)).await?;
        m.create_index(index("awards", "uq_awards_application", &["application_id"], true)).await?;
        m.create_index(index("awards", "idx_awards_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("awards", "idx_awards_notice", &["notice_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["awards", "jobs", "objections", "notices", "slate_lines"] {
            m.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
