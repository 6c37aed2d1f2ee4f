//! Projects (项目): an awarded application or a funder's direct purchase, with its team
//! (`project_members`) and the beneficiaries enrolled in it (`project_people`) with their visit
//! rules. Output targets are JSON of `domain::program::OutputTarget`.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_projects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("projects"))
                .col(id())
                .col(string_len_null(a("program_id"), 36))
                .col(string_len_null(a("call_item_id"), 36))
                .col(string_len_null(a("award_id"), 36))
                .col(string_len(a("organization_id"), 36))
                .col(s("title", 200))
                .col(s("area_code", 12))
                .col(date(a("start_on")))
                .col(date(a("end_on")))
                .col(t("targets_json"))
                .col(s("status", 16))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("projects", "idx_projects_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("projects", "idx_projects_program", &["program_id", "id"], false)).await?;
        m.create_index(index("projects", "idx_projects_area", &["area_code", "id"], false)).await?;
        m.create_index(index("projects", "idx_projects_status", &["status", "id"], false)).await?;
        m.create_index(index("projects", "idx_projects_item", &["call_item_id"], false)).await?;
        m.create_index(index("projects", "uq_projects_award", &["award_id"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("project_members"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(string_len_null(a("user_id"), 36))
                .col(s("name", 100))
                .col(s("role", 20))
                .col(s("phone", 20))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("project_members", "idx_project_members_project", &["project_id", "id"], false)).await?;
        m.create_index(index("project_members", "idx_project_members_user", &["user_id", "project_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("project_people"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(string_len(a("person_id"), 36))
                .col(string_len_null(a("worker_member_id"), 36))
                .col(t("visit_rule_json"))
                .col(boolean(a("remote")).default(false))
                .col(date(a("enrolled_on")))
                .col(date_null(a("left_on")))
                .col(date_null(a("file_built_on")))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("project_people", "uq_project_people_person", &["project_id", "person_id"], true)).await?;
        m.create_index(index("project_people", "idx_project_people_project", &["project_id", "id"], false)).await?;
        m.create_index(index("project_people", "idx_project_people_person", &["person_id"], false)).await?;
        m.create_index(index("project_people", "idx_project_people_worker", &["worker_member_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["project_people", "project_members", "projects"] {
            m.drop_table(Table::drop().table(Alias::new(t)).take()).await?;
        }
        Ok(())
    }
}
