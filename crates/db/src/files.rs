//! The file store: uploaded files (application attachments and later evidence photos) kept
//! outside the database through Apache OpenDAL. By default the local file system under
//! `<data_dir>/files`; `GONGYI_FILE_STORE` names another place as an OpenDAL URI
//! (`fs:///srv/gongyi/files` today; `s3://…` / `oss://…` once the binary is built with those
//! services). Keys are relative paths such as `applications/<id>/<id>.pdf`.

use std::path::Path;

use opendal::Operator;

use crate::{AppError, AppResult};

/// The environment variable (and configuration key `file_store`) naming the store.
pub const CONFIG_ENV: &str = "GONGYI_FILE_STORE";

#[derive(Clone, Debug)]
pub struct FileStore {
    op: Operator,
}

fn store_err(e: opendal::Error) -> AppError {
    tracing::error!(error = %e, "file store error");
    AppError::Internal(format!("文件存储：{e}"))
}

impl FileStore {
    /// The local file system rooted at `root` (created when missing).
    pub fn local(root: &Path) -> AppResult<FileStore> {
        std::fs::create_dir_all(root)
            .map_err(|e| AppError::Internal(format!("文件存储目录 {}：{e}", root.display())))?;
        let root = root.to_string_lossy();
        let op = Operator::new(opendal::services::Fs::default().root(&root)).map_err(store_err)?;
        Ok(FileStore { op })
    }

    /// The store a configuration names: `uri` when given (`fs:///path` or another OpenDAL
    /// URI this build supports), else `<data_dir>/files`.
    pub fn open(data_dir: &Path, uri: Option<&str>) -> AppResult<FileStore> {
        match uri.map(str::trim).filter(|u| !u.is_empty()) {
            None => FileStore::local(&data_dir.join("files")),
            Some(u) => match u.strip_prefix("fs://") {
                Some(path) => FileStore::local(Path::new(path)),
                None => Ok(FileStore { op: Operator::from_uri(u).map_err(store_err)? }),
            },
        }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> AppResult<()> {
        self.op.write(key, bytes).await.map_err(store_err)?;
        Ok(())
    }

    /// The bytes under `key`; a missing file is "not found".
    pub async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        match self.op.read(key).await {
            Ok(b) => Ok(b.to_vec()),
            Err(e) if e.kind() == opendal::ErrorKind::NotFound => Err(AppError::NotFound("文件".into())),
            Err(e) => Err(store_err(e)),
        }
    }

    pub async fn delete(&self, key: &str) -> AppResult<()> {
        self.op.delete(key).await.map_err(store_err)
    }
}

/// The image type of a file by its first bytes (JPEG, PNG or WebP, the photos every browser
/// shows): (extension, content type); None for anything else, whatever its name says.
pub fn image_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some(("png", "image/png"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn put_get_delete_in_a_temp_dir() {
        let dir = std::env::temp_dir().join(format!("gongyi-files-{}", crate::new_id()));
        let store = FileStore::open(&dir, None).unwrap();
        store.put("a/b.txt", b"hello".to_vec()).await.unwrap();
        assert!(dir.join("files/a/b.txt").exists());
        assert_eq!(store.get("a/b.txt").await.unwrap(), b"hello");
        store.delete("a/b.txt").await.unwrap();
        assert!(matches!(store.get("a/b.txt").await, Err(AppError::NotFound(_))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
