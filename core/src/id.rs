//! Ids are made on the device (SYNC.md rule 11): UUIDv7, so they sort by creation
//! time and never need the server to hand them out.

pub use uuid::Uuid;

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Reads an id that arrived from outside (IPC, a file) without trusting it.
pub fn parse_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_increase() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.get_version_num(), 7);
        assert!(a < b, "v7 ids made later must sort later");
        assert_eq!(parse_id(&a.to_string()), Some(a));
        assert_eq!(parse_id("not an id"), None);
    }
}
