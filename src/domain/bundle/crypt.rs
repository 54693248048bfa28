//! Encrypted bundles (`.gridledger`): the bundle's JSON sealed with a passphrase.
//!
//! The file is JSON (so it is recognisable and its parameters are readable):
//! `{"format": "gridledger-encrypted", "version": 1,
//!   "kdf": {"name": "PBKDF2-HMAC-SHA256", "iterations": 600000, "salt": <base64, 16 bytes>},
//!   "cipher": {"name": "AES-256-GCM", "nonce": <base64, 12 bytes>},
//!   "ciphertext": <base64: the bundle's UTF-8 JSON, encrypted, with the 16-byte tag>}`.
//! The key is PBKDF2-HMAC-SHA256(passphrase as UTF-8, salt, iterations) → 32 bytes. The header
//! (everything but `ciphertext`, as canonical JSON) is the AES-GCM associated data, so a changed
//! parameter fails like a wrong passphrase: with an error, never with garbage.
//! The same code serves the app's worker and the command-line tool.

use super::check::BundleError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "gridledger-encrypted";
pub const ITERATIONS: u32 = 600_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kdf {
    pub name: String,
    pub iterations: u32,
    pub salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cipher {
    pub name: String,
    pub nonce: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    pub format: String,
    pub version: u32,
    pub kdf: Kdf,
    pub cipher: Cipher,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ciphertext: String,
}

fn key(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut k = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, iterations, &mut k);
    k
}

fn aad(s: &Sealed) -> Vec<u8> {
    let header = Sealed {
        ciphertext: String::new(),
        ..s.clone()
    };
    serde_json::to_vec(&header).unwrap_or_default()
}

/// Does this file look like an encrypted bundle? (Cheap: looks at the first bytes only.)
pub fn is_encrypted(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    let s = String::from_utf8_lossy(head);
    s.contains(FORMAT)
}

/// Encrypts `plain` (a bundle's JSON). `random` gives the salt (16 bytes) and nonce (12).
pub fn encrypt(plain: &[u8], passphrase: &str, random: [u8; 28], iterations: u32) -> Vec<u8> {
    let (salt, nonce) = random.split_at(16);
    let mut s = Sealed {
        format: FORMAT.into(),
        version: 1,
        kdf: Kdf {
            name: "PBKDF2-HMAC-SHA256".into(),
            iterations,
            salt: B64.encode(salt),
        },
        cipher: Cipher {
            name: "AES-256-GCM".into(),
            nonce: B64.encode(nonce),
        },
        ciphertext: String::new(),
    };
    let k = key(passphrase, salt, iterations);
    let cipher = Aes256Gcm::new_from_slice(&k).expect("a 32-byte key");
    let aad = aad(&s);
    let ct = cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .expect("AES-GCM encryption does not fail for in-memory data");
    s.ciphertext = B64.encode(ct);
    serde_json::to_vec(&s).unwrap_or_default()
}

/// Decrypts an encrypted bundle file. Errors: `bad_encryption` (not a well-formed encrypted
/// file), `passphrase_required`, `wrong_passphrase` (or a changed file: GCM cannot tell which).
pub fn decrypt(bytes: &[u8], passphrase: Option<&str>) -> Result<Vec<u8>, BundleError> {
    let s: Sealed = serde_json::from_slice(bytes)
        .map_err(|e| BundleError::new("bad_encryption", e.to_string()))?;
    if s.format != FORMAT || s.version != 1 {
        return Err(BundleError::new(
            "bad_encryption",
            format!("{} version {}", s.format, s.version),
        ));
    }
    if s.kdf.name != "PBKDF2-HMAC-SHA256" || s.cipher.name != "AES-256-GCM" {
        return Err(BundleError::new(
            "bad_encryption",
            format!("unknown {} / {}", s.kdf.name, s.cipher.name),
        ));
    }
    if !(1_000..=10_000_000).contains(&s.kdf.iterations) {
        return Err(BundleError::new(
            "bad_encryption",
            "iterations out of range",
        ));
    }
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        return Err(BundleError::new(
            "passphrase_required",
            "the bundle is encrypted",
        ));
    };
    let b = |what: &str, v: &str| {
        B64.decode(v)
            .map_err(|e| BundleError::new("bad_encryption", format!("{what}: {e}")))
    };
    let salt = b("salt", &s.kdf.salt)?;
    let nonce = b("nonce", &s.cipher.nonce)?;
    let ct = b("ciphertext", &s.ciphertext)?;
    if nonce.len() != 12 || salt.len() < 8 {
        return Err(BundleError::new("bad_encryption", "salt or nonce size"));
    }
    let k = key(passphrase, &salt, s.kdf.iterations);
    let cipher = Aes256Gcm::new_from_slice(&k).expect("a 32-byte key");
    cipher
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &ct,
                aad: &aad(&s),
            },
        )
        .map_err(|_| {
            BundleError::new(
                "wrong_passphrase",
                "the passphrase is wrong or the file was changed",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrong_passphrase() {
        let plain = br#"{"format":"gridledger-bundle"}"#;
        let sealed = encrypt(plain, "社区密码 2026", [7; 28], 1000);
        assert!(is_encrypted(&sealed));
        assert!(!String::from_utf8_lossy(&sealed).contains("gridledger-bundle"));
        assert_eq!(decrypt(&sealed, Some("社区密码 2026")).unwrap(), plain);
        assert_eq!(
            decrypt(&sealed, Some("wrong")).unwrap_err().code,
            "wrong_passphrase"
        );
        assert_eq!(
            decrypt(&sealed, None).unwrap_err().code,
            "passphrase_required"
        );
        // A changed parameter is caught like a wrong passphrase.
        let text = String::from_utf8(sealed).unwrap();
        let changed = text.replace("\"iterations\":1000", "\"iterations\":1001");
        assert_eq!(
            decrypt(changed.as_bytes(), Some("社区密码 2026"))
                .unwrap_err()
                .code,
            "wrong_passphrase"
        );
    }
}
