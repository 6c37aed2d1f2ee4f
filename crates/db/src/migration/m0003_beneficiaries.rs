//! The beneficiary registry (一户一档): households and persons. Resident IDs and phones are stored
//! encrypted (`*_enc`, text) with a keyed hash of the resident ID for exact lookup.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_beneficiaries"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("households"))
                .col(id())
                .col(string_len(a("organization_id"), 36))
                .col(string_len_null(a("area_code"), 12))
                .col(s("address", 300))
                .col(string_len_null(a("head_person_id"), 36))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("households", "idx_households_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("households", "idx_households_area", &["area_code", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("persons"))
                .col(id())
                .col(string_len(a("organization_id"), 36))
                .col(string_len_null(a("household_id"), 36))
                .col(s("name", 100))
                .col(s("gender", 8))
                .col(date(a("birth_date")))
                .col(t("resident_id_enc"))
                .col(string_len(a("resident_id_hash"), 64))
                .col(text_null(a("phone_enc")))
                .col(s("address", 300))
                .col(string_len_null(a("area_code"), 12))
                .col(t("categories_json"))
                .col(s("care_level", 20))
                .col(date_null(a("consent_on")))
                .col(ms("created_ms"))
                .col(ms("updated_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("persons", "uq_persons_resident_id_hash", &["resident_id_hash"], true)).await?;
        m.create_index(index("persons", "idx_persons_org", &["organization_id", "id"], false)).await?;
        m.create_index(index("persons", "idx_persons_area", &["area_code", "id"], false)).await?;
        m.create_index(index("persons", "idx_persons_household", &["household_id", "id"], false)).await?;
        m.create_index(index("persons", "idx_persons_name", &["name", "id"], false)).await?;
        m.create_index(index("persons", "idx_persons_care_level", &["care_level", "id"], false)).await?;
        m.create_index(index("persons", "idx_persons_birth_date", &["birth_date", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("persons")).take()).await?;
        m.drop_table(Table::drop().table(Alias::new("households")).take()).await
    }
}
