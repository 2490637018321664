//! Integer division with the shop's rounding rule, and exact shares of an amount.
//! Everything is i128 so that amount × rate × quantity cannot overflow.

/// How a fraction of a minor unit is settled (MONEY.md: a setting, since
/// jurisdictions and accountants differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingMode {
    /// 0.5 paise goes up (away from zero).
    #[default]
    HalfUp,
    /// 0.5 paise goes to the even neighbour (banker's rounding).
    HalfEven,
    /// Fractions are dropped (towards zero).
    Down,
}

impl RoundingMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
            RoundingMode::Down => "down",
        }
    }

    pub fn parse(text: &str) -> Option<RoundingMode> {
        match text {
            "half_up" => Some(RoundingMode::HalfUp),
            "half_even" => Some(RoundingMode::HalfEven),
            "down" => Some(RoundingMode::Down),
            _ => None,
        }
    }
}

/// `num / den` rounded by `mode`; negative values round symmetrically to positive ones.
/// `den` must be positive.
pub fn divide(num: i128, den: i128, mode: RoundingMode) -> i128 {
    debug_assert!(den > 0);
    let magnitude = num.unsigned_abs();
    let den_u = den.unsigned_abs();
    let quotient = magnitude / den_u;
    let remainder = magnitude % den_u;
    let twice = remainder * 2;
    let up = match mode {
        RoundingMode::Down => false,
        RoundingMode::HalfUp => twice >= den_u,
        RoundingMode::HalfEven => twice > den_u || (twice == den_u && quotient % 2 == 1),
    };
    let rounded = (quotient + u128::from(up)) as i128;
    if num < 0 {
        -rounded
    } else {
        rounded
    }
}

/// Clamps an i128 amount into i64; amounts that large are refused earlier by the cart
/// limits, so this only guards against a wrap.
pub fn to_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// Splits `target` minor units over parts whose exact values are `num_i / den_i`
/// (all non-negative), so that the parts add up to `target` exactly: each part gets
/// its floor, then the units left over go one each to the parts with the largest
/// fractional remainders, ties to the earliest part. The same inputs give the same
/// split on every machine (MONEY.md).
pub fn allocate(target: i128, exact: &[(i128, i128)]) -> Vec<i128> {
    let mut parts: Vec<i128> = exact.iter().map(|(n, d)| n.div_euclid(*d)).collect();
    let mut left = target - parts.iter().sum::<i128>();
    if exact.is_empty() {
        return parts;
    }
    // Order by remainder fraction, largest first, ties by position.
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, da) = exact[a];
        let (nb, db) = exact[b];
        let ra = na.rem_euclid(da);
        let rb = nb.rem_euclid(db);
        // ra/da vs rb/db without division.
        (rb * da).cmp(&(ra * db)).then(a.cmp(&b))
    });
    while left > 0 {
        for &i in &order {
            if left == 0 {
                break;
            }
            parts[i] += 1;
            left -= 1;
        }
    }
    // The target is below the floors (only a caller's rounding-down could do that):
    // take units back from the smallest remainders first, never below zero.
    while left < 0 {
        let mut took = false;
        for &i in order.iter().rev() {
            if left == 0 {
                break;
            }
            if parts[i] > 0 {
                parts[i] -= 1;
                left += 1;
                took = true;
            }
        }
        if !took {
            break;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn divide_rounds_by_mode() {
        use RoundingMode::*;
        assert_eq!(divide(25, 10, HalfUp), 3);
        assert_eq!(divide(25, 10, HalfEven), 2);
        assert_eq!(divide(35, 10, HalfEven), 4);
        assert_eq!(divide(29, 10, Down), 2);
        assert_eq!(divide(-25, 10, HalfUp), -3);
        assert_eq!(divide(-29, 10, Down), -2);
        assert_eq!(divide(24, 10, HalfUp), 2);
    }

    #[test]
    fn allocate_adds_up_and_is_deterministic() {
        // 100 over three equal parts: 34, 33, 33 (the first takes the extra unit).
        let parts = allocate(100, &[(100, 3), (100, 3), (100, 3)]);
        assert_eq!(parts, vec![34, 33, 33]);
        let parts = allocate(10, &[(7, 2), (13, 2)]);
        assert_eq!(parts.iter().sum::<i128>(), 10);
        assert_eq!(parts, vec![4, 6]);
    }

    #[test]
    fn allocate_takes_back_when_the_target_is_below_the_floors() {
        let parts = allocate(3, &[(20, 10), (20, 10)]);
        assert_eq!(parts.iter().sum::<i128>(), 3);
    }
}
