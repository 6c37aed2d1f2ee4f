//! A score in exact hundredths of a point (0.01). Reviewers type "17", "17.5" or "17.25".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A score as an integer number of hundredths of a point: `Score(1750)` is 17.50 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Score(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("分数格式不正确：“{0}”（应为不小于0、最多两位小数的数字）")]
pub struct ScoreParseError(pub String);

impl Score {
    pub const ZERO: Score = Score(0);

    /// Whole points: `Score::points(20)` is 20.00.
    pub const fn points(points: i64) -> Score {
        Score(points * 100)
    }

    /// The value in hundredths of a point.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Parse "17", "17.5", "17.25" (surrounding spaces ignored). A sign, more than two decimals,
    /// full-width digits or anything but ASCII digits and one point is refused.
    pub fn parse(input: &str) -> Result<Score, ScoreParseError> {
        let s = input.trim();
        let err = || ScoreParseError(input.to_string());
        let (int_part, frac_part) = s.split_once('.').unwrap_or((s, ""));
        if int_part.is_empty() || frac_part.len() > 2 || (s.contains('.') && frac_part.is_empty()) {
            return Err(err());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let int: i64 = int_part.parse().map_err(|_| err())?;
        let mut frac: i64 = frac_part.parse().unwrap_or(0);
        if frac_part.len() == 1 {
            frac *= 10;
        }
        int.checked_mul(100).and_then(|v| v.checked_add(frac)).map(Score).ok_or_else(err)
    }

    /// Exact ten-thousandths rounded half up to hundredths (see [`div_round_half_up`]).
    pub fn from_ten_thousandths(value: i128) -> Score {
        Score(div_round_half_up(value, 100))
    }
}

/// `num / den` rounded half up (away from zero for the non-negative values used here).
/// `den` must be positive. The result saturates at the bounds of `i64`.
pub fn div_round_half_up(num: i128, den: i128) -> i64 {
    debug_assert!(den > 0);
    // Adding floor(den/2) before the integer division rounds an exact half up; an odd `den`
    // has no exact half, so that case is plain rounding to nearest.
    let q = if num >= 0 { (num + den / 2) / den } else { -((-num + den / 2) / den) };
    i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN })
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::fixed::hundredths_string(self.0))
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Score {
    /// Accepts whole points (`20`), a decimal string (`"17.5"`), or a JSON/TOML number with at most
    /// two decimals (`17.5`), which is read through its shortest decimal text, never kept as f64.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use crate::fixed::NumberOrText;
        match NumberOrText::deserialize(d)? {
            NumberOrText::Int(points) if points >= 0 => Ok(Score::points(points)),
            NumberOrText::Int(points) => Err(serde::de::Error::custom(ScoreParseError(points.to_string()))),
            NumberOrText::Float(v) => Score::parse(&format!("{v}")).map_err(serde::de::Error::custom),
            NumberOrText::Text(t) => Score::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}
