//! Shared duty-list links (分享排班), pure: one volunteer's (or one team's) upcoming duties
//! carried entirely in a URL fragment, `https://host/shared#d1.<payload>`, so that a phone
//! without the database can show them; and the QR code of that link.
//!
//! # The format, version 1
//!
//! ```text
//! fragment = "d1." payload            ASCII, at most MAX_FRAGMENT characters
//! payload  = base64url(packed ‖ check)  RFC 4648 §5 alphabet, no '=' padding, canonical
//!                                     (unused low bits of the last character must be 0)
//! packed   = raw DEFLATE(body)          RFC 1951, no zlib or gzip wrapper
//! check    = SHA-256("d1." ‖ packed)[0..4]
//!
//! body     = flags strings name office as_of count shift{count}
//! flags    = u8: bit 0 set = shift times are whole minutes (else milliseconds);
//!            the other bits are 0
//! strings  = n:uv (len:uv utf16be{len}){n}  every distinct text once, in order of first
//!            use; len counts UTF-16 code units (2 bytes each, big-endian; surrogate pairs
//!            must be whole)
//! name     = idx        volunteer or team name
//! office   = idx        community name
//! as_of    = zz         UTC milliseconds when the list was shared, exact
//! count    = uv         number of shifts
//! shift    = start:zz dur:uv title:idx place:idx role:idx k:uv person:idx{k}
//!
//! uv  = unsigned LEB128 (7 bits a byte, low first, at most 10 bytes)
//! zz  = a signed value zigzag-mapped (0,-1,1,-2,… → 0,1,2,3,…), then uv
//! idx = uv, a 0-based index into strings
//! ```
//!
//! Times: in minute mode (every shift start and end is on a minute boundary, as the roster
//! makes them) `start` is the difference in minutes from the previous shift's start, the first
//! from `as_of` rounded down to the minute, and `dur = end − start` in minutes. Otherwise the
//! same in milliseconds, from `as_of` itself. Either way times round-trip exactly. Shifts are
//! written in the order given (the sender sorts them by start), so the differences are a
//! week or a day and compress well; the titles, places and roles that repeat weekly are
//! stored once in `strings`. Texts are UTF-16 rather than UTF-8 because Chinese text then
//! deflates about 7% smaller (two bytes a character, the first of few distinct values).
//!
//! The check covers exactly the bytes that travel (with the version), so any change to the
//! link — a character changed, dropped, added, or the link cut short — is refused as
//! [`ShareError::Corrupted`] (a 32-bit check: a random change slips through one time in four
//! billion). A decoder also refuses: more than [`MAX_FRAGMENT`] characters, a body that
//! inflates past [`MAX_INFLATED`] bytes, bytes left over, an index or count out of range,
//! text that is not valid UTF-16, a time outside 1970–9999, or a shift with `end <= start`
//! or longer than [`MAX_SHIFT_LEN`].
//!
//! A later incompatible format takes the next prefix (`d2.`, …); a decoder that meets a
//! `d<digits>.` prefix it does not know says [`ShareError::UnknownVersion`] so the page can
//! ask for an update instead of calling the link broken.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

/// The version prefix of format 1.
pub const PREFIX: &str = "d1.";

/// The longest fragment (the text after `#`) a link may have; [`decode`] refuses longer ones
/// and the sender trims the list with [`encode_fitting`] to fit.
///
/// The whole URL must fit a QR code that a phone scans reliably from a printed notice or an
/// office screen. A base64url link is mixed case, so the QR code is in byte mode. 1200
/// characters plus up to 170 for the origin and `/shared#` (1370 bytes) fit version 30 at
/// error correction level M: 137 × 137 modules, against 177 × 177 for version 40 (the largest,
/// 2331 bytes at M), so each module is 30% larger at the same printed size. Typical shares are
/// much smaller (one volunteer's 16 weekly duties: 360–430 characters, a version 15 code);
/// 1200 characters hold about 90 duties of a team list with 2–4 names on each. [`qr_svg`]
/// falls back to level L, so a full fragment still fits with an origin of up to 1700 bytes.
pub const MAX_FRAGMENT: usize = 1200;

/// The most bytes a body may inflate to (a guard against a deflate bomb; a full
/// [`MAX_FRAGMENT`] link inflates to a few kilobytes).
pub const MAX_INFLATED: usize = 256 * 1024;

/// The longest shift a link may carry (the roster allows 24 hours; anything beyond a week is
/// nonsense).
pub const MAX_SHIFT_LEN: i64 = 7 * 24 * 3_600_000;

/// The latest time a link may carry: 9999-12-31T23:59:59.999Z (the earliest is 1970-01-01).
pub const MAX_TIME: i64 = 253_402_300_799_999;

