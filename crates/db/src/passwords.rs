//! argon2id password hashing and secret tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{AppError, AppResult};

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Password policy: at least 8 characters with letters and digits.
pub fn check_policy(password: &str) -> AppResult<()> {
    let long = password.chars().count() >= 8;
    let letter = password.chars().any(|c| c.is_alphabetic());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    if long && letter && digit {
        Ok(())
    } else {
        Err(AppError::field("password", "密码：至少8位，且须同时包含字母和数字"))
    }
}

/// A random secret (hex, 256 bits) for sessions, API tokens and CSRF.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A random password for demo users when none is configured.
pub fn random_password() -> String {
    let mut bytes = [0u8; 9];
    rand::rng().fill_bytes(&mut bytes);
    format!("Gy{}9", hex::encode(bytes))
}

/// What is stored for a secret: its SHA-256 (a stolen database gives no usable tokens).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("secret123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("secret123", &h));
        assert!(!verify_password("secret124", &h));
        assert!(!verify_password("secret123", "not a hash"));
    }

    #[test]
    fn policy_names_the_field() {
        let e = check_policy("short").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "password");
        assert!(check_policy("abcdefg1").is_ok());
    }
}
