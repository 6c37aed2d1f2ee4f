//! Connecting to SQLite (WAL, busy timeout), PostgreSQL or MySQL/MariaDB by URL scheme.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

/// Open a pool for `url` (sqlite://path?mode=rwc, postgres://…, mysql://…).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        opts.map_sqlx_sqlite_opts(move |o| {
            let o = o.busy_timeout(Duration::from_secs(10)).foreign_keys(true);
            if memory { o } else { o.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal) }
        });
        if memory {
            // one connection: each in-memory connection would be its own database
            opts.max_connections(1).min_connections(1);
        } else {
            opts.max_connections(8);
        }
    } else {
        opts.max_connections(16);
    }
    Database::connect(opts).await
}

/// Run every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres | DbBackend::MySql | DbBackend::Sqlite => "SELECT 1",
        _ => "SELECT 1",
    };
    db.execute_unprepared(sql).await.is_ok()
}
