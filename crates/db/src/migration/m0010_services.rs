//! Services and professional work (服务与专业服务) of a project: service records, casework with
//! its dated stages, groups with members and sessions, community activities with a public
//! sign-in token, trainings, supervision, volunteers with teams and service hours. Every row
//! belongs to a project (`project_id`); people are project persons' `person_id`s.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_services"
    }
}

/// The columns every record of a project has: its project, the worker and who wrote it when.
fn record(name: &str) -> TableCreateStatement {
    let a = Alias::new;
    Table::create()
        .table(a(name))
        .col(id())
        .col(string_len(a("project_id"), 36))
        .col(string_len_null(a("worker_member_id"), 36))
        .col(s("worker_name", 100))
        .col(string_len_null(a("created_by"), 36))
        .col(ms("created_ms"))
        .col(ms("updated_ms"))
        .take()
}

fn count(name: &str) -> ColumnDef {
    integer(Alias::new(name)).default(0).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // 服务记录
        m.create_table(
            record("service_records")
                .col(s("service_type", 40))
                .col(date(a("served_on")))
                .col(t("person_ids_json"))
                .col(count("minutes"))
                .col(t("notes"))
                .take(),
        )
        .await?;
        m.create_index(index("service_records", "idx_service_records_project", &["project_id", "id"], false)).await?;
        m.create_index(index("service_records", "idx_service_records_date", &["project_id", "served_on"], false))
            .await?;
        m.create_index(index("service_records", "idx_service_records_type", &["project_id", "service_type"], false))
            .await?;

        // 个案 and its dated stages
        m.create_table(
            record("case_files")
                .col(string_len(a("person_id"), 36))
                .col(s("title", 200))
                .col(s("stage", 20))
                .col(date(a("opened_on")))
                .col(date_null(a("closed_on")))
                .take(),
        )
        .await?;
        m.create_index(index("case_files", "idx_case_files_project", &["project_id", "id"], false)).await?;
        m.create_index(index("case_files", "idx_case_files_opened", &["project_id", "opened_on"], false)).await?;
        m.create_index(index("case_files", "idx_case_files_person", &["person_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("case_entries"))
                .col(id())
                .col(string_len(a("case_id"), 36))
                .col(s("stage", 20))
                .col(date(a("entry_on")))
                .col(t("summary"))
                .col(t("goals_json"))
                .col(string_len_null(a("created_by"), 36))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("case_entries", "idx_case_entries_case", &["case_id", "entry_on"], false)).await?;

        // 小组 (not "groups": a reserved word in MySQL 8)
        m.create_table(record("service_groups").col(s("title", 200)).col(t("goal")).take()).await?;
        m.create_index(index("service_groups", "idx_service_groups_project", &["project_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("group_members"))
                .col(id())
                .col(string_len(a("group_id"), 36))
                .col(string_len_null(a("person_id"), 36))
                .col(s("name", 100))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("group_members", "idx_group_members_group", &["group_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("group_sessions"))
                .col(id())
                .col(string_len(a("group_id"), 36))
                .col(date(a("held_on")))
                .col(s("topic", 200))
                .col(t("attendance_json"))
                .col(t("notes"))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("group_sessions", "idx_group_sessions_group", &["group_id", "held_on"], false)).await?;

        // 社区活动 with the public sign-in
        m.create_table(
            record("activities")
                .col(s("title", 200))
                .col(date(a("held_on")))
                .col(s("place", 200))
                .col(count("head_count"))
                .col(t("notes"))
                .col(string_len(a("signin_token"), 64))
                .take(),
        )
        .await?;
        m.create_index(index("activities", "idx_activities_project", &["project_id", "id"], false)).await?;
        m.create_index(index("activities", "idx_activities_date", &["project_id", "held_on"], false)).await?;
        m.create_index(index("activities", "uq_activities_signin_token", &["signin_token"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("activity_signins"))
                .col(id())
                .col(string_len(a("activity_id"), 36))
                .col(s("name", 100))
                .col(text_null(a("phone_enc")))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("activity_signins", "idx_activity_signins_activity", &["activity_id", "id"], false))
            .await?;

        // 培训
        m.create_table(
            record("trainings")
                .col(s("title", 200))
                .col(date(a("held_on")))
                .col(count("minutes"))
                .col(count("trainees"))
                .col(count("examined"))
                .col(count("passed"))
                .col(t("participants"))
                .col(t("notes"))
                .take(),
        )
        .await?;
        m.create_index(index("trainings", "idx_trainings_project", &["project_id", "id"], false)).await?;
        m.create_index(index("trainings", "idx_trainings_date", &["project_id", "held_on"], false)).await?;

        // 督导
        m.create_table(
            record("supervisions")
                .col(s("topic", 200))
                .col(date(a("held_on")))
                .col(count("minutes"))
                .col(count("supervisees"))
                .col(t("supervisee_names"))
                .col(t("notes"))
                .take(),
        )
        .await?;
        m.create_index(index("supervisions", "idx_supervisions_project", &["project_id", "id"], false)).await?;
        m.create_index(index("supervisions", "idx_supervisions_date", &["project_id", "held_on"], false)).await?;

        // 志愿者、志愿服务队、服务时长
        m.create_table(
            Table::create()
                .table(a("volunteer_teams"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(s("name", 100))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("volunteer_teams", "idx_volunteer_teams_project", &["project_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("volunteers"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(string_len_null(a("team_id"), 36))
                .col(s("name", 100))
                .col(text_null(a("phone_enc")))
                .col(t("person_ids_json"))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("volunteers", "idx_volunteers_project", &["project_id", "id"], false)).await?;
        m.create_index(index("volunteers", "idx_volunteers_team", &["team_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("volunteer_hours"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(string_len(a("volunteer_id"), 36))
                .col(date(a("served_on")))
                .col(count("minutes"))
                .col(t("notes"))
                .col(string_len_null(a("created_by"), 36))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("volunteer_hours", "idx_volunteer_hours_project", &["project_id", "served_on"], false))
            .await?;
        m.create_index(index("volunteer_hours", "idx_volunteer_hours_volunteer", &["volunteer_id", "id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "volunteer_hours",
            "volunteers",
            "volunteer_teams",
            "supervisions",
            "trainings",
            "activity_signins",
            "activities",
            "group_sessions",
            "group_members",
            "service_groups",
            "case_entries",
            "case_files",
            "service_records",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).take()).await?;
        }
        Ok(())
    }
}
