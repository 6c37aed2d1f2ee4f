//! A person's optional photo, kept in the file store (`crate::files`) under
//! `persons/{id}/photo-{uuid}.{ext}`; the row holds the key. Only JPEG, PNG and WebP, recognised
//! by their first bytes, up to [`MAX_PHOTO_BYTES`]. Reading is scoped like the person.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, IntoActiveModel};

use super::{find, may_edit};
use crate::audit::Event;
use crate::files::{FileStore, image_kind};
use crate::{Actor, AppError, AppResult, db_err, new_id};

pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// Store a new photo (replacing the old one). Audited "person.photo".
pub async fn set_photo<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    store: &FileStore,
    id: &str,
    bytes: Vec<u8>,
    now_ms: i64,
) -> AppResult<()> {
    let current = find(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(AppError::field("photo", "照片：不能超过5MB"));
    }
    let Some((ext, _)) = image_kind(&bytes) else {
        return Err(AppError::field("photo", "照片：请上传 JPG、PNG 或 WebP 格式的图片"));
    };
    let key = format!("persons/{id}/photo-{}.{ext}", new_id());
    store.put(&key, bytes).await?;
    let old = current.photo_key.clone();
    let mut a = current.into_active_model();
    a.photo_key = Set(Some(key.clone()));
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    if let Some(old) = old {
        // a leftover file is harmless; the row no longer points to it
        let _ = store.delete(&old).await;
    }
    Event::new(actor, now_ms, "person.photo", "person", id).after(&serde_json::json!({ "key": key })).write(db).await
}

/// The photo's bytes and content type, when the person (in scope) has one.
pub async fn photo<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    store: &FileStore,
    id: &str,
) -> AppResult<Option<(Vec<u8>, &'static str)>> {
    let m = find(db, actor, id).await?;
    let Some(key) = m.photo_key else { return Ok(None) };
    let bytes = store.get(&key).await?;
    let kind = image_kind(&bytes).map(|(_, ct)| ct).unwrap_or("application/octet-stream");
    Ok(Some((bytes, kind)))
}
