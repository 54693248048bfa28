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
        IdGen { rng: Rng::new(seed) }
    }

    pub fn next(&mut self, millis: i64) -> String {
        let random: [u8; 10] = self.rng.bytes();
        uuid::Builder::from_unix_timestamp_millis(millis.max(0) as u64, &random)
            .into_uuid()
            .hyphenated()
            .to_string()
    }
}

pub fn is_valid_id(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
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
        assert_eq!(uuid::Uuid::parse_str(&a).unwrap().get_version_num(), 7);
    }
}
