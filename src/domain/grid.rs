//! The grid tree (网格): community root → grids → micro grids (buildings, yards). Its
//! invariants: exactly one root per community, no cycles, a node's level is its depth, a
//! tree no deeper than the community's named levels, and no deletion of a node that still
//! has children, households or residents.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridError {
    NameRequired,
    NameTooLong,
    /// The new parent is the node itself or one of its descendants.
    Cycle,
    RootFixed,
    /// The tree would get deeper than the community's named levels.
    TooDeep,
    HasChildren,
    HasResidents,
    NotFound,
}

impl GridError {
    pub fn code(self) -> &'static str {
        match self {
            GridError::NameRequired => "grid_name_required",
            GridError::NameTooLong => "grid_name_too_long",
            GridError::Cycle => "grid_cycle",
            GridError::RootFixed => "grid_root_fixed",
            GridError::TooDeep => "grid_too_deep",
            GridError::HasChildren => "grid_has_children",
            GridError::HasResidents => "grid_has_residents",
            GridError::NotFound => "not_found",
        }
    }
}

/// The default level names: level 0 is the community itself.
pub const DEFAULT_LEVELS: [&str; 3] = ["社区", "网格", "微网格"];

/// A node as far as the tree's shape is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub parent_id: Option<String>,
}

pub struct Tree<'a> {
    parent: HashMap<&'a str, Option<&'a str>>,
    children: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Tree<'a> {
    pub fn new(nodes: &'a [Node]) -> Self {
        let mut parent = HashMap::new();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for n in nodes {
            parent.insert(n.id.as_str(), n.parent_id.as_deref());
            if let Some(p) = n.parent_id.as_deref() {
                children.entry(p).or_default().push(n.id.as_str());
            }
        }
        Tree { parent, children }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.parent.contains_key(id)
    }

    /// Depth of a node (root = 0). Stops on a corrupt loop rather than spinning.
    pub fn depth(&self, id: &str) -> usize {
        let mut d = 0;
        let mut cur = id;
        while let Some(Some(p)) = self.parent.get(cur) {
            d += 1;
            cur = p;
            if d > self.parent.len() {
                break;
            }
        }
        d
    }

    /// The node and all its descendants, parents before children.
    pub fn subtree(&self, id: &str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = self
            .parent
            .get_key_value(id)
            .map(|(k, _)| *k)
            .into_iter()
            .collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            if let Some(cs) = self.children.get(n) {
                stack.extend(cs.iter().rev());
            }
        }
        out
    }

    /// Height of the subtree under `id` (a leaf has height 0).
    pub fn height(&self, id: &str) -> usize {
        let base = self.depth(id);
        self.subtree(id)
            .iter()
            .map(|n| self.depth(n) - base)
            .max()
            .unwrap_or(0)
    }

    pub fn has_children(&self, id: &str) -> bool {
        self.children.get(id).is_some_and(|c| !c.is_empty())
    }
}

pub fn validate_name(name: &str) -> Result<String, GridError> {
    let n = name.trim();
    if n.is_empty() {
        Err(GridError::NameRequired)
    } else if n.chars().count() > 40 {
        Err(GridError::NameTooLong)
    } else {
        Ok(n.to_string())
    }
}

/// May a new child be added under `parent`? `levels` is how many named levels there are.
pub fn check_add(tree: &Tree, parent: &str, levels: usize) -> Result<usize, GridError> {
    if !tree.contains(parent) {
        return Err(GridError::NotFound);
    }
    let level = tree.depth(parent) + 1;
    if level >= levels {
        return Err(GridError::TooDeep);
    }
    Ok(level)
}

/// May `node` move under `new_parent`? Returns the node's new level.
pub fn check_move(
    tree: &Tree,
    node: &str,
    new_parent: &str,
    levels: usize,
) -> Result<usize, GridError> {
    if !tree.contains(node) || !tree.contains(new_parent) {
        return Err(GridError::NotFound);
    }
    if tree.depth(node) == 0 {
        return Err(GridError::RootFixed);
    }
    if tree.subtree(node).contains(&new_parent) {
        return Err(GridError::Cycle);
    }
    let level = tree.depth(new_parent) + 1;
    if level + tree.height(node) >= levels {
        return Err(GridError::TooDeep);
    }
    Ok(level)
}

