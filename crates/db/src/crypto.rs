//! Personal identifiers encrypted at rest. AES-256-GCM with a random 96-bit nonce per value,
//! stored as text `v1:<hex of nonce ‖ ciphertext ‖ tag>`; a keyed hash (HMAC-SHA256) of the
//! normalised value for exact lookup and duplicate detection without decrypting.
//!
//! The 32-byte data key comes from configuration (`GONGYI_DATA_KEY`, 64 hex characters) or, when
//! absent, from `<data_dir>/data.key`, generated on first start with mode 0600. Separate subkeys
//! for encryption and hashing are derived from it. A wrong key is an error (the GCM tag does not
//! verify), never garbage.

use std::fmt;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::AppError;

type HmacSha256 = Hmac<Sha256>;

/// The name of the generated key file inside the data directory.
pub const KEY_FILE: &str = "data.key";
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("数据密钥格式不正确：GONGYI_DATA_KEY 或 data.key 应为64位十六进制字符（32字节）")]
    BadKey,
    #[error("读取或创建数据密钥文件 {path} 失败：{source}")]
    KeyFile { path: PathBuf, source: std::io::Error },
    #[error("无法解密个人信息：数据密钥不正确或数据已被篡改（请检查 GONGYI_DATA_KEY 或数据目录中的 data.key）")]
    Decrypt,
    #[error("加密数据格式不正确")]
    Format,
}

impl From<CryptoError> for AppError {
    fn from(e: CryptoError) -> Self {
        tracing::error!(error = %e, "crypto");
        AppError::Internal(e.to_string())
    }
}

/// The data keys: an AES-256-GCM cipher and an HMAC key, both derived from one master key.
pub struct Keys {
    cipher: Aes256Gcm,
    mac_key: [u8; 32],
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys(…)")
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(master) {
        m.update(label.as_bytes());
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

impl Keys {
    pub fn from_bytes(master: &[u8; 32]) -> Keys {
        let enc = derive(master, "gongyi data encryption v1");
        Keys {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&enc)),
            mac_key: derive(master, "gongyi lookup hash v1"),
        }
    }

    /// A key from 64 hex characters (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<Keys, CryptoError> {
        let bytes = hex::decode(text.trim()).map_err(|_| CryptoError::BadKey)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Keys::from_bytes(&master))
    }

    /// Encrypt a value: `v1:` and the hex of a fresh nonce, the ciphertext and the tag.
    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        // encryption of an in-memory buffer cannot fail for inputs below the GCM limit (64 GiB)
        let sealed = self.cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", hex::encode(out))
    }

    /// Decrypt a stored value; a wrong key or a changed byte is an error.
    pub fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let body = stored.strip_prefix(PREFIX).ok_or(CryptoError::Format)?;
        let bytes = hex::decode(body).map_err(|_| CryptoError::Format)?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(CryptoError::Format);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), sealed).map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Format)
    }

    /// The keyed hash (64 hex characters) of an already normalised value, for exact lookup.
    pub fn hash(&self, normalized: &str) -> String {
        let mut m = match <HmacSha256 as Mac>::new_from_slice(&self.mac_key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        m.update(normalized.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }
}

/// A new random key as 64 hex characters.
pub fn generate_key_hex() -> String {
    let mut k = [0u8; 32];
    rand::rng().fill_bytes(&mut k);
    hex::encode(k)
}

/// The data key: `configured` (the value of GONGYI_DATA_KEY) when given, else the key kept in
/// `<data_dir>/data.key`, created with mode 0600 on first start.
pub fn load_or_create_key(data_dir: &Path, configured: Option<&str>) -> Result<Keys, CryptoError> {
    if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
        return Keys::from_hex(text);
    }
    let path = data_dir.join(KEY_FILE);
    let io = |source| CryptoError::KeyFile { path: path.clone(), source };
    match std::fs::read_to_string(&path) {
        Ok(text) => Keys::from_hex(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(io)?;
            let hex = generate_key_hex();
            write_private(&path, &format!("{hex}\n")).map_err(io)?;
            tracing::info!(path = %path.display(), "generated a new data key");
            Keys::from_hex(&hex)
        }
        Err(e) => Err(io(e)),
    }
}

/// Create a file only its owner may read (fails if it exists, so a key is never overwritten).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn round_trip_with_a_fresh_nonce_each_time() {
        let k = Keys::from_hex(KEY).unwrap();
        let a = k.encrypt("11010519491231002X");
        let b = k.encrypt("11010519491231002X");
        assert!(a.starts_with("v1:"));
        assert_ne!(a, b, "a random nonce per value");
        assert!(!a.contains("11010519491231002X"));
        assert_eq!(k.decrypt(&a).unwrap(), "11010519491231002X");
        assert_eq!(k.decrypt(&b).unwrap(), "11010519491231002X");
    }

    #[test]
    fn a_changed_byte_is_detected() {
        let k = Keys::from_hex(KEY).unwrap();
        let stored = k.encrypt("13812345678");
        let mut chars: Vec<char> = stored.chars().collect();
        let i = chars.len() - 5;
        chars[i] = if chars[i] == '0' { '1' } else { '0' };
        let tampered: String = chars.into_iter().collect();
        assert!(matches!(k.decrypt(&tampered), Err(CryptoError::Decrypt)));
        assert!(matches!(k.decrypt("v1:zz"), Err(CryptoError::Format)));
        assert!(matches!(k.decrypt("13812345678"), Err(CryptoError::Format)));
    }

    #[test]
    fn a_wrong_key_is_an_error_not_garbage() {
        let stored = Keys::from_hex(KEY).unwrap().encrypt("11010519491231002X");
        let other = Keys::from_hex(&generate_key_hex()).unwrap();
        let e = other.decrypt(&stored).unwrap_err();
        assert!(matches!(e, CryptoError::Decrypt));
        assert!(e.to_string().contains("数据密钥不正确"));
        assert!(matches!(Keys::from_hex("abc"), Err(CryptoError::BadKey)));
        assert!(matches!(Keys::from_hex(&"g".repeat(64)), Err(CryptoError::BadKey)));
    }

    #[test]
    fn the_hash_is_stable_keyed_and_not_the_plain_sha256() {
        let k = Keys::from_hex(KEY).unwrap();
        let h = k.hash("11010519491231002X");
        assert_eq!(h.len(), 64);
        assert_eq!(h, Keys::from_hex(KEY).unwrap().hash("11010519491231002X"), "stable across restarts");
        assert_ne!(h, k.hash("110105194912310029"));
        assert_ne!(h, Keys::from_hex(&generate_key_hex()).unwrap().hash("11010519491231002X"), "keyed");
        use sha2::Digest;
        assert_ne!(h, hex::encode(Sha256::digest(b"11010519491231002X")));
    }

    #[test]
    fn the_key_file_is_created_once_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("gongyi-key-{}", crate::new_id()));
        let k1 = load_or_create_key(&dir, None).unwrap();
        let stored = k1.encrypt("x");
        let k2 = load_or_create_key(&dir, None).unwrap();
        assert_eq!(k2.decrypt(&stored).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let configured = load_or_create_key(&dir, Some(KEY)).unwrap();
        assert!(configured.decrypt(&stored).is_err(), "the configured key wins");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
