//! The shared tables a bundle carries: their columns, their parents (foreign keys) and which
//! columns hold personal data that an export can mask. Storage reads and writes bundles from
//! this list, so a table added here travels in bundles with no other code.

/// What a column holds, as JSON: text, optional text (null), an integer, a boolean, or bytes
/// (a BLOB in the database, standard base64 in the bundle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    OptText,
    Int,
    OptInt,
    Bool,
    Bytes,
}

/// How a personal-data column is masked (脱敏) on export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// 张* : the first character kept.
    Name,
    /// 4101**********1234 : the first four and last four kept.
    IdNumber,
    /// 138****5678 : the first three and last four digits kept.
    Phone,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub mask: Option<Mask>,
    /// The format version that added the column to its table. A bundle of an older version
    /// lacks it; reading such a bundle fills in [`Kind::default_value`].
    pub since: u32,
    /// The value the column takes in a bundle older than `since` (text; `None`: the kind's
    /// default).
    pub default: Option<&'static str>,
}

impl Column {
    /// The value this column takes in a bundle of a version before it was added.
    pub fn default_value(&self) -> serde_json::Value {
        match self.default {
            Some(d) => serde_json::Value::String(d.to_string()),
            None => self.kind.default_value(),
        }
    }
}

impl Kind {
    /// The value a column added in a later format version takes in an older bundle.
    pub fn default_value(self) -> serde_json::Value {
        match self {
            Kind::Text | Kind::Bytes => serde_json::Value::String(String::new()),
            Kind::OptText | Kind::OptInt => serde_json::Value::Null,
            Kind::Int => serde_json::Value::from(0),
            Kind::Bool => serde_json::Value::Bool(false),
        }
    }
}

/// A reference from `column` to the `id` of a record of `table`. Every reference must resolve
/// (a bundle carries the records it points at); only a `keeps` reference keeps a deleted
/// target alive in a merge (a grid's residents keep the grid; a case's reporter is history).
#[derive(Debug, Clone, Copy)]
pub struct Parent {
    pub column: &'static str,
    pub table: &'static str,
    pub keeps: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    /// The table's own columns, besides the record fields every shared table has
    /// ([`RECORD_FIELDS`]).
    pub columns: &'static [Column],
    pub parents: &'static [Parent],
    /// The format version that added the table.
    pub since: u32,
}

/// Fields of every shared record: the merge works on these.
pub const RECORD_FIELDS: &[Column] = &[
    col("id", Kind::Text),
    col("community_code", Kind::Text),
    col("created_at", Kind::Int),
    col("updated_at", Kind::Int),
    col("updated_by", Kind::Text),
    col("base_at", Kind::Int),
    col("deleted", Kind::Bool),
];

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        mask: None,
        since: 1,
        default: None,
    }
}

/// A column added to an existing table by a later format version.
const fn added(name: &'static str, kind: Kind, since: u32) -> Column {
    Column {
        name,
        kind,
        mask: None,
        since,
        default: None,
    }
}

/// A text column added by a later format version, with the value older bundles mean.
const fn added_text(name: &'static str, since: u32, default: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
        mask: None,
        since,
        default: Some(default),
    }
}

/// A personal-data column of a table added by a later format version.
const fn masked_since(name: &'static str, kind: Kind, mask: Mask, since: u32) -> Column {
    Column {
        name,
        kind,
        mask: Some(mask),
        since,
        default: None,
    }
}

/// A column of a table added by a later format version.
const fn new(name: &'static str, kind: Kind, since: u32) -> Column {
    added(name, kind, since)
}

const fn masked(name: &'static str, kind: Kind, mask: Mask) -> Column {
    Column {
        name,
        kind,
        mask: Some(mask),
        since: 1,
        default: None,
    }
}

const fn parent(column: &'static str, table: &'static str) -> Parent {
    Parent {
        column,
        table,
        keeps: true,
    }
}

