//! One portable migration tree for SQLite, PostgreSQL and MySQL/MariaDB.
//! Migrations are written out column by column (never generated from the live entities) so an
//! old migration keeps meaning what it meant when it shipped.

use sea_orm_migration::prelude::*;

mod cols;
mod m0001_foundation;
mod m0002_applications;
mod m0003_beneficiaries;
mod m0004_review;
mod m0005_decision;
mod m0006_application_extras;
mod m0007_projects;
mod m0008_visits;
mod m0009_registry;
mod m0010_services;
mod m0011_notifications;
mod m0012_visit_tallies;
mod m0013_assessment_adjustments;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_applications::Migration),
            Box::new(m0003_beneficiaries::Migration),
            Box::new(m0004_review::Migration),
            Box::new(m0005_decision::Migration),
            Box::new(m0006_application_extras::Migration),
            Box::new(m0007_projects::Migration),
            Box::new(m0008_visits::Migration),
            Box::new(m0009_registry::Migration),
            Box::new(m0010_services::Migration),
            Box::new(m0011_notifications::Migration),
            Box::new(m0012_visit_tallies::Migration),
            Box::new(m0013_assessment_adjustments::Migration),
        ]
    }
}
