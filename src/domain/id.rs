//! Globally unique record ids, made on the device that creates the record: UUIDv7 (time-ordered,
//! 74 random bits), written as lowercase hyphenated text everywhere (SQL, bundles, protocol).

use super::rng::Rng;

/// Makes UUIDv7 ids from a millisecond time and a random source.
pub struct IdGen {
    rng: Rng,
}

impl IdGen {
    /// `seed` must come from a real entropy source on devices (the worker uses
    /// `crypto.getRandomValues`), or a fixed value for deterministic sample data.
    pub fn new(seed: u64) -> Self {
        IdGen {
            rng: Rng::new(seed),
        }
    }

    pub fn next(&mut self, millis: i64) -> String {
        let random: [u8; 10] = self.rng.bytes();
        let mut b = [0u8; 16];
        b[..6].copy_from_slice(&(millis.max(0) as u64).to_be_bytes()[2..]);
        b[6..].copy_from_slice(&random);
        b[6] = 0x70 | (b[6] & 0x0f); // version 7
        b[8] = 0x80 | (b[8] & 0x3f); // RFC 9562 variant
        let mut out = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }
}

/// Lowercase hyphenated UUID text (8-4-4-4-12 hex digits).
pub fn is_valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// The UUID version digit of a valid id.
pub fn version(s: &str) -> Option<u32> {
    is_valid_id(s)
        .then(|| (s.as_bytes()[14] as char).to_digit(16))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_unique_and_time_ordered() {
        let mut g = IdGen::new(42);
        let a = g.next(1_700_000_000_000);
        let b = g.next(1_700_000_000_001);
        assert!(is_valid_id(&a));
        assert_ne!(a, b);
        assert!(a < b);
        assert_eq!(version(&a), Some(7));
        assert!(!is_valid_id("not-an-id"));
        // The time prefix is the millisecond clock, big-endian.
        assert!(a.starts_with("018bcfe5-6800-7"), "{a}");
    }
}
