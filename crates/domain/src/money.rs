//! Money kept exact as integer fen (分). The API speaks decimal yuan strings ("150000.00");
//! screens speak 万元 where the documents do.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::fixed::{NumberOrText, hundredths_string};

/// An amount in fen (1 yuan = 100 fen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("金额格式不正确：{0}")]
pub struct MoneyError(pub String);

impl Fen {
    pub const fn from_yuan(yuan: i64) -> Self {
        Fen(yuan * 100)
    }

    pub const fn from_wan(wan: i64) -> Self {
        Fen(wan * 1_000_000)
    }

    /// Parse "150000", "150000.5", "150000.00", "15万", "15万元", "1.5万", "150000元".
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
        let err = || MoneyError(input.to_string());
        let (number, scale_fen): (&str, i64) = if let Some(n) = s.strip_suffix("万元") {
            (n, 1_000_000)
        } else if let Some(n) = s.strip_suffix('万') {
            (n, 1_000_000)
        } else if let Some(n) = s.strip_suffix('元') {
            (n, 100)
        } else {
            (s.as_str(), 100)
        };
        if number.is_empty() {
            return Err(err());
        }
        let negative = number.starts_with('-');
        let number = number.trim_start_matches('-');
        let (int_part, frac_part) = match number.split_once('.') {
            Some((i, f)) => (i, f),
            None => (number, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(err());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        // digits allowed after the point: 2 for yuan, 6 for 万
        let max_frac = if scale_fen == 100 { 2 } else { 6 };
        if frac_part.len() > max_frac {
            return Err(err());
        }
        let int: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| err())? };
        let mut frac: i64 = 0;
        let mut frac_scale = scale_fen;
        for c in frac_part.chars() {
            frac_scale /= 10;
            frac += i64::from(c.to_digit(10).unwrap_or(0)) * frac_scale;
        }
        let total = int.checked_mul(scale_fen).and_then(|v| v.checked_add(frac)).ok_or_else(err)?;
        Ok(Fen(if negative { -total } else { total }))
    }

    /// Decimal yuan with two places: "150000.00".
    pub fn yuan_string(self) -> String {
        hundredths_string(self.0)
    }

    /// 万元 without trailing zeros: 150000.00 → "15", 5000.00 → "0.5".
    pub fn wan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = abs / 1_000_000;
        let frac = abs % 1_000_000;
        if frac == 0 {
            format!("{sign}{int}")
        } else {
            let f = format!("{frac:06}");
            format!("{sign}{int}.{}", f.trim_end_matches('0'))
        }
    }

    /// Percent of this amount, rounded down to the fen.
    pub fn percent(self, percent: u32) -> Fen {
        Fen(self.0 * i64::from(percent) / 100)
    }

    /// Split into tranches by percents; the last part takes the rounding remainder so the sum is exact.
    pub fn split(self, percents: &[u32]) -> Vec<Fen> {
        let mut parts: Vec<Fen> = percents.iter().map(|p| self.percent(*p)).collect();
        let sum: i64 = parts.iter().map(|f| f.0).sum();
        if let Some(last) = parts.last_mut() {
            let total: u32 = percents.iter().sum();
            if total == 100 {
                last.0 += self.0 - sum;
            }
        }
        parts
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan_string())
    }
}

impl Serialize for Fen {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.yuan_string())
    }
}

impl<'de> Deserialize<'de> for Fen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match NumberOrText::deserialize(d)? {
            NumberOrText::Int(yuan) => Ok(Fen::from_yuan(yuan)),
            NumberOrText::Float(yuan) => Fen::parse(&format!("{yuan:.2}")).map_err(serde::de::Error::custom),
            NumberOrText::Text(t) => Fen::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

/// On the wire an amount is a yuan string, so its schema is written by hand. It keeps the
/// name "Money": "Fen" is how the amount is kept, not what a client sees.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Fen {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "An amount in yuan as a decimal string with two places, e.g. \"150000.00\". Requests also \
                 accept a number of yuan (150000) or the forms documents use (\"15万\", \"15万元\", \"150000元\").",
            ))
            .examples(["150000.00"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Fen {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Money")
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_documents_use() {
        assert_eq!(Fen::parse("15万").unwrap(), Fen::from_yuan(150_000));
        assert_eq!(Fen::parse("15万元").unwrap(), Fen::from_yuan(150_000));
        assert_eq!(Fen::parse("1.5万").unwrap(), Fen::from_yuan(15_000));
        assert_eq!(Fen::parse("150000.00").unwrap(), Fen(15_000_000));
        assert_eq!(Fen::parse("150,000.5").unwrap(), Fen(15_000_050));
        assert_eq!(Fen::parse("120000元").unwrap(), Fen::from_yuan(120_000));
        assert!(Fen::parse("12.345").is_err());
        assert!(Fen::parse("abc").is_err());
        assert!(Fen::parse("").is_err());
    }

    #[test]
    fn formats_yuan_and_wan() {
        assert_eq!(Fen::from_yuan(150_000).yuan_string(), "150000.00");
        assert_eq!(Fen::from_yuan(150_000).wan_string(), "15");
        assert_eq!(Fen::from_yuan(5_000).wan_string(), "0.5");
        assert_eq!(Fen(-150).yuan_string(), "-1.50");
    }

    #[test]
    fn tranche_split_is_exact() {
        let parts = Fen(100_001).split(&[40, 40, 20]);
        assert_eq!(parts.iter().map(|f| f.0).sum::<i64>(), 100_001);
        assert_eq!(
            Fen::from_wan(15).split(&[60, 30, 10]),
            vec![Fen::from_wan(9), Fen::from_yuan(45_000), Fen::from_yuan(15_000)]
        );
    }
}
