//! One portable migration tree for SQLite, PostgreSQL and MySQL/MariaDB.
//! Migrations are written out column by column (never generated from the live entities) so an
//! old migration keeps meaning what it meant when it shipped.

use sea_orm_migration::prelude::*;

mod cols;
mod m0001_foundation;
mod m0002_applications;
mod m0003_beneficiaries;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_applications::Migration),
            Box::new(m0003_beneficiaries::Migration),
        ]
    }
}