/// A reference that must resolve but does not keep its target alive.
const fn mention(column: &'static str, table: &'static str) -> Parent {
    Parent {
        column,
        table,
        keeps: false,
    }
}

/// In dependency order: a table's parents come before it (import writes in this order).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "communities",
        columns: &[
            col("name", Kind::Text),
            col("street_name", Kind::Text),
            col("street_code", Kind::Text),
            col("level_names", Kind::Text),
        ],
        since: 1,
        parents: &[],
    },
    TableSpec {
        name: "grids",
        columns: &[
            col("parent_id", Kind::OptText),
            col("level", Kind::Int),
            col("name", Kind::Text),
        ],
        since: 1,
        parents: &[parent("parent_id", "grids")],
    },
    TableSpec {
        name: "staff",
        columns: &[
            masked("name", Kind::Text, Mask::Name),
            col("role", Kind::Text),
            masked("phone", Kind::Text, Mask::Phone),
        ],
        since: 1,
        parents: &[],
    },
    TableSpec {
        name: "grid_staff",
        columns: &[
            col("grid_id", Kind::Text),
            col("staff_id", Kind::Text),
            col("duty", Kind::Text),
        ],
        since: 1,
        parents: &[parent("grid_id", "grids"), parent("staff_id", "staff")],
    },
    TableSpec {
        name: "households",
        columns: &[
            col("grid_id", Kind::Text),
            col("building", Kind::Text),
            col("unit", Kind::Text),
            col("room", Kind::Text),
        ],
        since: 1,
        parents: &[parent("grid_id", "grids")],
    },
    TableSpec {
        name: "residents",
        columns: &[
            col("grid_id", Kind::Text),
            col("household_id", Kind::OptText),
            masked("name", Kind::Text, Mask::Name),
            col("gender", Kind::Text),
            col("birth_date", Kind::Text),
            masked("id_number", Kind::OptText, Mask::IdNumber),
            masked("phone", Kind::OptText, Mask::Phone),
            col("relation", Kind::Text),
            col("note", Kind::Text),
            added_text("status", 4, "active"),
        ],
        since: 1,
        parents: &[
            parent("grid_id", "grids"),
            parent("household_id", "households"),
        ],
    },
    TableSpec {
        name: "tags",
        columns: &[
            col("name", Kind::Text),
            col("builtin", Kind::Bool),
            added("visit_days", Kind::Int, 4),
        ],
        since: 1,
        parents: &[],
    },
    TableSpec {
        name: "resident_tags",
        columns: &[col("resident_id", Kind::Text), col("tag_id", Kind::Text)],
        since: 1,
        parents: &[parent("resident_id", "residents"), parent("tag_id", "tags")],
    },
    TableSpec {
        name: "case_categories",
        columns: &[
            col("code", Kind::Text),
            col("parent_code", Kind::OptText),
            col("name", Kind::Text),
            col("filing", Kind::Text),
            col("limit_unit", Kind::Text),
            col("limit_n", Kind::Int),
            col("closing", Kind::Text),
            col("unit", Kind::Text),
        ],
        since: 1,
        parents: &[],
    },
    TableSpec {
        name: "cases",
        columns: &[
            col("grid_id", Kind::Text),
            col("household_id", Kind::OptText),
            col("category_code", Kind::Text),
            col("title", Kind::Text),
            col("description", Kind::Text),
            col("address", Kind::Text),
            col("channel", Kind::Text),
            col("priority", Kind::Text),
            col("reporter_id", Kind::OptText),
            masked("reporter_name", Kind::Text, Mask::Name),
            masked("reporter_phone", Kind::Text, Mask::Phone),
            col("reported_at", Kind::Int),
            col("deadline", Kind::OptInt),
        ],
        since: 1,
        parents: &[
            parent("grid_id", "grids"),
            mention("household_id", "households"),
            mention("reporter_id", "residents"),
        ],
    },
    // Append-only: an event never changes, so merging keeps every event of every device.
    TableSpec {
        name: "case_events",
        columns: &[
            col("case_id", Kind::Text),
            col("move", Kind::Text),
            col("actor", Kind::Text),
            col("actor_role", Kind::Text),
            col("remark", Kind::Text),
            col("assignee", Kind::Text),
            col("rating", Kind::Text),
            col("wall_at", Kind::Int),
        ],
        since: 1,
        parents: &[parent("case_id", "cases")],
    },
    // Photos of a case step; immutable like events. Exports leave them out unless asked
    // (`ExportOptions::photos`), within a size cap.
    TableSpec {
        name: "case_photos",
        columns: &[
            col("case_id", Kind::Text),
            col("event_id", Kind::Text),
            col("mime", Kind::Text),
            col("width", Kind::Int),
            col("height", Kind::Int),
            col("size", Kind::Int),
            col("data", Kind::Bytes),
        ],
        since: 2,
        parents: &[
            parent("case_id", "cases"),
            parent("event_id", "case_events"),
        ],
    },
    TableSpec {
        name: "volunteers",
        columns: &[
            col("resident_id", Kind::OptText),
            col("grid_id", Kind::OptText),
            masked("name", Kind::Text, Mask::Name),
            masked("phone", Kind::Text, Mask::Phone),
            col("skills", Kind::Text),
            col("availability", Kind::Text),
            col("party_member", Kind::Bool),
            col("in_service", Kind::Bool),
            col("work_unit", Kind::Text),
            col("posts", Kind::Text),
            col("note", Kind::Text),
        ],
        since: 2,
        parents: &[
            mention("resident_id", "residents"),
            mention("grid_id", "grids"),
        ],
    },
    TableSpec {
        name: "volunteer_teams",
        columns: &[
            col("name", Kind::Text),
            col("leader_id", Kind::OptText),
            col("note", Kind::Text),
        ],
        since: 2,
        parents: &[mention("leader_id", "volunteers")],
    },
    TableSpec {
        name: "team_members",
        columns: &[col("team_id", Kind::Text), col("volunteer_id", Kind::Text)],
        since: 2,
        parents: &[
            parent("team_id", "volunteer_teams"),
            parent("volunteer_id", "volunteers"),
        ],
    },
    TableSpec {
        name: "shifts",
        columns: &[
            col("series_id", Kind::Text),
            col("title", Kind::Text),
            col("grid_id", Kind::OptText),
            col("place", Kind::Text),
            col("role", Kind::Text),
            col("start_at", Kind::Int),
            col("end_at", Kind::Int),
            col("needed", Kind::Int),
            col("note", Kind::Text),
        ],
        since: 2,
        parents: &[parent("grid_id", "grids")],
    },
    TableSpec {
        name: "shift_people",
        columns: &[
            col("shift_id", Kind::Text),
            col("volunteer_id", Kind::OptText),
            col("staff_id", Kind::OptText),
            col("status", Kind::Text),
            added("check_in", Kind::OptInt, 3),
            added("check_out", Kind::OptInt, 3),
        ],
        since: 2,
        parents: &[
            parent("shift_id", "shifts"),
            parent("volunteer_id", "volunteers"),
            parent("staff_id", "staff"),
        ],
    },
    TableSpec {
        name: "service_hours",
        columns: &[
            col("volunteer_id", Kind::Text),
            col("day", Kind::Text),
            col("minutes", Kind::Int),
            col("task", Kind::Text),
            col("case_id", Kind::OptText),
        ],
        since: 3,
        parents: &[
            parent("volunteer_id", "volunteers"),
            mention("case_id", "cases"),
        ],
    },
    // Micro-wishes (微心愿), format 3. The state, claimer and minutes are derived from the
    // events on import, like a case's.
    TableSpec {
        name: "wishes",
        columns: &[
            col("grid_id", Kind::Text),
            col("resident_id", Kind::OptText),
            masked("wisher_name", Kind::Text, Mask::Name),
            masked("wisher_phone", Kind::Text, Mask::Phone),
            col("title", Kind::Text),
            col("detail", Kind::Text),
            col("due_date", Kind::Text),
        ],
        since: 3,
        parents: &[
            parent("grid_id", "grids"),
            mention("resident_id", "residents"),
        ],
    },
    // Append-only, merged as a union like case events.
    TableSpec {
        name: "wish_events",
        columns: &[
            col("wish_id", Kind::Text),
            col("move", Kind::Text),
            col("actor", Kind::Text),
            col("actor_role", Kind::Text),
            col("volunteer_id", Kind::OptText),
            col("note", Kind::Text),
            col("minutes", Kind::Int),
            col("wall_at", Kind::Int),
        ],
        since: 3,
        parents: &[
            parent("wish_id", "wishes"),
            mention("volunteer_id", "volunteers"),
        ],
    },
    // Photos of a wish step; they travel with case photos (`ExportOptions::photos`, one cap).
    TableSpec {
        name: "wish_photos",
        columns: &[
            col("wish_id", Kind::Text),
            col("event_id", Kind::Text),
            col("mime", Kind::Text),
            col("width", Kind::Int),
            col("height", Kind::Int),
            col("size", Kind::Int),
            col("data", Kind::Bytes),
        ],
        since: 3,
        parents: &[
            parent("wish_id", "wishes"),
            parent("event_id", "wish_events"),
        ],
    },
    // Key-group care, residents' status history and the party organisation: format 4.
    TableSpec {
        name: "resident_events",
        columns: &[
            new("resident_id", Kind::Text, 4),
            new("kind", Kind::Text, 4),
            new("event_date", Kind::Text, 4),
            new("from_household_id", Kind::OptText, 4),
            new("to_household_id", Kind::OptText, 4),
            new("note", Kind::Text, 4),
        ],
        since: 4,
        parents: &[
            parent("resident_id", "residents"),
            mention("from_household_id", "households"),
            mention("to_household_id", "households"),
        ],
    },
    TableSpec {
        name: "party_orgs",
        columns: &[
            new("grid_id", Kind::Text, 4),
            new("parent_id", Kind::OptText, 4),
            new("kind", Kind::Text, 4),
            new("name", Kind::Text, 4),
            new("note", Kind::Text, 4),
        ],
        since: 4,
        parents: &[
            parent("grid_id", "grids"),
            parent("parent_id", "party_orgs"),
        ],
    },
    TableSpec {
        name: "party_members",
        columns: &[
            new("org_id", Kind::Text, 4),
            new("resident_id", Kind::OptText, 4),
            masked_since("name", Kind::Text, Mask::Name, 4),
            masked_since("phone", Kind::Text, Mask::Phone, 4),
            new("role", Kind::Text, 4),
            new("joined_on", Kind::Text, 4),
            new("center_household_id", Kind::OptText, 4),
            new("note", Kind::Text, 4),
        ],
        since: 4,
        parents: &[
            parent("org_id", "party_orgs"),
            mention("resident_id", "residents"),
            mention("center_household_id", "households"),
        ],
    },
    TableSpec {
        name: "care_plans",
        columns: &[
            new("resident_id", Kind::Text, 4),
            new("worker_id", Kind::OptText, 4),
            new("party_member_id", Kind::OptText, 4),
            new("visit_days", Kind::Int, 4),
            new("start_date", Kind::Text, 4),
            new("note", Kind::Text, 4),
        ],
        since: 4,
        parents: &[
            parent("resident_id", "residents"),
            mention("worker_id", "staff"),
            mention("party_member_id", "party_members"),
        ],
    },
    TableSpec {
        name: "visits",
        columns: &[
            new("resident_id", Kind::Text, 4),
            new("visit_date", Kind::Text, 4),
            new("visitor_id", Kind::OptText, 4),
            new("party_member_id", Kind::OptText, 4),
            new("visitor_name", Kind::Text, 4),
            new("condition", Kind::Text, 4),
            new("needs", Kind::Text, 4),
            new("note", Kind::Text, 4),
            new("case_id", Kind::OptText, 4),
            new("wish_id", Kind::OptText, 4),
        ],
        since: 4,
        parents: &[
            parent("resident_id", "residents"),
            mention("visitor_id", "staff"),
            mention("party_member_id", "party_members"),
            mention("case_id", "cases"),
            mention("wish_id", "wishes"),
        ],
    },
];

pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.name == name)
}

impl TableSpec {
    /// Every column, record fields first, in a fixed order.
    pub fn all_columns(&self) -> impl Iterator<Item = &'static Column> {
        RECORD_FIELDS.iter().chain(self.columns.iter())
    }

    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.all_columns().find(|c| c.name == name)
    }

    /// Tables whose records point at this one.
    pub fn children(&self) -> impl Iterator<Item = (&'static TableSpec, &'static Parent)> + '_ {
        TABLES.iter().flat_map(move |t| {
            t.parents
                .iter()
                .filter(move |p| p.table == self.name)
                .map(move |p| (t, p))
        })
    }
}

/// Masks a personal value for export. Masked values contain `*`, which no real value does.
pub fn mask_value(mask: Mask, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = |head: usize, tail: usize| -> String {
        if chars.len() <= head + tail {
            return "*".repeat(chars.len().max(1));
        }
        let mut s: String = chars[..head].iter().collect();
        s.push_str(&"*".repeat(chars.len() - head - tail));
        s.extend(&chars[chars.len() - tail..]);
        s
    };
    match mask {
        Mask::Name => match chars.first() {
            Some(c) => format!("{c}{}", "*".repeat(chars.len().saturating_sub(1).max(1))),
            None => String::new(),
        },
        Mask::IdNumber => keep(4, 4),
        Mask::Phone => {
            let digits: Vec<char> = chars.iter().copied().filter(char::is_ascii_digit).collect();
            if digits.len() <= 7 {
                return keep(0, 4.min(chars.len().saturating_sub(1)));
            }
            let mut s: String = digits[..3].iter().collect();
            s.push_str(&"*".repeat(digits.len() - 7));
            s.extend(&digits[digits.len() - 4..]);
            s
        }
    }
}