/// May `node` be deleted, given how many households and residents it directly holds?
pub fn check_delete(
    tree: &Tree,
    node: &str,
    households: u64,
    residents: u64,
) -> Result<(), GridError> {
    if !tree.contains(node) {
        return Err(GridError::NotFound);
    }
    if tree.depth(node) == 0 {
        return Err(GridError::RootFixed);
    }
    if tree.has_children(node) {
        return Err(GridError::HasChildren);
    }
    if households > 0 || residents > 0 {
        return Err(GridError::HasResidents);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes() -> Vec<Node> {
        // root → a → a1, a2 ; root → b
        [
            ("root", None),
            ("a", Some("root")),
            ("a1", Some("a")),
            ("a2", Some("a")),
            ("b", Some("root")),
        ]
        .iter()
        .map(|(i, p)| Node {
            id: i.to_string(),
            parent_id: p.map(str::to_string),
        })
        .collect()
    }

    #[test]
    fn moves_that_would_make_a_cycle_are_refused() {
        let n = nodes();
        let t = Tree::new(&n);
        assert_eq!(check_move(&t, "a", "a1", 5), Err(GridError::Cycle));
        assert_eq!(check_move(&t, "a", "a", 5), Err(GridError::Cycle));
        assert_eq!(check_move(&t, "root", "b", 5), Err(GridError::RootFixed));
        assert_eq!(check_move(&t, "a1", "b", 3), Ok(2));
        assert_eq!(check_move(&t, "a", "b", 3), Err(GridError::TooDeep));
        assert_eq!(check_move(&t, "a", "b", 4), Ok(2));
        assert_eq!(check_move(&t, "a", "zz", 4), Err(GridError::NotFound));
    }

    #[test]
    fn adding_respects_the_named_levels() {
        let n = nodes();
        let t = Tree::new(&n);
        assert_eq!(check_add(&t, "root", 3), Ok(1));
        assert_eq!(check_add(&t, "a", 3), Ok(2));
        assert_eq!(check_add(&t, "a1", 3), Err(GridError::TooDeep));
    }

    #[test]
    fn deletes_need_an_empty_leaf() {
        let n = nodes();
        let t = Tree::new(&n);
        assert_eq!(check_delete(&t, "a", 0, 0), Err(GridError::HasChildren));
        assert_eq!(check_delete(&t, "a1", 0, 3), Err(GridError::HasResidents));
        assert_eq!(check_delete(&t, "a1", 1, 0), Err(GridError::HasResidents));
        assert_eq!(check_delete(&t, "root", 0, 0), Err(GridError::RootFixed));
        assert_eq!(check_delete(&t, "b", 0, 0), Ok(()));
    }

    #[test]
    fn subtree_and_depth() {
        let n = nodes();
        let t = Tree::new(&n);
        assert_eq!(t.subtree("a"), vec!["a", "a1", "a2"]);
        assert_eq!(t.depth("a2"), 2);
        assert_eq!(t.height("root"), 2);
        assert_eq!(validate_name("  一网格 "), Ok("一网格".into()));
        assert_eq!(validate_name(" "), Err(GridError::NameRequired));
    }
}

/// Orders names the way people count: "第2网格" before "第10网格", "2号楼" before "10号楼".
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let d = c.is_ascii_digit();
            match out.last_mut() {
                Some((kind, buf)) if *kind == d => buf.push(c),
                _ => out.push((d, c.to_string())),
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, p), (true, q)) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                p.len().cmp(&q.len()).then_with(|| p.cmp(q))
            }
            ((_, p), (_, q)) => chinese_numeral_rank(p)
                .cmp(&chinese_numeral_rank(q))
                .then_with(|| p.cmp(q)),
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// "第三网格" sorts by 三 = 3 among its siblings.
fn chinese_numeral_rank(s: &str) -> u32 {
    const N: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    s.chars()
        .find_map(|c| N.iter().position(|n| *n == c).map(|p| p as u32 + 1))
        .unwrap_or(0)
}

#[cfg(test)]
mod order_tests {
    use super::natural_cmp;

    #[test]
    fn natural_order() {
        let mut v = vec!["第十网格", "第二网格", "第一网格", "10号楼", "2号楼"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            vec!["2号楼", "10号楼", "第一网格", "第二网格", "第十网格"]
        );
    }
}