const CHECK_LEN: usize = 4;
const FLAG_MINUTES: u8 = 1;
const MINUTE: i64 = 60_000;
/// Best compression (miniz_oxide's level 9; level 10 is not smaller on inputs this size).
const DEFLATE_LEVEL: u8 = 9;

/// One person's or one team's upcoming duties, as shared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedDuty {
    /// The volunteer's or the team's name.
    pub name: String,
    /// The community (office) name.
    pub office: String,
    /// UTC milliseconds when the list was shared.
    pub as_of: i64,
    /// The duties, sorted by start.
    pub shifts: Vec<SharedShift>,
}

/// One duty in a shared list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedShift {
    /// UTC milliseconds.
    pub start: i64,
    /// UTC milliseconds, after `start`.
    pub end: i64,
    pub title: String,
    /// The grid and the place, joined.
    pub place: String,
    pub role: String,
    /// For a team's list: who is on it (may be empty).
    pub people: Vec<String>,
}

/// Why a fragment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Nothing after `#`.
    Empty,
    /// A `d<digits>.` prefix other than `d1.`: made by a newer version (the prefix without
    /// its dot, e.g. "d2").
    UnknownVersion(String),
    /// Damaged: changed, cut short or not a shared link at all.
    Corrupted,
    /// Longer than [`MAX_FRAGMENT`].
    TooLong,
}

impl ShareError {
    /// A stable code for translations and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ShareError::Empty => "empty",
            ShareError::UnknownVersion(_) => "unknown_version",
            ShareError::Corrupted => "corrupted",
            ShareError::TooLong => "too_long",
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => f.write_str("the link carries no duty list"),
            ShareError::UnknownVersion(v) => write!(
                f,
                "the link was made by a newer version (format {v}); reload the page"
            ),
            ShareError::Corrupted => f.write_str("the link is damaged; ask for it again"),
            ShareError::TooLong => f.write_str("the link is too long"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment (the text after `#`) carrying `d`. Never fails; see the module docs for the
/// format. A list the decoder would refuse (a shift with `end <= start` or longer than
/// [`MAX_SHIFT_LEN`], a time outside 1970–9999) still encodes, but [`decode`] refuses it.
pub fn encode(d: &SharedDuty) -> String {
    encode_parts(d, &d.shifts)
}

/// The fragment carrying the longest prefix of `d.shifts` whose encoding is at most `max_len`
/// characters, and how many shifts it holds (so the page can say "the next N duties, until
/// …"). The prefix is found by bisection, relying on a longer list never compressing to
/// fewer characters (true in practice for deflate). If even the list without shifts does not
/// fit (absurdly long names), that encoding is returned anyway with 0: callers compare its
/// length with `max_len`.
pub fn encode_fitting(d: &SharedDuty, max_len: usize) -> (String, usize) {
    let all = encode(d);
    if all.len() <= max_len {
        return (all, d.shifts.len());
    }
    // Invariant: `lo` shifts fit (or lo == 0), `hi` shifts do not.
    let (mut lo, mut hi) = (0, d.shifts.len());
    let mut best = encode_parts(d, &[]);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let text = encode_parts(d, &d.shifts[..mid]);
        if text.len() <= max_len {
            lo = mid;
            best = text;
        } else {
            hi = mid;
        }
    }
    (best, lo)
}

/// Reads a fragment (the text after `#`, without the `#`).
pub fn decode(fragment: &str) -> Result<SharedDuty, ShareError> {
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let Some(payload) = fragment.strip_prefix(PREFIX) else {
        // A newer format may allow longer links: say so before calling it too long.
        return Err(match version_of(fragment) {
            Some(v) => ShareError::UnknownVersion(v.to_string()),
            None if fragment.len() > MAX_FRAGMENT => ShareError::TooLong,
            None => ShareError::Corrupted,
        });
    };
    if fragment.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| ShareError::Corrupted)?;
    if bytes.len() <= CHECK_LEN {
        return Err(ShareError::Corrupted);
    }
    let (packed, check) = bytes.split_at(bytes.len() - CHECK_LEN);
    if check != checksum(packed) {
        return Err(ShareError::Corrupted);
    }
    let body = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_INFLATED)
        .map_err(|_| ShareError::Corrupted)?;
    parse(&body).ok_or(ShareError::Corrupted)
}

/// `Some("d7")` for a fragment starting "d7." (1 to 9 digits).
fn version_of(fragment: &str) -> Option<&str> {
    let b = fragment.as_bytes();
    let digits = b.iter().skip(1).take_while(|c| c.is_ascii_digit()).count();
    let ok =
        b.first() == Some(&b'd') && (1..=9).contains(&digits) && b.get(1 + digits) == Some(&b'.');
    // The head is ASCII, so slicing there is on a character boundary.
    ok.then(|| &fragment[..1 + digits])
}

