//! The shop's local date and time from a UTC instant and a fixed offset, for tax
//! effective dates, yearly receipt series and the time printed on a receipt.

/// (year, month, day, hour, minute) at `now_ms` shifted by `offset_minutes`.
pub fn local_time(now_ms: u64, offset_minutes: i32) -> (i64, u32, u32, u32, u32) {
    let seconds =
        i64::try_from(now_ms / 1000).unwrap_or(i64::MAX / 2) + i64::from(offset_minutes) * 60;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        (of_day / 3600) as u32,
        ((of_day % 3600) / 60) as u32,
    )
}

/// YYYY-MM-DD, the form tax rates are dated in.
pub fn local_date(now_ms: u64, offset_minutes: i32) -> String {
    let (y, m, d, _, _) = local_time(now_ms, offset_minutes);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "21-11-2026 14:05", as printed on receipts.
pub fn receipt_time(now_ms: u64, offset_minutes: i32) -> String {
    let (y, m, d, h, min) = local_time(now_ms, offset_minutes);
    format!("{d:02}-{m:02}-{y:04} {h:02}:{min:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// "+05:30" → 330 minutes. Offsets run from −12:00 to +14:00.
pub fn parse_offset(text: &str) -> Option<i32> {
    let t = text.trim();
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 {
        return None;
    }
    let minutes = sign * (h * 60 + m);
    (-12 * 60..=14 * 60).contains(&minutes).then_some(minutes)
}

pub fn offset_text(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn local_dates_follow_the_offset() {
        // 2026-11-21T20:00:00Z is already the 22nd in India.
        let ms = 1_795_291_200_000;
        assert_eq!(local_date(ms, 0), "2026-11-21");
        assert_eq!(local_date(ms, 330), "2026-11-22");
        assert_eq!(receipt_time(ms, 330), "22-11-2026 01:30");
        assert_eq!(local_date(0, 0), "1970-01-01");
        assert_eq!(local_date(951_782_400_000, 0), "2000-02-29");
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+05:30"), Some(330));
        assert_eq!(parse_offset("-03:00"), Some(-180));
        assert_eq!(parse_offset("05:30"), None);
        assert_eq!(parse_offset("+15:00"), None);
        assert_eq!(offset_text(330), "+05:30");
        assert_eq!(offset_text(-90), "-01:30");
    }
}
