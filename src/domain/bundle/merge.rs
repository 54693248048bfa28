//! The merge rules, as a plan computed before anything is written (the preview), then applied
//! by storage in one transaction.
//!
//! - Records are keyed by id. The newer version wins: by `updated_at` (hybrid logical clock),
//!   then by `updated_by` (device id) as a fixed tie-break. The same version on both sides is
//!   unchanged.
//! - A conflict is a pair of versions that both changed since the version they share. Every
//!   record carries `base_at`, the `updated_at` of the last version of it that had left or
//!   reached its device (exported or imported) when it was edited. The incoming version was
//!   derived from the local one when its `base_at >= local.updated_at` (a fast-forward), and
//!   the other way round; otherwise both sides changed it: the newer still wins, and the plan
//!   keeps the losing version so a person can re-apply it.
//! - Tombstones are versions too: a delete newer than an edit wins, an edit newer than a
//!   delete wins.
//! - Masked values (脱敏, they contain `*`) never overwrite a real value, and a real value
//!   fills in a masked one.
//! - Nothing is lost silently: a record whose winning version is a tombstone while a live
//!   record still points at it is kept (`revived`), and the import lists it as a conflict.
//!   Whether a record is kept depends only on the merged versions (storage settles it after
//!   every import, from [`super::tables::TABLES`]' parents), so it too is order-independent.
//! - The result is a function of the set of versions seen, so importing the same bundle twice
//!   changes nothing and the order of imports does not matter.

use super::tables::{self, is_masked, TABLES};
use super::{id_of, int, is_deleted, text, version, Bundle, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What the planner needs first of a stored record: its version, and whether one of its
/// maskable columns holds a masked value. An incoming record of the same version leaves it
/// unchanged unless it fills such a value in, so the rest of it need not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub updated_at: i64,
    pub updated_by: String,
    pub masked: bool,
}

impl Stored {
    pub fn of(table: &str, r: &Record) -> Self {
        let (updated_at, updated_by) = version(r);
        let masked = tables::table(table).is_some_and(|spec| {
            spec.columns
                .iter()
                .filter(|c| c.mask.is_some())
                .any(|c| text(r, c.name).is_some_and(is_masked))
        });
        Stored {
            updated_at,
            updated_by: updated_by.to_string(),
            masked,
        }
    }
}

/// What the database holds now, as the planner needs it.
pub trait Local {
    /// The stored version (a kept record shows its winning tombstone: `deleted` true).
    fn get(&self, table: &str, id: &str) -> Option<Record>;
    /// [`Stored`] of a record, `None` when there is none (a store reads less than [`get`]).
    ///
    /// [`get`]: Local::get
    fn stored(&self, table: &str, id: &str) -> Option<Stored> {
        self.get(table, id).map(|r| Stored::of(table, &r))
    }
    /// The community record with this code, whatever its id.
    fn community(&self, code: &str) -> Option<Record>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Updated,
    Unchanged,
    Deleted,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub conflicts: u64,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Deleted => self.deleted += 1,
        }
    }
    pub fn changes(&self) -> u64 {
        self.new + self.updated + self.deleted
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Both sides changed the record; `kept` is the newer version.
    BothChanged,
    /// The winning version deleted a record that live records still point at; it is kept.
    KeptParent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub table: String,
    pub id: String,
    pub community_code: String,
    /// "local" or "incoming": whose version won.
    pub winner: String,
    #[serde(with = "super::record_text")]
    pub kept: Record,
    #[serde(with = "super::record_text")]
    pub lost: Record,
}

/// A community record with the same code as a local one but another id: two set-ups of the
/// "same" community. Importing mixes them only when the person agrees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityClash {
    pub community_code: String,
    pub local_name: String,
    pub incoming_name: String,
}

/// How often (in records) long work reports its progress.
pub const PROGRESS_EVERY: u64 = 2000;

/// One record the import changes, for the preview's record list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub table: String,
    pub id: String,
    pub community_code: String,
    pub outcome: Outcome,
    /// What a person recognises it by: a name, an address.
    pub label: String,
}

/// A short human label for a record: its name, or its address.
pub fn label(r: &Record) -> String {
    let t = |k: &str| text(r, k).unwrap_or("");
    if let Some(n) = text(r, "name") {
        return n.to_string();
    }
    if r.contains_key("building") {
        return format!("{}{}{}", t("building"), t("unit"), t("room"));
    }
    id_of(r).to_string()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan<'a> {
    /// Per community, per table.
    pub counts: BTreeMap<String, BTreeMap<String, Counts>>,
    /// Final records to write, table by table in dependency order; the bundle's own record
    /// where it is written as it came (a new record, mostly), so an import holds no copies.
    pub writes: Vec<(&'static str, Cow<'a, Record>)>,
    pub conflicts: Vec<Conflict>,
    pub identity: Vec<IdentityClash>,
    /// The records that change (new, updated, deleted), in table order.
    pub changes: Vec<Change>,
    /// The newest clock time in the bundle (the importing clock observes it).
    pub max_time: i64,
}

impl Plan<'_> {
    pub fn totals(&self) -> Counts {
        let mut t = Counts::default();
        for c in self.counts.values().flat_map(|m| m.values()) {
            t.new += c.new;
            t.updated += c.updated;
            t.unchanged += c.unchanged;
            t.deleted += c.deleted;
            t.conflicts += c.conflicts;
        }
        t
    }
}

fn newer(a: &Record, b: &Record) -> bool {
    version(a) > version(b)
}

