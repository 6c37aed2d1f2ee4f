//! In-app notifications, the e-mail outbox, and an optional e-mail address per user.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_notifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(id())
                .col(string_len(a("user_id"), 36))
                .col(s("kind", 40))
                .col(t("body"))
                .col(s("link", 300))
                .col(ms("created_ms"))
                .col(big_integer_null(a("read_ms")))
                .take(),
        )
        .await?;
        m.create_index(index("notifications", "idx_notifications_user", &["user_id", "id"], false)).await?;
        m.create_index(index("notifications", "idx_notifications_unread", &["user_id", "read_ms"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("email_outbox"))
                .col(id())
                .col(s("to_addr", 200))
                .col(s("subject", 200))
                .col(t("body"))
                .col(s("status", 16))
                .col(integer(a("attempts")).default(0))
                .col(t("last_error"))
                .col(ms("created_ms"))
                .col(big_integer_null(a("sent_ms")))
                .take(),
        )
        .await?;
        m.create_index(index("email_outbox", "idx_email_outbox_status", &["status", "id"], false)).await?;

        m.alter_table(Table::alter().table(a("users")).add_column(string_len_null(a("email"), 200)).take()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("users")).drop_column(Alias::new("email")).take()).await?;
        for table in ["email_outbox", "notifications"] {
            m.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
