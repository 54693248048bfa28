//! One folder per page.

pub mod care;
pub mod cases;
pub mod exchange;
pub mod grids;
pub mod home;
pub mod residents;
pub mod roster;
pub mod settings;
pub mod setup;
pub mod staff;
pub mod volunteers;
pub mod wishes;

use crate::domain::staff::Role;
use crate::i18n::Lang;

/// Role choices for a select: (code, translated name).
pub fn role_options(lang: Lang, with_empty: bool) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    if with_empty {
        v.push((String::new(), lang.t("field.choose").to_string()));
    }
    v.extend(Role::ALL.iter().map(|r| {
        (
            r.code().to_string(),
            lang.t(&format!("role.{}", r.code())).to_string(),
        )
    }));
    v
}

/// Grid choices for a select, indented by level: (id, label).
pub fn grid_options(
    tree: &crate::protocol::GridTree,
    empty: Option<&str>,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    if let Some(e) = empty {
        v.push((String::new(), e.to_string()));
    }
    v.extend(tree.nodes.iter().map(|n| {
        (
            n.id.clone(),
            format!("{}{}", "\u{3000}".repeat(n.level as usize), n.name),
        )
    }));
    v
}

/// An ID number as shown in lists: region and birth year hidden (4101**********1234).
pub fn mask_id(id: &str) -> String {
    if id.len() == 18 {
        format!("{}**********{}", &id[..4], &id[14..])
    } else {
        id.to_string()
    }
}
