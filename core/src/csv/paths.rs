//! Categories written as paths from the top of the tree, "Clothing > Sarees", the way
//! a person reads them in a spreadsheet cell.

use std::collections::HashMap;

use uuid::Uuid;

use crate::catalog::Category;

const SEPARATOR: &str = " > ";

/// Every category's path, archived ones included: a product may still sit in an
/// archived category, and its export must import again unchanged.
#[derive(Debug, Clone, Default)]
pub struct CategoryPaths {
    paths: HashMap<Uuid, Path>,
    by_key: HashMap<String, Vec<Uuid>>,
}

#[derive(Debug, Clone)]
struct Path {
    text: String,
    active: bool,
}

/// What a typed path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Active(Uuid),
    /// Only an archived category has this path.
    Archived(Uuid),
    Unknown,
}

impl CategoryPaths {
    /// From every category with whether it is active.
    pub fn new(categories: impl IntoIterator<Item = (Category, bool)>) -> CategoryPaths {
        let all: HashMap<Uuid, (Category, bool)> = categories
            .into_iter()
            .map(|(c, active)| (c.id, (c, active)))
            .collect();
        let mut paths = HashMap::new();
        let mut by_key: HashMap<String, Vec<Uuid>> = HashMap::new();
        for (id, (category, active)) in &all {
            let mut names = vec![category.name.as_str()];
            let mut parent = category.parent_id;
            // The store refuses loops; a bound keeps a damaged file from hanging here.
            while let Some(p) = parent.filter(|_| names.len() <= all.len()) {
                let Some((above, _)) = all.get(&p) else {
                    break;
                };
                names.push(above.name.as_str());
                parent = above.parent_id;
            }
            names.reverse();
            let text = names.join(SEPARATOR);
            by_key.entry(key(&text)).or_default().push(*id);
            paths.insert(
                *id,
                Path {
                    text,
                    active: *active,
                },
            );
        }
        CategoryPaths { paths, by_key }
    }

    pub fn path(&self, id: Uuid) -> Option<&str> {
        self.paths.get(&id).map(|p| p.text.as_str())
    }

    pub fn is_active(&self, id: Uuid) -> bool {
        self.paths.get(&id).is_some_and(|p| p.active)
    }

    /// Case and the spaces around `>` do not matter. An active category wins over an
    /// archived one of the same path.
    pub fn resolve(&self, text: &str) -> Resolved {
        let Some(ids) = self.by_key.get(&key(text)) else {
            return Resolved::Unknown;
        };
        let mut ids = ids.clone();
        ids.sort();
        if let Some(id) = ids.iter().find(|id| self.is_active(**id)) {
            return Resolved::Active(*id);
        }
        ids.first()
            .map_or(Resolved::Unknown, |id| Resolved::Archived(*id))
    }

    /// Active paths ending in the same name as `text`, to suggest when `text` names
    /// no category ("Sarees" for "Clothing > Sarees").
    pub fn similar(&self, text: &str) -> Vec<&str> {
        let wanted = key(text);
        let last = wanted.rsplit(SEPARATOR).next().unwrap_or_default();
        let mut found: Vec<&str> = self
            .paths
            .values()
            .filter(|p| p.active)
            .filter(|p| key(&p.text).rsplit(SEPARATOR).next() == Some(last))
            .map(|p| p.text.as_str())
            .collect();
        found.sort_unstable();
        found.truncate(3);
        found
    }
}

/// The form paths are compared in: case and the spaces around `>` do not matter.
pub(super) fn key(text: &str) -> String {
    text.split('>')
        .map(|part| {
            part.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}
