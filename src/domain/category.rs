//! Case categories (事件分类): a two-level table, 大类 → 小类, each with its filing criterion
//! (立案标准), deadline (处置时限), closing criterion (结案标准) and responsible unit (责任单位).
//! The table is data: `assets/case-categories.json` ships a default after GB/T 30428.2, and an
//! office can edit it or add its own.

use super::calendar::Limit;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub name: String,
    pub filing: String,
    pub limit: Limit,
    pub closing: String,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub source: String,
    pub categories: Vec<Group>,
}

/// The shipped default table.
pub fn shipped() -> Table {
    serde_json::from_str(include_str!("../../assets/case-categories.json"))
        .expect("assets/case-categories.json is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_shipped_table_is_two_levels_with_unique_codes_and_real_limits() {
        let t = shipped();
        assert!(t.categories.len() >= 8);
        let mut codes = HashSet::new();
        for g in &t.categories {
            assert!(codes.insert(g.code.clone()), "{}", g.code);
            assert!(!g.items.is_empty(), "{}", g.name);
            for i in &g.items {
                assert!(i.code.starts_with(&g.code), "{} under {}", i.code, g.code);
                assert!(codes.insert(i.code.clone()), "{}", i.code);
                assert!(matches!(i.limit, Limit::WorkingHours(n) | Limit::WorkingDays(n) if n > 0));
            }
        }
        let garbage = t.categories[0]
            .items
            .iter()
            .find(|i| i.name == "暴露垃圾")
            .unwrap();
        assert_eq!(garbage.limit, Limit::WorkingHours(4));
    }
}
