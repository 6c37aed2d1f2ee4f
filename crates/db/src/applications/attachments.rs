//! Attachments (附件) of an application: registration certificate (登记证书), qualification
//! certificates (资质证书) and others, at most 10 MB each, PDF / JPG / PNG / Word / Excel only —
//! checked by the file name's extension and by the file's first bytes. The bytes live in the
//! file store; the rows here hold what the file is. Reading follows the application's scope.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{get_model, may_edit};
use crate::audit::Event;
use crate::entity::application_attachment;
use crate::files::FileStore;
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// The kinds of attachment, in the form's order.
pub const ATTACHMENT_KINDS: [&str; 3] = ["registration", "certificate", "other"];
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const ALLOWED_EXTENSIONS: [&str; 8] = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"];

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub id: String,
    pub application_id: String,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_ms: i64,
}

fn view(m: application_attachment::Model) -> AttachmentView {
    AttachmentView {
        id: m.id,
        application_id: m.application_id,
        kind: m.kind,
        file_name: m.file_name,
        content_type: m.content_type,
        size_bytes: m.size_bytes,
        created_ms: m.created_ms,
    }
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP: &[u8] = b"PK\x03\x04";

/// The extension (lower case) and content type of an allowed file, judged by both its name
/// and its first bytes; else a Chinese reason naming the file.
pub fn check_file(name: &str, bytes: &[u8]) -> AppResult<(String, &'static str)> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (magic, ctype): (&[&[u8]], &str) = match ext.as_str() {
        "pdf" => (&[b"%PDF-"], "application/pdf"),
        "jpg" | "jpeg" => (&[&[0xFF, 0xD8, 0xFF]], "image/jpeg"),
        "png" => (&[&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]], "image/png"),
        "doc" => (&[OLE], "application/msword"),
        "xls" => (&[OLE], "application/vnd.ms-excel"),
        "docx" => (&[ZIP], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx" => (&[ZIP], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => {
            return Err(AppError::field(
                "file",
                format!("附件：“{name}”的类型不允许，只能上传 PDF、JPG、PNG、Word（doc/docx）或 Excel（xls/xlsx）文件"),
            ));
        }
    };
    if !magic.iter().any(|m| bytes.starts_with(m)) {
        return Err(AppError::field("file", format!("附件：“{name}”的内容与扩展名 .{ext} 不符，请上传原始文件")));
    }
    Ok((ext, ctype))
}

/// Keep the file name a browser sends as a plain name (no folders), at most 200 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect()
}

/// The attachments of an application the actor can see, oldest first.
pub async fn attachments<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<Vec<AttachmentView>> {
    let m = get_model(db, actor, id).await?;
    Ok(application_attachment::Entity::find()
        .filter(application_attachment::Column::ApplicationId.eq(m.id.as_str()))
        .order_by_asc(application_attachment::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(view)
        .collect())
}

async fn row<C: ConnectionTrait>(db: &C, app_id: &str, att_id: &str) -> AppResult<application_attachment::Model> {
    application_attachment::Entity::find_by_id(att_id)
        .filter(application_attachment::Column::ApplicationId.eq(app_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("附件".into()))
}

/// Upload an attachment to a draft or returned application of the actor's organization.
#[allow(clippy::too_many_arguments)]
pub async fn upload_attachment<C: ConnectionTrait>(
    db: &C,
    store: &FileStore,
    actor: &Actor,
    id: &str,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
    now_ms: i64,
) -> AppResult<String> {
    let m = get_model(db, actor, id).await?;
    if !may_edit(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if m.status != "draft" && m.status != "returned" {
        return Err(AppError::Conflict("申报书已提交，不能再上传附件".into()));
    }
    if !ATTACHMENT_KINDS.contains(&kind) {
        return Err(AppError::field("kind", "附件类别：请选择登记证书、资质证书或其他"));
    }
    let name = clean_name(file_name);
    if name.is_empty() || bytes.is_empty() {
        return Err(AppError::field("file", "附件：请选择要上传的文件"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AppError::field("file", format!("附件：“{name}”超过 10 MB，请压缩后再上传")));
    }
    let (ext, ctype) = check_file(&name, &bytes)?;
    let att_id = new_id();
    let key = format!("applications/{}/{att_id}.{ext}", m.id);
    let size = bytes.len() as i64;
    store.put(&key, bytes).await?;
    let inserted = application_attachment::ActiveModel {
        id: Set(att_id.clone()),
        application_id: Set(m.id.clone()),
        kind: Set(kind.to_string()),
        file_name: Set(name.clone()),
        content_type: Set(ctype.to_string()),
        size_bytes: Set(size),
        storage_key: Set(key.clone()),
        uploaded_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await;
    if let Err(e) = inserted {
        let _ = store.delete(&key).await;
        return Err(db_err(e));
    }
    Event::new(actor, now_ms, "application.attach", "application", id)
        .after(&serde_json::json!({"attachment": att_id, "kind": kind, "file_name": name, "size": size}))
        .write(db)
        .await?;
    Ok(att_id)
}

/// An attachment and its bytes, within the application's scope (else "not found").
pub async fn attachment<C: ConnectionTrait>(
    db: &C,
    store: &FileStore,
    actor: &Actor,
    id: &str,
    att_id: &str,
) -> AppResult<(AttachmentView, Vec<u8>)> {
    let m = get_model(db, actor, id).await?;
    let r = row(db, &m.id, att_id).await?;
    let bytes = store.get(&r.storage_key).await?;
    Ok((view(r), bytes))
}

/// Delete an attachment while the application is a draft (or returned for more information).
pub async fn delete_attachment<C: ConnectionTrait>(
    db: &C,
    store: &FileStore,
    actor: &Actor,
    id: &str,
    att_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let m = get_model(db, actor, id).await?;
    let r = row(db, &m.id, att_id).await?;
    if !may_edit(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if m.status != "draft" && m.status != "returned" {
        return Err(AppError::Conflict("申报书已提交，不能删除附件".into()));
    }
    application_attachment::Entity::delete_by_id(r.id.as_str()).exec(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "application.detach", "application", id)
        .before(&serde_json::json!({"attachment": r.id, "file_name": r.file_name}))
        .write(db)
        .await?;
    // the row is gone first: a file left behind by a failed delete is only unreachable
    store.delete(&r.storage_key).await
}