fn checksum(packed: &[u8]) -> [u8; CHECK_LEN] {
    let mut h = Sha256::new();
    h.update(PREFIX.as_bytes());
    h.update(packed);
    let digest = h.finalize();
    let mut out = [0; CHECK_LEN];
    out.copy_from_slice(&digest[..CHECK_LEN]);
    out
}

/// Compresses, checks and armours a body.
fn seal(body: &[u8]) -> String {
    let mut bytes = miniz_oxide::deflate::compress_to_vec(body, DEFLATE_LEVEL);
    let check = checksum(&bytes);
    bytes.extend_from_slice(&check);
    let mut out = String::with_capacity(PREFIX.len() + bytes.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    URL_SAFE_NO_PAD.encode_string(&bytes, &mut out);
    out
}

fn encode_parts(d: &SharedDuty, shifts: &[SharedShift]) -> String {
    seal(&write_body(d, shifts))
}

/// Every distinct text once, in order of first use.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u64>,
}

impl<'a> Strings<'a> {
    fn add(&mut self, s: &'a str) -> u64 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u64;
        self.list.push(s);
        self.index.insert(s, i);
        i
    }
}

fn write_body(d: &SharedDuty, shifts: &[SharedShift]) -> Vec<u8> {
    let mut strings = Strings::default();
    let name = strings.add(&d.name);
    let office = strings.add(&d.office);
    let refs: Vec<[u64; 3]> = shifts
        .iter()
        .map(|s| {
            [
                strings.add(&s.title),
                strings.add(&s.place),
                strings.add(&s.role),
            ]
        })
        .collect();
    let people: Vec<Vec<u64>> = shifts
        .iter()
        .map(|s| s.people.iter().map(|p| strings.add(p)).collect())
        .collect();

    let minutes = shifts
        .iter()
        .all(|s| s.start.rem_euclid(MINUTE) == 0 && s.end.rem_euclid(MINUTE) == 0);
    let mut w = Vec::with_capacity(64 + shifts.len() * 8);
    w.push(if minutes { FLAG_MINUTES } else { 0 });
    put_uv(&mut w, strings.list.len() as u64);
    for s in &strings.list {
        put_uv(&mut w, s.encode_utf16().count() as u64);
        for unit in s.encode_utf16() {
            w.extend_from_slice(&unit.to_be_bytes());
        }
    }
    put_uv(&mut w, name);
    put_uv(&mut w, office);
    put_zz(&mut w, d.as_of);
    put_uv(&mut w, shifts.len() as u64);
    // Wrapping arithmetic: valid times never wrap, and nonsense ones must not panic (the
    // decoder refuses them).
    let mut prev = if minutes {
        d.as_of.div_euclid(MINUTE)
    } else {
        d.as_of
    };
    for ((s, r), p) in shifts.iter().zip(&refs).zip(&people) {
        let (start, end) = if minutes {
            (s.start.div_euclid(MINUTE), s.end.div_euclid(MINUTE))
        } else {
            (s.start, s.end)
        };
        put_zz(&mut w, start.wrapping_sub(prev));
        put_uv(&mut w, end.wrapping_sub(start) as u64);
        for &i in r {
            put_uv(&mut w, i);
        }
        put_uv(&mut w, p.len() as u64);
        for &i in p {
            put_uv(&mut w, i);
        }
        prev = start;
    }
    w
}

