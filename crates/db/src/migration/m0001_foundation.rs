//! Areas, organizations, users, sessions, programs, call items, audit log, calendar.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("areas"))
                .col(string_len(a("code"), 12).primary_key())
                .col(string_len_null(a("parent_code"), 12))
                .col(string_len(a("name"), 100))
                .col(string_len(a("level"), 16))
                .take(),
        )
        .await?;
        m.create_index(index("areas", "idx_areas_parent", &["parent_code", "code"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("organizations"))
                .col(id())
                .col(s("kind", 20))
                .col(s("name", 200))
                .col(string_len_null(a("uscc"), 18))
                .col(date_null(a("registered_on")))
                .col(s("registration_authority", 200))
                .col(s("legal_representative", 100))
                .col(integer_null(a("rating")))
                .col(date_null(a("rated_on")))
                .col(string_len_null(a("area_code"), 12))
                .col(s("address", 300))
                .col(s("bank_name", 200))
                .col(s("bank_account", 64))
                .col(t("business_scope"))
                .col(boolean(a("abnormal_list")))
                .col(date_null(a("abnormal_since")))
                .col(boolean(a("blacklisted")))
                .col(date_null(a("blacklisted_since")))
                .col(boolean(a("under_investigation")))
                .col(date_null(a("last_penalty_on")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("organizations", "uq_organizations_uscc", &["uscc"], true)).await?;
        m.create_index(index("organizations", "idx_organizations_area", &["area_code", "id"], false)).await?;
        m.create_index(index("organizations", "idx_organizations_kind", &["kind", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("annual_inspections"))
                .col(id())
                .col(string_len(a("organization_id"), 36))
                .col(integer(a("year")))
                .col(boolean(a("passed")))
                .col(s("note", 300))
                .take(),
        )
        .await?;
        m.create_index(index("annual_inspections", "uq_inspections_org_year", &["organization_id", "year"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(a("staff_members"))
                .col(id())
                .col(string_len(a("organization_id"), 36))
                .col(s("name", 100))
                .col(s("position", 100))
                .col(s("certificate_level", 20))
                .col(s("certificate_no", 64))
                .col(boolean(a("full_time")))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("staff_members", "idx_staff_org", &["organization_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("users"))
                .col(id())
                .col(string_len(a("username"), 64))
                .col(s("display_name", 100))
                .col(s("password_hash", 200))
                .col(s("role", 20))
                .col(string_len_null(a("organization_id"), 36))
                .col(string_len_null(a("area_code"), 12))
                .col(string_len_null(a("program_id"), 36))
                .col(s("locale", 8))
                .col(boolean(a("active")))
                .col(integer(a("failed_logins")))
                .col(big_integer_null(a("locked_until_ms")))
                .col(ms("created_ms"))
                .col(ms("password_changed_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("users", "uq_users_username", &["username"], true)).await?;
        m.create_index(index("users", "idx_users_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("users", "idx_users_area", &["area_code", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("sessions"))
                .col(string_len(a("token_hash"), 64).primary_key())
                .col(string_len(a("user_id"), 36))
                .col(s("kind", 8))
                .col(s("csrf_token", 64))
                .col(ms("created_ms"))
                .col(ms("expires_ms"))
                .col(ms("last_seen_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("sessions", "idx_sessions_user", &["user_id"], false)).await?;
        m.create_index(index("sessions", "idx_sessions_expires", &["expires_ms"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("programs"))
                .col(id())
                .col(string_len(a("code"), 64))
                .col(s("name", 200))
                .col(string_len(a("funder_id"), 36))
                .col(string_len_null(a("operator_id"), 36))
                .col(integer(a("year")))
                .col(string_len(a("area_code"), 12))
                .col(t("description"))
                .col(s("status", 16))
                .col(big_integer_null(a("budget_fen")))
                .col(s("source", 300))
                .col(t("rules_json"))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .col(big_integer_null(a("published_ms")))
                .take(),
        )
        .await?;
        m.create_index(index("programs", "uq_programs_code", &["code"], true)).await?;
        m.create_index(index("programs", "idx_programs_status", &["status", "id"], false)).await?;
        m.create_index(index("programs", "idx_programs_area", &["area_code", "id"], false)).await?;
        m.create_index(index("programs", "idx_programs_funder", &["funder_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("tracks"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(s("code", 32))
                .col(s("kind", 20))
                .col(s("name", 100))
                .col(t("description"))
                .col(big_integer_null(a("budget_fen")))
                .col(t("rules_json"))
                .col(integer(a("position")))
                .take(),
        )
        .await?;
        m.create_index(index("tracks", "uq_tracks_program_code", &["program_id", "code"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("phases"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(s("name", 100))
                .col(date_null(a("starts_on")))
                .col(date_null(a("ends_on")))
                .col(big_integer_null(a("deadline_ms")))
                .col(t("note"))
                .col(integer(a("position")))
                .take(),
        )
        .await?;
        m.create_index(index("phases", "idx_phases_program", &["program_id", "position"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("call_items"))
                .col(id())
                .col(string_len(a("program_id"), 36))
                .col(s("track_code", 32))
                .col(s("code", 32))
                .col(s("name", 200))
                .col(s("category", 100))
                .col(integer_null(a("lot")))
                .col(t("overview"))
                .col(t("beneficiaries"))
                .col(t("service_volume"))
                .col(t("objectives"))
                .col(t("content"))
                .col(t("outputs_json"))
                .col(t("indicators_json"))
                .col(big_integer_null(a("funding_cap_fen")))
                .col(integer_null(a("slots")))
                .col(t("places"))
                .col(t("place_codes_json"))
                .col(date_null(a("period_start")))
                .col(date_null(a("period_end")))
                .col(s("period_note", 200))
                .col(t("support_units_json"))
                .col(t("co_funding_json"))
                .col(t("rules_json"))
                .col(t("notes"))
                .col(integer(a("position")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("call_items", "uq_call_items_program_code", &["program_id", "code"], true)).await?;
        m.create_index(index("call_items", "idx_call_items_program_pos", &["program_id", "position", "id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(a("audit_log"))
                .col(id())
                .col(ms("at_ms"))
                .col(string_len_null(a("actor_id"), 36))
                .col(s("actor_name", 100))
                .col(s("action", 64))
                .col(s("entity", 64))
                .col(s("entity_id", 64))
                .col(t("before_json"))
                .col(t("after_json"))
                .take(),
        )
        .await?;
        m.create_index(index("audit_log", "idx_audit_entity", &["entity", "entity_id", "id"], false)).await?;
        m.create_index(index("audit_log", "idx_audit_actor", &["actor_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("calendar_years"))
                .col(integer(a("year")).primary_key())
                .col(t("data_json"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "calendar_years",
            "audit_log",
            "call_items",
            "phases",
            "tracks",
            "programs",
            "sessions",
            "users",
            "staff_members",
            "annual_inspections",
            "organizations",
            "areas",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).take()).await?;
        }
        Ok(())
    }
}
