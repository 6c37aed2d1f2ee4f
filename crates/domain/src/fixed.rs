//! Fixed-point helpers shared by money (fen) and scores (hundredths of a point): nothing is ever
//! kept as a float.

use serde::Deserialize;

/// A value as JSON or TOML may carry it: a whole number, a float, or text. Floats are only ever
/// re-read through their decimal text.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum NumberOrText {
    Int(i64),
    Float(f64),
    Text(String),
}

/// An integer count of hundredths as "123.45" (with a leading "-" when negative).
pub fn hundredths_string(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hundredths_print_with_two_places() {
        assert_eq!(super::hundredths_string(15_000_000), "150000.00");
        assert_eq!(super::hundredths_string(-150), "-1.50");
        assert_eq!(super::hundredths_string(5), "0.05");
    }
}
