//! The registry extras of field delivery: a person's optional map point and photo, needs
//! assessments filled from templates (评估), and the child risk grade (儿童风险等级) with history.

use sea_orm_migration::{prelude::*, schema::*};

use super::cols::{id, index, ms, s, t};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_registry"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // one column per statement: SQLite alters one column at a time
        m.alter_table(Table::alter().table(a("persons")).add_column(big_integer_null(a("lat_e6"))).take()).await?;
        m.alter_table(Table::alter().table(a("persons")).add_column(big_integer_null(a("lng_e6"))).take()).await?;
        m.alter_table(Table::alter().table(a("persons")).add_column(string_len_null(a("photo_key"), 200)).take())
            .await?;

        m.create_table(
            Table::create()
                .table(a("assessments"))
                .col(id())
                .col(string_len(a("person_id"), 36))
                .col(s("template_code", 40))
                .col(t("answers_json"))
                .col(integer(a("score")))
                .col(s("result", 100))
                .col(date(a("assessed_on")))
                .col(date_null(a("next_on")))
                .col(string_len_null(a("assessor_user_id"), 36))
                .col(s("assessor_name", 100))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("assessments", "idx_assessments_person", &["person_id", "assessed_on", "id"], false))
            .await?;
        m.create_index(index("assessments", "idx_assessments_template", &["template_code", "assessed_on"], false))
            .await?;
        m.create_index(index("assessments", "idx_assessments_next", &["next_on", "person_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("risk_grades"))
                .col(id())
                .col(string_len(a("person_id"), 36))
                .col(t("inputs_json"))
                .col(s("grade", 10))
                .col(s("reason", 300))
                .col(date(a("set_on")))
                .col(string_len_null(a("set_by"), 36))
                .col(s("set_by_name", 100))
                .col(ms("created_ms"))
                .take(),
        )
        .await?;
        m.create_index(index("risk_grades", "idx_risk_grades_person", &["person_id", "set_on", "id"], false)).await?;
        m.create_index(index("risk_grades", "idx_risk_grades_grade", &["grade", "set_on"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        for table in ["risk_grades", "assessments"] {
            m.drop_table(Table::drop().table(a(table)).if_exists().take()).await?;
        }
        for col in ["photo_key", "lng_e6", "lat_e6"] {
            m.alter_table(Table::alter().table(a("persons")).drop_column(a(col)).take()).await?;
        }
        Ok(())
    }
}
