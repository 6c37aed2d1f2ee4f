//! Column and index shorthands shared by the migrations. They describe portable types only
//! (ids as 36-char strings, instants as BIGINT milliseconds, JSON as TEXT). Never change what an
//! existing helper produces: a shipped migration must keep meaning what it meant.

use sea_orm_migration::{prelude::*, schema::*};

pub fn id() -> ColumnDef {
    string_len(Alias::new("id"), 36).primary_key().take()
}

pub fn s(name: &str, len: u32) -> ColumnDef {
    string_len(Alias::new(name), len).default("").take()
}

pub fn t(name: &str) -> ColumnDef {
    text(Alias::new(name)).take()
}

pub fn ms(name: &str) -> ColumnDef {
    big_integer(Alias::new(name)).take()
}

pub fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(Alias::new(table));
    for c in cols {
        idx.col(Alias::new(*c));
    }
    if unique {
        idx.unique();
    }
    idx.take()
}
