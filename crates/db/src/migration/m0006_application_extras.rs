//! Application extras: joint applicants (联合申报方) with their confirmation, attachments (附件)
//! kept in the file store, and co-funding lines (配套资金) as a JSON column of `applications`.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_application_extras"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("application_joint_applicants"))
                .col(id())
                .col(string_len(a("application_id"), 36))
                .col(string_len(a("organization_id"), 36))
                .col(s("status", 16))
                .col(ms("requested_ms"))
                .col(big_integer_null(a("decided_ms")))
                .col(string_len_null(a("decided_by"), 36))
                .take(),
        )
        .await?;
        m.create_index(index(
            "application_joint_applicants",
            "uq_joint_applicants",
            &["application_id", "organization_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "application_joint_applicants",
            "idx_joint_applicants_org",
            &["organization_id", "status", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(a("application_attachments"))
                .col(id())
                .col(string_len(a("application_id"), 36))
                .col(s("kind", 32))
                .col(s("file_name", 200))
                .col(s("content_type", 100))
                .col(big_integer(a("size_bytes")))
                .col(s("storage_key", 200))
                .col(string_len_null(a("uploaded_by"), 36))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "application_attachments",
            "idx_attachments_application",
            &["application_id", "id"],
            false,
        ))
        .await?;

        // nullable: TEXT cannot carry a default on MySQL, and SQLite needs one for NOT NULL
        m.alter_table(Table::alter().table(a("applications")).add_column(text_null(a("cofunding_json"))).take())
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.alter_table(Table::alter().table(a("applications")).drop_column(a("cofunding_json")).take()).await?;
        for table in ["application_attachments", "application_joint_applicants"] {
            m.drop_table(Table::drop().table(a(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