/// Fills masked values of `winner` from real values of `other` (copying `winner` only then).
fn fill_masked(table: &str, winner: &mut Cow<'_, Record>, other: &Record) -> bool {
    let Some(spec) = tables::table(table) else {
        return false;
    };
    let mut changed = false;
    for c in spec.columns.iter().filter(|c| c.mask.is_some()) {
        let w = text(winner, c.name);
        let o = text(other, c.name);
        if let (Some(w), Some(o)) = (w, o) {
            if is_masked(w) && !is_masked(o) {
                let o = o.to_string();
                winner.to_mut().insert_column(c.name, Value::String(o));
                changed = true;
            }
        }
    }
    changed
}

/// Plans the import of `bundle` into `local`: per record, which version wins and whether the
/// two sides conflict. `accept_identity` lets a community record with a clashing code merge
/// into the local one (otherwise the plan lists the clash and applying is refused).
pub fn plan<'a>(bundle: &'a Bundle, local: &impl Local, accept_identity: bool) -> Plan<'a> {
    plan_with(bundle, local, accept_identity, &mut |_, _| {})
}

/// [`plan`], telling `progress(done, total)` every few thousand records.
pub fn plan_with<'a>(
    bundle: &'a Bundle,
    local: &impl Local,
    accept_identity: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Plan<'a> {
    let total = bundle.record_count();
    let mut done = 0u64;
    let mut p = Plan::default();
    for spec in TABLES {
        let Some(records) = bundle.tables.get(spec.name) else {
            continue;
        };
        for inc in records {
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY) {
                progress(done, total);
            }
            p.max_time = p.max_time.max(int(inc, "updated_at"));
            let code = text(inc, "community_code").unwrap_or("").to_string();
            let mut inc = Cow::Borrowed(inc);
            let mut l = None;
            if spec.name == "communities" {
                if let Some(lc) = local.community(&code).filter(|lc| id_of(lc) != id_of(&inc)) {
                    if !accept_identity {
                        p.identity.push(IdentityClash {
                            community_code: code.clone(),
                            local_name: text(&lc, "name").unwrap_or("").into(),
                            incoming_name: text(&inc, "name").unwrap_or("").into(),
                        });
                    }
                    // Mixed into one record: same code, the smaller id (so the order of
                    // imports does not matter), the newer version.
                    let keep = id_of(&lc).min(id_of(&inc)).to_string();
                    inc.to_mut().insert("id", Value::String(keep.clone()));
                    let mut lc = lc;
                    lc.insert("id", Value::String(keep));
                    l = Some(lc);
                }
            }
            let counts = p
                .counts
                .entry(code)
                .or_default()
                .entry(spec.name.to_string())
                .or_default();
            let l = match l {
                Some(l) => Some(l),
                // Most records of a bundle imported again are the versions already here.
                None => match local.stored(spec.name, id_of(&inc)) {
                    None => None,
                    Some(s)
                        if !s.masked && (s.updated_at, s.updated_by.as_str()) == version(&inc) =>
                    {
                        counts.add(Outcome::Unchanged);
                        continue;
                    }
                    Some(_) => local.get(spec.name, id_of(&inc)),
                },
            };
            let (rec, outcome, conflict) = decide(spec.name, inc, l);
            if let Some(c) = conflict {
                p.conflicts.push(c);
            }
            counts.add(outcome);
            if outcome != Outcome::Unchanged {
                p.changes.push(Change {
                    table: spec.name.into(),
                    id: id_of(&rec).into(),
                    community_code: text(&rec, "community_code").unwrap_or("").into(),
                    outcome,
                    label: label(&rec),
                });
                p.writes.push((spec.name, rec));
            }
        }
    }
    for c in &p.conflicts {
        p.counts
            .entry(c.community_code.clone())
            .or_default()
            .entry(c.table.clone())
            .or_default()
            .conflicts += 1;
    }
    p
}

/// One record: the final version, what happened, and the conflict if both sides changed it.
pub fn decide<'a>(
    table: &str,
    inc: Cow<'a, Record>,
    l: Option<Record>,
) -> (Cow<'a, Record>, Outcome, Option<Conflict>) {
    let Some(l) = l else {
        let o = if is_deleted(&inc) {
            Outcome::Deleted
        } else {
            Outcome::New
        };
        return (inc, o, None);
    };
    if version(&inc) == version(&l) {
        let mut f = Cow::Owned(l);
        return if fill_masked(table, &mut f, &inc) {
            (f, Outcome::Updated, None)
        } else {
            (f, Outcome::Unchanged, None)
        };
    }
    let inc_wins = newer(&inc, &l);
    let local_deleted = is_deleted(&l);
    let (mut win, lose) = if inc_wins {
        (inc, Cow::Owned(l))
    } else {
        (Cow::Owned(l), inc)
    };
    // Was the winner made from a version older than the loser? Then both changed it.
    let both_changed = int(&win, "base_at") < int(&lose, "updated_at");
    let filled = fill_masked(table, &mut win, &lose);
    let conflict = both_changed.then(|| Conflict {
        kind: ConflictKind::BothChanged,
        table: table.into(),
        id: id_of(&win).into(),
        community_code: text(&win, "community_code").unwrap_or("").into(),
        winner: if inc_wins { "incoming" } else { "local" }.into(),
        kept: win.clone().into_owned(),
        lost: lose.into_owned(),
    });
    let outcome = if !inc_wins {
        if filled {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        }
    } else if is_deleted(&win) && !local_deleted {
        Outcome::Deleted
    } else {
        Outcome::Updated
    };
    (win, outcome, conflict)
}
