//! Answers kept by their ETag. A tag is made from the request and the business's feed
//! cursor and settings version, so a kept answer is exactly what the handler would say
//! now: any change to the business moves the cursor and every tag with it, and stale
//! entries are simply never asked for again. Bounded; when full it starts over.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// Bodies larger than this are not kept (a page of 100 products with facets is ~60 KB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug)]
pub struct AnswerCache {
    capacity: usize,
    entries: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug, Clone)]
pub struct Kept {
    pub content_type: String,
    pub body: Bytes,
}

impl AnswerCache {
    /// Keeps up to `capacity` answers; 0 keeps none.
    pub fn new(capacity: usize) -> AnswerCache {
        AnswerCache {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    pub fn get(&self, tag: &str) -> Option<Kept> {
        if !self.enabled() {
            return None;
        }
        self.lock().get(tag).cloned()
    }

    pub fn put(&self, tag: String, kept: Kept) {
        if !self.enabled() || kept.body.len() > MAX_BODY_BYTES {
            return;
        }
        let mut entries = self.lock();
        // Most entries of a full cache are of cursors gone by; starting over is simpler
        // than tracking use, and costs one miss per page still asked for.
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(tag, kept);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn kept(body: &'static str) -> Kept {
        Kept {
            content_type: "application/json".into(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn keeps_by_tag_up_to_its_capacity() {
        let cache = AnswerCache::new(2);
        cache.put("a".into(), kept("1"));
        cache.put("b".into(), kept("2"));
        assert_eq!(cache.get("a").unwrap().body, "1");
        cache.put("c".into(), kept("3"));
        assert!(cache.get("a").is_none(), "full: started over");
        assert_eq!(cache.get("c").unwrap().body, "3");
        let off = AnswerCache::new(0);
        off.put("a".into(), kept("1"));
        assert!(off.get("a").is_none());
    }
}