fn put_uv(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

fn put_zz(w: &mut Vec<u8>, v: i64) {
    put_uv(w, ((v << 1) ^ (v >> 63)) as u64);
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.b.split_first()?;
        self.b = rest;
        Some(first)
    }

    fn uv(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.byte()?;
            if i == 9 && b > 1 {
                return None; // more than 64 bits
            }
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn zz(&mut self) -> Option<i64> {
        let u = self.uv()?;
        Some(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    /// A count of items that take at least `min_bytes` each: no more than the bytes left allow.
    fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.uv()?).ok()?;
        (n.checked_mul(min_bytes)? <= self.b.len()).then_some(n)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.b.len() {
            return None;
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Some(head)
    }

    fn text(&mut self, strings: &[String]) -> Option<String> {
        let i = usize::try_from(self.uv()?).ok()?;
        strings.get(i).cloned()
    }
}

fn time_ok(t: i64) -> bool {
    (0..=MAX_TIME).contains(&t)
}

fn parse(body: &[u8]) -> Option<SharedDuty> {
    let mut r = Reader { b: body };
    let flags = r.byte()?;
    if flags & !FLAG_MINUTES != 0 {
        return None;
    }
    let minutes = flags & FLAG_MINUTES != 0;
    let n = r.count(1)?;
    let mut strings = Vec::with_capacity(n);
    for _ in 0..n {
        let units = usize::try_from(r.uv()?).ok()?;
        let bytes = r.bytes(units.checked_mul(2)?)?;
        let utf16: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .collect();
        strings.push(String::from_utf16(&utf16).ok()?);
    }
    let name = r.text(&strings)?;
    let office = r.text(&strings)?;
    let as_of = r.zz()?;
    if !time_ok(as_of) {
        return None;
    }
    // A shift takes at least 6 bytes: start, dur, title, place, role, people count.
    let count = r.count(6)?;
    let (unit, max_dur) = if minutes {
        (MINUTE, MAX_SHIFT_LEN / MINUTE)
    } else {
        (1, MAX_SHIFT_LEN)
    };
    let mut prev = as_of.div_euclid(unit);
    let mut shifts = Vec::with_capacity(count);
    for _ in 0..count {
        let start = prev.checked_add(r.zz()?)?;
        let dur = i64::try_from(r.uv()?).ok()?;
        if !(1..=max_dur).contains(&dur) {
            return None;
        }
        let (start_ms, end_ms) = (
            start.checked_mul(unit)?,
            start.checked_add(dur)?.checked_mul(unit)?,
        );
        if !time_ok(start_ms) || !time_ok(end_ms) {
            return None;
        }
        let title = r.text(&strings)?;
        let place = r.text(&strings)?;
        let role = r.text(&strings)?;
        let k = r.count(1)?;
        let mut people = Vec::with_capacity(k);
        for _ in 0..k {
            people.push(r.text(&strings)?);
        }
        shifts.push(SharedShift {
            start: start_ms,
            end: end_ms,
            title,
            place,
            role,
            people,
        });
        prev = start;
    }
    if !r.b.is_empty() {
        return None;
    }
    Some(SharedDuty {
        name,
        office,
        as_of,
        shifts,
    })
}

/// The QR code of `text` (a whole link) as a standalone SVG: black modules on white, a quiet
/// zone of 4 modules, `viewBox` in module units (scale it with CSS), crisp edges, all dark
/// modules in one `<path>`. Error correction level M (15% of the code may be damaged), or L
/// (7%) when M does not fit; `None` when the text fits no QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    use std::fmt::Write;
    const QUIET: i32 = 4;
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .or_else(|_| QrCode::encode_text(text, QrCodeEcc::Low))
        .ok()?;
    let size = qr.size();
    let full = size + 2 * QUIET;
    let mut d = String::with_capacity((size * size) as usize * 3);
    // One closed rectangle a run of dark modules in a row: "m dx,dy h n v1 h-n z". After `z`
    // the pen is back at the run's start, so each move is relative to the previous run.
    let (mut px, mut py) = (0, 0);
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let run_start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            let (ax, ay) = (run_start + QUIET, y + QUIET);
            let n = x - run_start;
            // Writing to a String cannot fail.
            let _ = if d.is_empty() {
                write!(d, "M{ax},{ay}h{n}v1h-{n}z")
            } else {
                write!(d, "m{},{}h{n}v1h-{n}z", ax - px, ay - py)
            };
            (px, py) = (ax, ay);
        }
    }
    Some(format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" "##,
            r##"shape-rendering="crispEdges"><rect width="{full}" height="{full}" "##,
            r##"fill="#fff"/><path fill="#000" d="{d}"/></svg>"##
        ),
        full = full,
        d = d
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;
    const WEEK: i64 = 7 * DAY;
    /// 2026-11-25T08:17:23.456Z, a Wednesday.
    const NOW: i64 = 1_795_594_643_456;
    /// 2026-11-30T01:00Z = Monday 09:00 in Beijing.
    const MON_9: i64 = 1_796_000_400_000;
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    fn shift(start: i64, hours: i64, title: &str, place: &str, role: &str) -> SharedShift {
        SharedShift {
            start,
            end: start + hours * HOUR,
            title: title.into(),
            place: place.into(),
            role: role.into(),
            people: vec![],
        }
    }

    /// `weeks` weeks of four weekly duties (4 distinct titles and places), sorted by start.
    fn volunteer(weeks: i64) -> SharedDuty {
        let kinds = [
            (
                0,
                3,
                "周一上午 · 楼道安全巡查",
                "第三网格 · 幸福里12号楼",
                "巡查员",
            ),
            (
                2 * DAY,
                2,
                "周三 · 老年食堂助餐",
                "第一网格 · 社区老年食堂",
                "助餐志愿者",
            ),
            (
                4 * DAY + 9 * HOUR,
                3,
                "周五晚 · 治安巡逻",
                "第二网格 · 幸福里北门岗亭",
                "巡逻队员",
            ),
            (
                5 * DAY - HOUR,
                4,
                "周六 · 垃圾分类督导",
                "第三网格 · 12号楼垃圾分类点",
                "督导员",
            ),
        ];
        let mut shifts = Vec::new();
        for w in 0..weeks {
            for (off, h, t, p, r) in kinds {
                shifts.push(shift(MON_9 + w * WEEK + off, h, t, p, r));
            }
        }
        shifts.sort_by_key(|s| s.start);
        SharedDuty {
            name: "张晓梅".into(),
            office: "幸福里社区居委会".into(),
            as_of: NOW,
            shifts,
        }
    }

    fn team(weeks: i64) -> SharedDuty {
        let people = ["李建国", "王秀英", "赵伟", "陈静", "刘洋", "孙丽"];
        let mut d = volunteer(weeks);
        d.name = "平安巡逻队".into();
        for (i, s) in d.shifts.iter_mut().enumerate() {
            s.people = (0..3).map(|k| people[(i + k) % 6].to_string()).collect();
        }
        d
    }

    /// A lived-in roster: the four weekly duties, but some weeks skipped or moved by half an
    /// hour, one-off duties with their own titles, and (for a team) 2–4 of 12 people on each.
    fn messy(weeks: i64, with_people: bool, seed: u64) -> SharedDuty {
        let mut rng = crate::domain::rng::Rng::new(seed);
        let people = [
            "李建国",
            "王秀英",
            "赵伟",
            "陈静",
            "刘洋",
            "孙丽",
            "周海峰",
            "吴桂兰",
            "郑晓东",
            "马玉梅",
            "黄志强",
            "何欢",
        ];
        let one_offs = [
            ("防汛物资清点", "社区仓库"),
            ("燃气安全入户宣传", "第二网格 · 幸福里5号楼"),
            ("反诈宣传摆摊", "幸福里广场"),
            ("独居老人走访", "第一网格 · 幸福里3号楼"),
            ("献血活动引导", "社区服务中心一楼"),
            ("消防演练", "幸福里小学操场"),
        ];
        let mut d = volunteer(weeks);
        d.shifts.retain(|_| rng.chance(0.85));
        for s in &mut d.shifts {
            if rng.chance(0.2) {
                let by = rng.range(0, 2) as i64 * 30 * MINUTE - 30 * MINUTE;
                s.start += by;
                s.end += by;
            }
        }
        for w in 0..weeks {
            if rng.chance(0.4) {
                let (t, p) = *rng.pick(&one_offs);
                let start = MON_9 + w * WEEK + rng.range(0, 6) as i64 * DAY;
                d.shifts
                    .push(shift(start, rng.range(1, 4) as i64, t, p, "志愿者"));
            }
        }
        d.shifts.sort_by_key(|s| s.start);
        if with_people {
            d.name = "平安巡逻队".into();
            for s in &mut d.shifts {
                let k = rng.range(2, 4) as usize;
                let mut on: Vec<String> = Vec::new();
                while on.len() < k {
                    let p = rng.pick(&people).to_string();
                    if !on.contains(&p) {
                        on.push(p);
                    }
                }
                s.people = on;
            }
        }
        d
    }

    fn first_shifts(d: &SharedDuty, n: usize) -> SharedDuty {
        SharedDuty {
            shifts: d.shifts[..n].to_vec(),
            ..d.clone()
        }
    }

    #[test]
    fn round_trips() {
        let mut over_midnight = volunteer(1);
        // Saturday 22:00 to Sunday 02:00 Beijing time, with a place in English and an emoji.
        over_midnight.shifts.push(SharedShift {
            start: MON_9 + 5 * DAY + 13 * HOUR,
            end: MON_9 + 5 * DAY + 17 * HOUR,
            title: "夜间值守 night watch".into(),
            place: "Gate 3 🚪".into(),
            role: String::new(),
            people: vec![],
        });
        let cases = [
            volunteer(4),
            over_midnight,
            SharedDuty::default(),
            SharedDuty {
                as_of: NOW,
                name: "空".into(),
                ..Default::default()
            },
            team(3),
        ];
        for d in cases {
            let text = encode(&d);
            assert!(text.starts_with("d1."), "{text}");
            assert!(text[3..].bytes().all(|b| B64.as_bytes().contains(&b)));
            assert_eq!(decode(&text), Ok(d));
        }
    }

    #[test]
    fn times_off_the_minute_round_trip_exactly() {
        let mut d = volunteer(2);
        d.shifts[1].start += 1_234; // seconds and milliseconds
        d.shifts[3].end -= 1;
        assert_eq!(decode(&encode(&d)), Ok(d.clone()));
        // A shift that started before the list was shared (under way) is fine too.
        d.shifts[0].start = NOW - HOUR;
        assert_eq!(decode(&encode(&d)), Ok(d));
    }

    #[test]
    fn is_compact() {
        for (label, d) in [
            ("volunteer", volunteer(1)),
            ("volunteer", volunteer(2)),
            ("volunteer", volunteer(4)),
            ("volunteer", volunteer(8)),
            ("volunteer", volunteer(26)),
            ("team of 3", team(2)),
            ("team of 3", team(4)),
            ("team of 3", team(8)),
            ("messy volunteer", messy(4, false, 1)),
            ("messy volunteer", messy(8, false, 1)),
            ("messy volunteer", messy(26, false, 1)),
            ("messy team", messy(2, true, 2)),
            ("messy team", messy(4, true, 2)),
            ("messy team", messy(8, true, 2)),
            ("messy team", messy(26, true, 2)),
        ] {
            let text = encode(&d);
            let json = serde_json::to_string(&d).unwrap().len();
            println!(
                "{label}: {} shifts → {} chars (JSON {json} bytes)",
                d.shifts.len(),
                text.len()
            );
        }
        let sixteen = encode(&volunteer(4));
        assert!(sixteen.len() < 700, "{}", sixteen.len());
        assert!(encode(&messy(4, false, 1)).len() < 700);
        assert!(encode(&team(4)).len() < MAX_FRAGMENT);
        // The string table pays: another 4 weeks cost little.
        assert!(encode(&volunteer(8)).len() < sixteen.len() + 150);
    }

    #[test]
    fn encode_fitting_keeps_the_longest_prefix_that_fits() {
        let d = messy(40, true, 3);
        assert!(encode(&d).len() > MAX_FRAGMENT);
        let (text, n) = encode_fitting(&d, MAX_FRAGMENT);
        println!(
            "messy team, {} shifts: the link holds {n}, {} chars",
            d.shifts.len(),
            text.len()
        );
        assert!(text.len() <= MAX_FRAGMENT);
        assert!(0 < n && n < d.shifts.len());
        assert_eq!(decode(&text), Ok(first_shifts(&d, n)));
        assert!(encode(&first_shifts(&d, n + 1)).len() > MAX_FRAGMENT);

        let small = volunteer(2);
        assert_eq!(encode_fitting(&small, MAX_FRAGMENT), (encode(&small), 8));
        for max in [300, 400, 500] {
            let (text, n) = encode_fitting(&small, max);
            assert!(text.len() <= max);
            assert_eq!(decode(&text), Ok(first_shifts(&small, n)));
            if n < 8 {
                assert!(encode(&first_shifts(&small, n + 1)).len() > max);
            }
        }
        // Nothing fits: the list without shifts, flagged by its length.
        let (text, n) = encode_fitting(&small, 10);
        assert_eq!(n, 0);
        assert!(text.len() > 10);
        assert_eq!(decode(&text).unwrap().shifts, vec![]);
    }

    #[test]
    fn every_single_character_change_is_refused() {
        let text = encode(&team(2));
        let chars: Vec<char> = text.chars().collect();
        let alphabet: Vec<char> = B64.chars().chain(['.', '=', '#', ' ', '~']).collect();
        let mut tried = 0;
        for i in 0..=chars.len() {
            // Cut short here.
            assert!(
                i == chars.len() || decode(&chars[..i].iter().collect::<String>()).is_err(),
                "cut {i}"
            );
            for &c in &alphabet {
                // One character added here.
                let mut added = chars.clone();
                added.insert(i, c);
                let s: String = added.into_iter().collect();
                assert!(decode(&s).is_err(), "added {c:?} at {i}");
                tried += 1;
                // One character changed.
                if i < chars.len() && chars[i] != c {
                    let mut changed = chars.clone();
                    changed[i] = c;
                    let s: String = changed.into_iter().collect();
                    assert!(decode(&s).is_err(), "changed {i} to {c:?}");
                    tried += 1;
                }
            }
            // One character dropped.
            if i < chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(i);
                let s: String = dropped.into_iter().collect();
                assert!(decode(&s).is_err(), "dropped {i}");
            }
        }
        println!(
            "{} chars, {tried} single-character edits refused",
            chars.len()
        );
        // Two adjacent characters swapped.
        for i in 0..chars.len() - 1 {
            if chars[i] != chars[i + 1] {
                let mut swapped = chars.clone();
                swapped.swap(i, i + 1);
                let s: String = swapped.into_iter().collect();
                assert!(decode(&s).is_err(), "swapped {i}");
            }
        }
    }

    #[test]
    fn refusals_have_codes() {
        let text = encode(&volunteer(1));
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(ShareError::Empty.code(), "empty");
        let newer = format!("d2.{}", &text[3..]);
        assert_eq!(decode(&newer), Err(ShareError::UnknownVersion("d2".into())));
        assert_eq!(decode(&newer).unwrap_err().code(), "unknown_version");
        assert_eq!(decode("d10.abc").unwrap_err().code(), "unknown_version");
        let long_newer = format!("d2.{}", "A".repeat(5 * MAX_FRAGMENT));
        assert_eq!(decode(&long_newer).unwrap_err().code(), "unknown_version");
        for bad in [
            "d1.",
            "d1",
            "hello",
            "d.abc",
            "dx.abc",
            "d1.!!!!",
            "d1234567890.x",
            "d",
            "dé.x",
            "d1.AAAA",
            "d1.AAAAAAAA",
        ] {
            assert_eq!(decode(bad), Err(ShareError::Corrupted), "{bad}");
        }
        assert_eq!(ShareError::Corrupted.code(), "corrupted");
        let long = format!("{text}{}", "A".repeat(MAX_FRAGMENT));
        assert_eq!(decode(&long), Err(ShareError::TooLong));
        assert_eq!(ShareError::TooLong.code(), "too_long");
        assert_eq!(decode(&"é".repeat(MAX_FRAGMENT)), Err(ShareError::TooLong));
        assert_eq!(decode(&"é".repeat(10)), Err(ShareError::Corrupted));
    }

    #[test]
    fn nonsense_values_are_refused() {
        let refused = |d: &SharedDuty| decode(&encode(d)) == Err(ShareError::Corrupted);
        let base = volunteer(1);
        let mut d = base.clone();
        d.shifts[2].end = d.shifts[2].start;
        assert!(refused(&d), "end == start");
        d.shifts[2].end = d.shifts[2].start - HOUR;
        assert!(refused(&d), "end before start");
        d.shifts[2].end = d.shifts[2].start + MAX_SHIFT_LEN + MINUTE;
        assert!(refused(&d), "too long a shift");
        d.shifts[2].end = d.shifts[2].start + MAX_SHIFT_LEN;
        assert!(!refused(&d));
        let mut d = base.clone();
        d.as_of = -1;
        assert!(refused(&d), "before 1970");
        let mut d = base.clone();
        d.shifts[0].start = i64::MIN;
        assert!(refused(&d), "i64::MIN");
        let mut d = base.clone();
        d.shifts[3].start = i64::MAX - 1;
        d.shifts[3].end = i64::MAX;
        assert!(refused(&d), "after 9999");
        let mut d = base;
        d.as_of = i64::MAX;
        assert!(refused(&d), "as_of i64::MAX");

        // Well checked but malformed bodies.
        let mut ok = write_body(&volunteer(1), &volunteer(1).shifts);
        assert!(decode(&seal(&ok)).is_ok());
        ok.push(0);
        assert_eq!(decode(&seal(&ok)), Err(ShareError::Corrupted), "left over");
        let mut huge_count = vec![FLAG_MINUTES, 0x80, 0x80, 0x80, 0x80, 0x08];
        huge_count.extend([0; 16]);
        assert_eq!(decode(&seal(&huge_count)), Err(ShareError::Corrupted));
        assert_eq!(decode(&seal(&[2])), Err(ShareError::Corrupted), "flags");
        assert_eq!(decode(&seal(&[])), Err(ShareError::Corrupted), "empty body");
        // A lone surrogate, an index out of range.
        assert_eq!(
            decode(&seal(&[1, 1, 1, 0xd8, 0x00, 0, 0, 0, 0])),
            Err(ShareError::Corrupted)
        );
        assert!(decode(&seal(&[1, 1, 1, 0, b'a', 0, 0, 0, 0])).is_ok());
        assert_eq!(
            decode(&seal(&[1, 1, 1, 0, b'a', 0, 1, 0, 0])),
            Err(ShareError::Corrupted)
        );
        // A deflate bomb: zeros packs into a small link but inflates too far.
        let bomb = seal(&vec![0; MAX_INFLATED + 1]);
        assert!(bomb.len() < MAX_FRAGMENT, "{}", bomb.len());
        assert_eq!(decode(&bomb), Err(ShareError::Corrupted));
    }

    #[test]
    fn qr_code_of_the_longest_link() {
        let origin = "https://gridledger.example.org/shared#";
        let longest = format!("{origin}d1.{}", "x".repeat(MAX_FRAGMENT - 3));
        let svg = qr_svg(&longest).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<path").count(), 1);
        let (fitted, n) = encode_fitting(&messy(40, true, 3), MAX_FRAGMENT);
        let real = format!("{origin}{fitted}");
        let svg_real = qr_svg(&real).unwrap();
        let typical = format!("{origin}{}", encode(&volunteer(4)));
        let svg_typical = qr_svg(&typical).unwrap();
        for (label, url, svg) in [
            ("longest", &longest, &svg),
            ("team list trimmed to fit", &real, &svg_real),
            ("16 shifts", &typical, &svg_typical),
        ] {
            let q = qrcodegen::QrCode::encode_text(url, qrcodegen::QrCodeEcc::Medium).unwrap();
            println!(
                "{label}: URL {} bytes → QR version {}, {} modules, SVG {} bytes",
                url.len(),
                q.version().value(),
                q.size(),
                svg.len()
            );
        }
        assert!(n > 0);
        // A quiet zone: the first dark module is at (4, 4) (the finder pattern's corner).
        assert!(svg_typical.contains(r#"d="M4,4h7v1h-7z"#), "{svg_typical}");
        // L when M does not fit; nothing when nothing fits.
        assert!(qr_svg(&"x".repeat(2900)).is_some());
        assert!(qr_svg(&"x".repeat(3000)).is_none());
        assert!(qr_svg("").is_some());
    }

    #[test]
    fn the_module_path_draws_exactly_the_dark_modules() {
        let text = "https://host/shared#d1.abc";
        let q = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).unwrap();
        let svg = qr_svg(text).unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let full = q.size() + 8;
        assert!(svg.contains(&format!(r#"viewBox="0 0 {full} {full}""#)));
        // Replay the path: every rectangle is one row high and starts where its move says.
        let mut grid = vec![vec![false; full as usize]; full as usize];
        let (mut x, mut y) = (0i32, 0i32);
        for part in d.split('z').filter(|p| !p.is_empty()) {
            let (mv, rest) = part[1..].split_once('h').unwrap();
            let (dx, dy) = mv.split_once(',').unwrap();
            let (dx, dy): (i32, i32) = (dx.parse().unwrap(), dy.parse().unwrap());
            (x, y) = if part.starts_with('M') {
                (dx, dy)
            } else {
                (x + dx, y + dy)
            };
            let (n, back) = rest.split_once("v1h-").unwrap();
            assert_eq!(n, back);
            for k in 0..n.parse::<i32>().unwrap() {
                let cell = &mut grid[y as usize][(x + k) as usize];
                assert!(!*cell);
                *cell = true;
            }
        }
        for yy in 0..full {
            for xx in 0..full {
                let dark = q.get_module(xx - 4, yy - 4); // false outside the code
                assert_eq!(grid[yy as usize][xx as usize], dark, "({xx},{yy})");
            }
        }
    }

    proptest! {
        #[test]
        fn any_text_is_refused_or_read_without_panic(s in ".{0,1300}") {
            let _ = decode(&s);
            let _ = decode(&format!("d1.{s}"));
        }

        #[test]
        fn any_well_checked_bytes_are_refused_or_read_without_panic(
            body in proptest::collection::vec(any::<u8>(), 0..400)
        ) {
            if let Ok(d) = decode(&seal(&body)) {
                // Whatever is accepted is a valid list that encodes back to itself.
                prop_assert_eq!(decode(&encode(&d)), Ok(d));
            }
        }

        #[test]
        fn damaged_but_well_checked_bodies_are_refused_or_read_without_panic(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
            cut in any::<usize>(),
        ) {
            let d = messy(2, true, 4);
            let mut body = write_body(&d, &d.shifts);
            for (at, b) in edits {
                let at = at % body.len();
                body[at] = b;
            }
            if cut % 4 == 0 {
                body.truncate(cut % body.len());
            }
            if let Ok(d) = decode(&seal(&body)) {
                prop_assert_eq!(decode(&encode(&d)), Ok(d));
            }
        }

        #[test]
        fn any_armoured_bytes_are_refused_without_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..800)
        ) {
            let text = format!("d1.{}", URL_SAFE_NO_PAD.encode(&bytes));
            prop_assert!(decode(&text).is_err());
        }

        #[test]
        fn any_list_round_trips(
            as_of in 0..=MAX_TIME / 2,
            name in "\\PC{0,12}",
            shifts in proptest::collection::vec(
                (0i64..400 * DAY, 1..=MAX_SHIFT_LEN, 0usize..4, 0usize..3, any::<bool>()),
                0..20,
            ),
        ) {
            let words = ["巡逻", "助餐", "Gate 3", ""];
            let d = SharedDuty {
                name,
                office: "幸福里".into(),
                as_of,
                shifts: shifts
                    .into_iter()
                    .map(|(off, len, t, k, whole_minutes)| {
                        let start = if whole_minutes { (as_of + off) / MINUTE * MINUTE } else { as_of + off };
                        let len = if whole_minutes { (len / MINUTE).max(1) * MINUTE } else { len };
                        SharedShift {
                            start,
                            end: start + len,
                            title: words[t].into(),
                            place: words[3 - t].into(),
                            role: words[k].into(),
                            people: words[..k].iter().map(|w| w.to_string()).collect(),
                        }
                    })
                    .collect(),
            };
            prop_assert_eq!(decode(&encode(&d)), Ok(d));
        }
    }
}
