//! Hybrid logical clock. Office PCs often have wrong clocks, so every record time is an HLC
//! value: never behind the newest time this database has seen (imported records included),
//! and strictly increasing for each event made here.
//!
//! A value packs wall-clock milliseconds and a 16-bit counter into one sortable `i64`:
//! `millis * 65536 + counter`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc(pub i64);

const COUNTER_BITS: i64 = 16;
const COUNTER_MAX: i64 = (1 << COUNTER_BITS) - 1;

impl Hlc {
    pub const ZERO: Hlc = Hlc(0);

    pub fn from_parts(millis: i64, counter: i64) -> Hlc {
        Hlc((millis << COUNTER_BITS) | (counter & COUNTER_MAX))
    }
    pub fn millis(self) -> i64 {
        self.0 >> COUNTER_BITS
    }
    pub fn counter(self) -> i64 {
        self.0 & COUNTER_MAX
    }

    /// The next time for a local event, given the last value issued or seen and the wall clock.
    pub fn tick(last: Hlc, wall_millis: i64) -> Hlc {
        if wall_millis > last.millis() {
            Hlc::from_parts(wall_millis, 0)
        } else if last.counter() < COUNTER_MAX {
            Hlc(last.0 + 1)
        } else {
            Hlc::from_parts(last.millis() + 1, 0)
        }
    }

    /// The clock after seeing a remote time: never behind it.
    pub fn observe(last: Hlc, remote: Hlc) -> Hlc {
        last.max(remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_follow_the_wall_clock_when_it_moves_forward() {
        let t = Hlc::tick(Hlc::from_parts(1000, 5), 2000);
        assert_eq!((t.millis(), t.counter()), (2000, 0));
    }

    #[test]
    fn ticks_never_go_back_when_the_wall_clock_is_behind() {
        let last = Hlc::from_parts(5000, 3);
        let t = Hlc::tick(last, 10); // a PC clock set to 1970
        assert!(t > last);
        assert_eq!((t.millis(), t.counter()), (5000, 4));
    }

    #[test]
    fn counter_overflow_moves_to_the_next_millisecond() {
        let last = Hlc::from_parts(5000, COUNTER_MAX);
        let t = Hlc::tick(last, 5000);
        assert_eq!((t.millis(), t.counter()), (5001, 0));
    }

    #[test]
    fn observing_a_future_time_moves_the_clock_forward() {
        let remote = Hlc::from_parts(9_000_000, 2);
        let after = Hlc::observe(Hlc::from_parts(1000, 0), remote);
        assert_eq!(after, remote);
        assert!(Hlc::tick(after, 1000) > remote);
    }
}
