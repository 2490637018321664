//! Per-field merge of records (SYNC.md rule 5): each field keeps the value with the
//! largest clock stamp. Stamps are fixed-width strings, so comparing them as strings
//! orders them by wall clock, then counter, then device. Pure, so the rule can be
//! tested on its own; `push` reads and writes the rows.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A record's state: its fields and the stamp of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordState {
    pub data: Map<String, Value>,
    pub clocks: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// At least one field took the entry's value.
    Changed,
    /// Every field already holds exactly this write (same stamp): a copy of an entry
    /// applied before.
    AlreadyThere,
    /// Every field holds a later write than this one; the record stays as it is.
    Superseded,
}

/// Merges `fields`, written at `stamp`, into `state`.
pub fn merge(state: &mut RecordState, fields: &Map<String, Value>, stamp: &str) -> Merge {
    let mut changed = false;
    let mut all_same = true;
    for (field, value) in fields {
        let newer = match state.clocks.get(field) {
            None => true,
            Some(current) => {
                if current.as_str() != stamp {
                    all_same = false;
                }
                current.as_str() < stamp
            }
        };
        if newer {
            state.data.insert(field.clone(), value.clone());
            state.clocks.insert(field.clone(), stamp.to_owned());
            changed = true;
        }
    }
    if changed {
        Merge::Changed
    } else if all_same {
        Merge::AlreadyThere
    } else {
        Merge::Superseded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    const EARLY: &str = "001763700000000-0000000000-00000000000000000000000000000001";
    const LATE: &str = "001763700000001-0000000000-00000000000000000000000000000001";
    const LATE_OTHER_DEVICE: &str = "001763700000001-0000000000-00000000000000000000000000000002";

    #[test]
    fn different_fields_both_survive() {
        let mut state = RecordState::default();
        assert_eq!(
            merge(&mut state, &fields(json!({"name": "Shirt"})), EARLY),
            Merge::Changed
        );
        assert_eq!(
            merge(&mut state, &fields(json!({"sku": "S-1"})), LATE),
            Merge::Changed
        );
        assert_eq!(state.data, fields(json!({"name": "Shirt", "sku": "S-1"})));
    }

    #[test]
    fn the_larger_stamp_wins_whatever_the_order() {
        let writes = [
            (json!({"price_minor": 100}), EARLY),
            (json!({"price_minor": 200}), LATE),
            (json!({"price_minor": 300}), LATE_OTHER_DEVICE),
        ];
        let orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]];
        for order in orders {
            let mut state = RecordState::default();
            for i in order {
                let (value, stamp) = &writes[i];
                merge(&mut state, &fields(value.clone()), stamp);
            }
            assert_eq!(state.data["price_minor"], json!(300), "{order:?}");
            assert_eq!(state.clocks["price_minor"], LATE_OTHER_DEVICE);
        }
    }

    #[test]
    fn replays_and_stale_writes_change_nothing() {
        let mut state = RecordState::default();
        let write = fields(json!({"name": "A", "status": "active"}));
        merge(&mut state, &write, LATE);
        let before = state.clone();
        assert_eq!(merge(&mut state, &write, LATE), Merge::AlreadyThere);
        assert_eq!(
            merge(&mut state, &fields(json!({"name": "old"})), EARLY),
            Merge::Superseded
        );
        assert_eq!(state, before);
    }
}
