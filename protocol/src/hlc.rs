//! Clock stamps as they travel: `WWWWWWWWWWWWWWW-LLLLLLLLLL-DDDD…` (wall milliseconds,
//! 15 digits; logical counter, 10 digits; device id, 32 lower-case hex digits). Being
//! fixed-width, stamps order correctly as plain strings, which is how both sides
//! compare them.

use uuid::Uuid;

const WALL: usize = 15;
const LOGICAL: usize = 10;
const DEVICE: usize = 32;
const LEN: usize = WALL + 1 + LOGICAL + 1 + DEVICE;

fn parts(text: &str) -> Option<(&str, &str, &str)> {
    let bytes = text.as_bytes();
    if !text.is_ascii()
        || bytes.len() != LEN
        || bytes[WALL] != b'-'
        || bytes[WALL + 1 + LOGICAL] != b'-'
    {
        return None;
    }
    let wall = &text[..WALL];
    let logical = &text[WALL + 1..WALL + 1 + LOGICAL];
    let device = &text[WALL + 1 + LOGICAL + 1..];
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let hex = device
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (digits(wall) && digits(logical) && hex).then_some((wall, logical, device))
}

/// The wall-clock part of a well-formed stamp, or `None` for anything else.
pub fn hlc_wall_ms(text: &str) -> Option<u64> {
    let (wall, logical, _) = parts(text)?;
    logical.parse::<u32>().ok()?;
    wall.parse().ok()
}

/// The device that made a well-formed stamp.
pub fn hlc_device(text: &str) -> Option<Uuid> {
    let (_, _, device) = parts(text)?;
    Uuid::parse_str(device).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_well_formed_stamps() {
        let good = "001763700000000-0000000003-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f";
        assert_eq!(hlc_wall_ms(good), Some(1_763_700_000_000));
        assert!(hlc_device(good).is_some());
        for bad in [
            "",
            "1763700000000-3-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
            "001763700000000-0000000003-0194F0E8A1B27C3D8E9F0A1B2C3D4E5F",
            "00176370000000x-0000000003-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
            "001763700000000-9999999999-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
            "001763700000000_0000000003-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
            "001763700000000-0000000003-0194f0e8a1b27c3d8e9f0a1b2c3d4e5é",
            "00176370000000é-000000003-0194f0e8a1b27c3d8e9f0a1b2c3d4e5f",
        ] {
            assert_eq!(hlc_wall_ms(bad), None, "{bad}");
        }
    }
}