/// [`mask_value`] when `on` and the value is not empty; else the value as it is.
pub fn mask_if(on: bool, mask: Mask, value: &str) -> String {
    if on && !value.is_empty() {
        mask_value(mask, value)
    } else {
        value.to_string()
    }
}

pub fn is_masked(value: &str) -> bool {
    value.contains('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first() {
        for (i, t) in TABLES.iter().enumerate() {
            for p in t.parents {
                let pi = TABLES.iter().position(|x| x.name == p.table).unwrap();
                assert!(pi <= i, "{} before {}", p.table, t.name);
                assert!(t.column(p.column).is_some(), "{}.{}", t.name, p.column);
            }
        }
    }

    #[test]
    fn masks_look_like_the_office_expects() {
        assert_eq!(mask_value(Mask::Name, "张三丰"), "张**");
        assert_eq!(mask_value(Mask::Name, "王五"), "王*");
        assert_eq!(
            mask_value(Mask::IdNumber, "410103198001011234"),
            "4101**********1234"
        );
        assert_eq!(mask_value(Mask::Phone, "13812345678"), "138****5678");
        assert_eq!(mask_value(Mask::Phone, "0371-67890123"), "037*****0123");
        for (m, v) in [
            (Mask::Name, "李"),
            (Mask::IdNumber, "1234"),
            (Mask::Phone, "5678"),
        ] {
            assert!(is_masked(&mask_value(m, v)), "{v}");
        }
    }
}
