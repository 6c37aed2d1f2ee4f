//! Service cards (服务卡/幸福码). The QR code of a card holds only a URL `/c/{token}`:
//!
//! * `token` = base64url(body ‖ tag), 48 bytes → 64 characters;
//! * `body` = 32 bytes derived with the app's keyed hash from the card id (unguessable without
//!   the data key, so a card can be reprinted without the token ever being stored);
//! * `tag` = the first 16 bytes of the keyed hash of the body: a forged or mistyped token is
//!   rejected by [`verify`] before any database query.
//!
//! The database keeps only the SHA-256 of the token. Revoking a card (挂失/重新制卡) marks it
//! revoked and issues a new one; a visit checked in with a revoked card is flagged.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::service_card;
use crate::{Actor, AppError, AppResult, DatabaseConnection, db_err, new_id};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BODY: usize = 32;
const TAG: usize = 16;

fn b64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(B64[idx as usize]));
        }
    }
    out
}

fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let vals: Option<Vec<u32>> =
        text.bytes().map(|c| B64.iter().position(|b| *b == c).and_then(|p| u32::try_from(p).ok())).collect();
    for chunk in vals?.chunks(4) {
        if chunk.len() < 2 {
            return None;
        }
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, v)| n | (v << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push(((n >> (16 - 8 * i)) & 0xff) as u8);
        }
    }
    Some(out)
}

fn keyed(keys: &Keys, label: &str) -> Vec<u8> {
    hex::decode(keys.hash(label)).unwrap_or_default()
}

fn tag(keys: &Keys, body: &[u8]) -> Vec<u8> {
    let mut t = keyed(keys, &format!("gongyi service card tag v1:{}", hex::encode(body)));
    t.truncate(TAG);
    t
}

/// The token printed on card `card_id` (the same every time for the same key).
pub fn token_for(keys: &Keys, card_id: &str) -> String {
    let mut bytes = keyed(keys, &format!("gongyi service card v1:{card_id}"));
    bytes.truncate(BODY);
    let t = tag(keys, &bytes);
    bytes.extend_from_slice(&t);
    b64url(&bytes)
}

/// Whether `token` carries a valid tag (no database access). Compared in constant time.
pub fn verify(keys: &Keys, token: &str) -> bool {
    if token.len() != 64 {
        return false;
    }
    let Some(bytes) = b64url_decode(token) else { return false };
    if bytes.len() != BODY + TAG {
        return false;
    }
    let (body, given) = bytes.split_at(BODY);
    let expected = tag(keys, body);
    expected.len() == TAG && expected.iter().zip(given).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// SHA-256 (hex) of a token: the only thing stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A card as shown for printing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CardView {
    pub id: String,
    pub project_person_id: String,
    pub token: String,
    pub issued_ms: i64,
}

fn view(keys: &Keys, m: &service_card::Model) -> CardView {
    CardView {
        id: m.id.clone(),
        project_person_id: m.project_person_id.clone(),
        token: token_for(keys, &m.id),
        issued_ms: m.issued_ms,
    }
}

/// The card a token names, revoked or not; a forged token is `NotFound` without a query.
pub async fn resolve(db: &DatabaseConnection, keys: &Keys, token: &str) -> AppResult<service_card::Model> {
    if !verify(keys, token) {
        return Err(AppError::NotFound("服务卡".into()));
    }
    service_card::Entity::find()
        .filter(service_card::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("服务卡".into()))
}

/// The valid (not revoked) cards of these enrolments, issuing one where missing (audited).
/// The caller has checked the actor's scope over every enrolment.
pub async fn current_many(
    db: &DatabaseConnection,
    actor: &Actor,
    keys: &Keys,
    project_person_ids: &[String],
    now_ms: i64,
) -> AppResult<Vec<CardView>> {
    let existing = service_card::Entity::find()
        .filter(service_card::Column::ProjectPersonId.is_in(project_person_ids.iter().cloned()))
        .filter(service_card::Column::RevokedMs.is_null())
        .order_by_asc(service_card::Column::IssuedMs)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = Vec::with_capacity(project_person_ids.len());
    for pp in project_person_ids {
        match existing.iter().rev().find(|c| &c.project_person_id == pp) {
            Some(c) => out.push(view(keys, c)),
            None => out.push(issue(db, actor, keys, pp, now_ms).await?),
        }
    }
    Ok(out)
}

async fn issue<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_person_id: &str,
    now_ms: i64,
) -> AppResult<CardView> {
    let id = new_id();
    let token = token_for(keys, &id);
    let row = service_card::ActiveModel {
        id: Set(id.clone()),
        project_person_id: Set(project_person_id.to_string()),
        token_hash: Set(token_hash(&token)),
        issued_ms: Set(now_ms),
        revoked_ms: Set(None),
        revoked_by: Set(None),
    };
    let m = row.insert(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "card.issue", "service_card", &id)
        .after(&serde_json::json!({ "project_person_id": project_person_id }))
        .write(db)
        .await?;
    Ok(view(keys, &m))
}

/// Revoke the valid card(s) of an enrolment and issue a new one, in one transaction (audited).
/// The caller has checked that the actor may manage the enrolment.
pub async fn reissue(
    db: &DatabaseConnection,
    actor: &Actor,
    keys: &Keys,
    project_person_id: &str,
    now_ms: i64,
) -> AppResult<CardView> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await.map_err(db_err)?;
    let old = service_card::Entity::find()
        .filter(service_card::Column::ProjectPersonId.eq(project_person_id))
        .filter(service_card::Column::RevokedMs.is_null())
        .all(&txn)
        .await
        .map_err(db_err)?;
    for c in old {
        let id = c.id.clone();
        let mut am: service_card::ActiveModel = c.into();
        am.revoked_ms = Set(Some(now_ms));
        am.revoked_by = Set(actor.user_id.clone());
        am.update(&txn).await.map_err(db_err)?;
        Event::new(actor, now_ms, "card.revoke", "service_card", &id).write(&txn).await?;
    }
    let card = issue(&txn, actor, keys, project_person_id, now_ms).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(card)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for n in 0..50u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(b64url_decode(&b64url(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn tokens_verify_and_forgeries_do_not() {
        let keys = Keys::from_bytes(&[7u8; 32]);
        let t = token_for(&keys, "card-1");
        assert_eq!(t.len(), 64);
        assert!(verify(&keys, &t));
        assert_eq!(t, token_for(&keys, "card-1"));
        assert_ne!(t, token_for(&keys, "card-2"));
        let mut forged: Vec<char> = t.chars().collect();
        forged[3] = if forged[3] == 'A' { 'B' } else { 'A' };
        assert!(!verify(&keys, &forged.into_iter().collect::<String>()));
        assert!(!verify(&Keys::from_bytes(&[8u8; 32]), &t));
        assert!(!verify(&keys, "short"));
    }
}
