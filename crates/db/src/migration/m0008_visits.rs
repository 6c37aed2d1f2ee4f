//! Field visits (探访打卡): service cards (服务卡/幸福码, only the hash of the token is kept) and
//! verified visits with their anomalies and the supervisor's review.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_visits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("service_cards"))
                .col(id())
                .col(string_len(a("project_person_id"), 36))
                .col(string_len(a("token_hash"), 64))
                .col(ms("issued_ms"))
                .col(big_integer_null(a("revoked_ms")))
                .col(string_len_null(a("revoked_by"), 36))
                .take(),
        )
        .await?;
        m.create_index(index("service_cards", "uq_service_cards_token_hash", &["token_hash"], true)).await?;
        m.create_index(index("service_cards", "idx_service_cards_pp", &["project_person_id", "issued_ms"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(a("visits"))
                .col(id())
                .col(string_len(a("project_id"), 36))
                .col(string_len(a("project_person_id"), 36))
                .col(string_len(a("person_id"), 36))
                .col(string_len(a("worker_user_id"), 36))
                .col(string_len_null(a("card_id"), 36))
                .col(s("channel", 8))
                .col(ms("recorded_ms"))
                .col(ms("occurred_ms"))
                .col(big_integer_null(a("lat_e6")))
                .col(big_integer_null(a("lng_e6")))
                .col(integer_null(a("accuracy_m")))
                .col(string_len_null(a("photo_key"), 300))
                .col(t("services_json"))
                .col(t("notes"))
                .col(integer(a("duration_min")))
                .col(t("anomalies_json"))
                .col(s("review", 12))
                .col(string_len_null(a("reviewed_by"), 36))
                .col(big_integer_null(a("reviewed_ms")))
                .col(t("review_note"))
                .take(),
        )
        .await?;
        let ix = |name: &'static str, cols: &'static [&'static str]| index("visits", name, cols, false);
        m.create_index(ix("idx_visits_project", &["project_id", "occurred_ms", "id"])).await?;
        m.create_index(ix("idx_visits_project_review", &["project_id", "review", "occurred_ms", "id"])).await?;
        m.create_index(ix("idx_visits_pp", &["project_person_id", "occurred_ms", "id"])).await?;
        m.create_index(ix("idx_visits_person", &["person_id", "occurred_ms"])).await?;
        m.create_index(ix("idx_visits_worker", &["worker_user_id", "occurred_ms"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("visits")).take()).await?;
        m.drop_table(Table::drop().table(Alias::new("service_cards")).take()).await
    }
}
