//! Identifiers that validate: USCC (GB 32100-2015), resident ID (GB 11643-1999), phone.
//!
//! Every constructor normalises its input first (whitespace removed, letters upper-cased)
//! and refuses anything that does not follow the standard, with a Chinese reason that can
//! be shown to the user as is.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{field}：{reason}")]
    Invalid { field: &'static str, reason: String },
}

/// Remove every whitespace character (ASCII and full-width) and upper-case ASCII letters.
fn normalize(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

// ---------------------------------------------------------------------------------------
// 统一社会信用代码
// ---------------------------------------------------------------------------------------

const USCC_FIELD: &str = "统一社会信用代码";
/// The 31 characters of GB 32100-2015 in value order (no I, O, S, V, Z).
const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn uscc_value(c: char) -> Option<u32> {
    USCC_CHARSET.chars().position(|x| x == c).and_then(|p| u32::try_from(p).ok())
}

fn uscc_err(reason: String) -> IdError {
    IdError::Invalid { field: USCC_FIELD, reason }
}

/// Checks positions 1–17 (1-based `pos`) of a normalised code; returns the character value.
fn uscc_check_position(pos: usize, c: char) -> Result<u32, IdError> {
    let illegal = |what: &str| uscc_err(format!("第{pos}位字符“{c}”不合法（{what}）"));
    let value = uscc_value(c).ok_or_else(|| illegal("只能使用数字和除I、O、S、V、Z以外的大写字母"))?;
    match pos {
        1 if c == '0' => Err(illegal("第1位为登记管理部门代码，不能为0")),
        3..=8 if !c.is_ascii_digit() => Err(illegal("第3—8位为登记管理机关行政区划码，应为数字")),
        _ => Ok(value),
    }
}

/// 统一社会信用代码, 18 characters with a check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    pub fn parse(s: &str) -> Result<Uscc, IdError> {
        let code = normalize(s);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(uscc_err(format!("应为18位，实际{}位", chars.len())));
        }
        let mut sum = 0u32;
        for (i, (&c, w)) in chars.iter().zip(USCC_WEIGHTS).enumerate() {
            sum += uscc_check_position(i + 1, c)? * w;
        }
        let last = chars[17];
        if uscc_value(last).is_none() {
            return Err(uscc_err(format!("第18位字符“{last}”不合法（只能使用数字和除I、O、S、V、Z以外的大写字母）")));
        }
        let expected = uscc_check_from_sum(sum);
        if last != expected {
            return Err(uscc_err(format!("校验位不正确，应为{expected}")));
        }
        Ok(Uscc(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compute the check character of the first 17 characters (for making valid demo codes).
    /// `None` if the input is not 17 characters that are valid at their positions.
    pub fn check_char(first17: &str) -> Option<char> {
        let code = normalize(first17);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 17 {
            return None;
        }
        let mut sum = 0u32;
        for (i, (&c, w)) in chars.iter().zip(USCC_WEIGHTS).enumerate() {
            sum += uscc_check_position(i + 1, c).ok()? * w;
        }
        Some(uscc_check_from_sum(sum))
    }

    /// Position 1: 登记管理部门代码 (e.g. '5' 民政, '9' 市场监管/工商).
    pub fn registration_authority(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }

    /// Positions 1–2: 登记管理部门代码 + 机构类别代码, e.g. "51" 社会团体, "52" 民办非企业单位
    /// (社会服务机构), "53" 基金会, "91" 企业.
    pub fn kind_code(&self) -> &str {
        self.0.get(0..2).unwrap_or("")
    }

    /// Positions 3–8: 登记管理机关行政区划码.
    pub fn area_code(&self) -> &str {
        self.0.get(2..8).unwrap_or("")
    }
}

fn uscc_check_from_sum(sum: u32) -> char {
    let v = (31 - sum % 31) % 31;
    // v is in 0..31, so the index is always valid.
    USCC_CHARSET.chars().nth(v as usize).unwrap_or('0')
}

impl TryFrom<String> for Uscc {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}
impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}
impl FromStr for Uscc {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s)
    }
}
impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------
// 公民身份号码
// ---------------------------------------------------------------------------------------

const RID_FIELD: &str = "公民身份号码";
const RID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

fn rid_err(reason: String) -> IdError {
    IdError::Invalid { field: RID_FIELD, reason }
}

/// Birth date of a normalised 18-character id (positions 7–14), if it is a real date.
fn rid_birth(code: &str) -> Option<NaiveDate> {
    let y: i32 = code.get(6..10)?.parse().ok()?;
    let m: u32 = code.get(10..12)?.parse().ok()?;
    let d: u32 = code.get(12..14)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// 男 / 女
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// 公民身份号码, 18 characters, check digit per GB 11643-1999.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    pub fn parse(s: &str) -> Result<ResidentId, IdError> {
        let code = normalize(s);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(rid_err(format!("应为18位，实际{}位", chars.len())));
        }
        let mut sum = 0u32;
        for (i, (&c, w)) in chars.iter().zip(RID_WEIGHTS).enumerate() {
            let digit =
                c.to_digit(10).ok_or_else(|| rid_err(format!("第{}位字符“{c}”不合法（前17位应为数字）", i + 1)))?;
            sum += digit * w;
        }
        let last = chars[17];
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(rid_err(format!("第18位字符“{last}”不合法（应为数字或X）")));
        }
        if rid_birth(&code).is_none() {
            let raw = code.get(6..14).unwrap_or("");
            return Err(rid_err(format!("第7—14位出生日期“{raw}”不是有效日期")));
        }
        let expected = RID_CHECK[(sum % 11) as usize];
        if last != expected {
            return Err(rid_err(format!("校验位不正确，应为{expected}")));
        }
        Ok(ResidentId(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        // Validated in `parse`; the fallback is unreachable.
        rid_birth(&self.0).unwrap_or_default()
    }

    /// Position 17: odd = male, even = female.
    pub fn gender(&self) -> Gender {
        match self.0.chars().nth(16).and_then(|c| c.to_digit(10)) {
            Some(d) if d % 2 == 1 => Gender::Male,
            _ => Gender::Female,
        }
    }

    /// Positions 1–6: 常住户口所在县（市、旗、区）的行政区划代码.
    pub fn area_code(&self) -> &str {
        self.0.get(0..6).unwrap_or("")
    }

    /// Full years of age on `on` (0 if `on` is before the birth date).
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        let birth = self.birth_date();
        let mut age = on.year() - birth.year();
        if (on.month(), on.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        u32::try_from(age).unwrap_or(0)
    }

    /// 3301**********1234
    pub fn masked(&self) -> String {
        let head = self.0.get(0..4).unwrap_or("");
        let tail = self.0.get(14..18).unwrap_or("");
        format!("{head}**********{tail}")
    }
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResidentId::parse(s)
    }
}

// ---------------------------------------------------------------------------------------
// 联系电话
// ---------------------------------------------------------------------------------------

const PHONE_FIELD: &str = "联系电话";

fn phone_err(reason: impl Into<String>) -> IdError {
    IdError::Invalid { field: PHONE_FIELD, reason: reason.into() }
}

fn is_mobile_digits(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// Length of the area code a landline starting with `0` uses: 010 and 02X are three
/// digits, every other area code is four.
fn area_code_len(d: &str) -> usize {
    match d.as_bytes().get(1) {
        Some(b'1') | Some(b'2') => 3,
        _ => 4,
    }
}

/// A mainland mobile or landline number.
///
/// Canonical stored forms: mobile `13812345678`; landline `0571-88888888`,
/// `010-12345678`, with extension `010-12345678-123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, IdError> {
        let mut raw: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if raw.is_empty() {
            return Err(phone_err("不能为空"));
        }
        // Country code.
        let mut had_country_code = false;
        for prefix in ["+86", "＋86", "0086"] {
            if let Some(rest) = raw.strip_prefix(prefix) {
                raw = rest.trim_start_matches(['-', '－']).to_string();
                had_country_code = true;
                break;
            }
        }
        // Digits, remembering where separators stood (as offsets into the digit string).
        let mut digits = String::new();
        let mut seps: Vec<usize> = Vec::new();
        for c in raw.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | '－' | '—' | '(' | ')' | '（' | '）' => seps.push(digits.len()),
                _ => {
                    return Err(phone_err(format!("字符“{c}”不合法，只能填写数字和“-”")));
                }
            }
        }
        if digits.is_empty() {
            return Err(phone_err("未填写号码"));
        }
        if had_country_code && !digits.starts_with('1') && !digits.starts_with('0') {
            // +86 571 88888888: the trunk prefix 0 is dropped after the country code.
            digits.insert(0, '0');
            for p in &mut seps {
                *p += 1;
            }
        }
        if digits.starts_with('1') {
            if is_mobile_digits(&digits) {
                return Ok(Phone(digits));
            }
            return Err(phone_err(format!("手机号码应为以13—19开头的11位数字，实际为{}位“{digits}”", digits.len())));
        }
        if !digits.starts_with('0') {
            return Err(phone_err("固定电话请填写区号，如 0571-88888888；手机号码应为11位"));
        }
        let a = area_code_len(&digits);
        let (area, rest) = digits.split_at(a.min(digits.len()));
        // Three-digit area codes are 010 and 02X only.
        if area.len() < a || area.starts_with("00") || (a == 3 && area.starts_with("01") && area != "010") {
            return Err(phone_err(format!("区号“{area}”不正确")));
        }
        let (local, ext) = if (7..=8).contains(&rest.len()) {
            (rest, "")
        } else {
            // An extension is accepted only after a separator: 010-12345678-123.
            let split = seps
                .iter()
                .copied()
                .filter(|&p| p > a)
                .map(|p| p - a)
                .find(|&l| (7..=8).contains(&l) && (1..=6).contains(&(rest.len() - l.min(rest.len()))));
            match split {
                Some(l) => rest.split_at(l),
                None => {
                    return Err(phone_err(format!(
                        "固定电话号码（不含区号）应为7或8位，分机号请用“-”隔开，如 {area}-12345678-123"
                    )));
                }
            }
        };
        if local.starts_with('0') {
            return Err(phone_err(format!("固定电话号码“{local}”不应以0开头，区号只填一次")));
        }
        let canonical = if ext.is_empty() { format!("{area}-{local}") } else { format!("{area}-{local}-{ext}") };
        Ok(Phone(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a mobile number, false for a landline.
    pub fn is_mobile(&self) -> bool {
        is_mobile_digits(&self.0)
    }

    /// 138****5678; landline 0571-******88 (area code and last 2 digits; extension hidden).
    pub fn masked(&self) -> String {
        if self.is_mobile() {
            let head = self.0.get(0..3).unwrap_or("");
            let tail = self.0.get(7..11).unwrap_or("");
            return format!("{head}****{tail}");
        }
        let mut parts = self.0.split('-');
        let area = parts.next().unwrap_or("");
        let local = parts.next().unwrap_or("");
        let keep = local.len().saturating_sub(2);
        let tail = local.get(keep..).unwrap_or("");
        format!("{area}-{}{tail}", "*".repeat(keep))
    }
}

impl FromStr for Phone {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}
impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn reason(e: IdError) -> String {
        match e {
            IdError::Invalid { reason, .. } => reason,
        }
    }

    // --- USCC ---

    #[test]
    fn uscc_real_codes_are_valid() {
        for code in [
            "91350100M000100Y43",
            "9144030071526726XG",
            "914403001922038216",
            "91330100716105852F",
            "91110000802100433B",
            "53100000500021676K",
        ] {
            let u = Uscc::parse(code).unwrap();
            assert_eq!(u.as_str(), code);
        }
    }

    #[test]
    fn uscc_normalises_case_and_spaces() {
        let u = Uscc::parse("  91350100m000100y43 ").unwrap();
        assert_eq!(u.as_str(), "91350100M000100Y43");
        assert_eq!(u.kind_code(), "91");
        assert_eq!(u.area_code(), "350100");
        assert_eq!(u.registration_authority(), '9');
        assert_eq!(u.to_string(), "91350100M000100Y43");
    }

    #[test]
    fn uscc_check_char() {
        assert_eq!(Uscc::check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(Uscc::check_char("9144030071526726X"), Some('G'));
        assert_eq!(Uscc::check_char("91440300192203821"), Some('6'));
        assert_eq!(Uscc::check_char("91350100M000100Y"), None); // 16 chars
        assert_eq!(Uscc::check_char("91350100M000100I4"), None); // I not allowed
        // A made-up 民非 code built with check_char parses.
        let first = "52330106MJ0000001";
        let c = Uscc::check_char(first).unwrap();
        assert!(Uscc::parse(&format!("{first}{c}")).is_ok());
    }

    #[test]
    fn uscc_errors() {
        let e = Uscc::parse("91350100M000100Y4").unwrap_err();
        assert_eq!(e.to_string(), "统一社会信用代码：应为18位，实际17位");
        assert_eq!(reason(Uscc::parse("91350100M000100Y433").unwrap_err()), "应为18位，实际19位");
        // Corrupted check char.
        assert_eq!(reason(Uscc::parse("91350100M000100Y44").unwrap_err()), "校验位不正确，应为3");
        assert_eq!(reason(Uscc::parse("9144030071526726XH").unwrap_err()), "校验位不正确，应为G");
        // One transposed digit in the body.
        assert!(reason(Uscc::parse("91350100M000010Y43").unwrap_err()).starts_with("校验位不正确"));
        // Forbidden letters.
        let r = reason(Uscc::parse("91350100M0001O0Y43").unwrap_err());
        assert!(r.starts_with("第14位字符“O”不合法"), "{r}");
        let r = reason(Uscc::parse("9135010OM000100Y43").unwrap_err());
        assert!(r.starts_with("第8位字符“O”不合法"), "{r}");
        // Letter in the area code.
        let r = reason(Uscc::parse("9135A100M000100Y43").unwrap_err());
        assert!(r.starts_with("第5位字符“A”不合法") && r.contains("行政区划码"), "{r}");
        // Registration authority 0.
        let r = reason(Uscc::parse("01350100M000100Y43").unwrap_err());
        assert!(r.starts_with("第1位字符“0”不合法"), "{r}");
        // Illegal check char.
        let r = reason(Uscc::parse("91350100M000100Y4Z").unwrap_err());
        assert!(r.starts_with("第18位字符“Z”不合法"), "{r}");
        let r = reason(Uscc::parse("91350100M000100Y4*").unwrap_err());
        assert!(r.starts_with("第18位字符“*”不合法"), "{r}");
        assert_eq!(reason(Uscc::parse("").unwrap_err()), "应为18位，实际0位");
    }

    #[test]
    fn uscc_serde_validates() {
        let u: Uscc = serde_json::from_str("\"91350100m000100y43\"").unwrap();
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"91350100M000100Y43\"");
        assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").is_err());
    }

    // --- Resident ID ---

    #[test]
    fn resident_id_standard_examples() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.gender(), Gender::Female); // 17th digit 2
        assert_eq!(id.area_code(), "110105");
        assert_eq!(id.masked(), "1101**********002X");

        let id = ResidentId::parse("440524188001010014").unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1880, 1, 1).unwrap());
        assert_eq!(id.gender(), Gender::Male); // 17th digit 1
        assert_eq!(id.masked(), "4405**********0014");
    }

    #[test]
    fn resident_id_lowercase_x_and_age() {
        let id = ResidentId::parse(" 11010119900307803x ").unwrap();
        assert_eq!(id.as_str(), "11010119900307803X");
        assert_eq!(id.gender(), Gender::Male); // 17th digit 3
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(2024, 3, 6).unwrap()), 33);
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(2024, 3, 7).unwrap()), 34);
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()), 0);
    }

    #[test]
    fn resident_id_errors() {
        assert_eq!(ResidentId::parse("1101051949123100").unwrap_err().to_string(), "公民身份号码：应为18位，实际16位");
        assert_eq!(reason(ResidentId::parse("110105194912310021").unwrap_err()), "校验位不正确，应为X");
        assert_eq!(reason(ResidentId::parse("440524188001010015").unwrap_err()), "校验位不正确，应为4");
        let r = reason(ResidentId::parse("1101051949123100AX").unwrap_err());
        assert!(r.starts_with("第17位字符“A”不合法"), "{r}");
        let r = reason(ResidentId::parse("11010519491231002Y").unwrap_err());
        assert!(r.starts_with("第18位字符“Y”不合法"), "{r}");
        // 1949-02-30 does not exist (the check digit is irrelevant: the date is checked first).
        let r = reason(ResidentId::parse("110105194902300021").unwrap_err());
        assert_eq!(r, "第7—14位出生日期“19490230”不是有效日期");
        let r = reason(ResidentId::parse("110105194913310021").unwrap_err());
        assert!(r.contains("19491331"), "{r}");
    }

    // --- Phone ---

    #[test]
    fn phone_mobile() {
        for input in ["13812345678", " 138 1234 5678 ", "138-1234-5678", "+86 138 1234 5678", "008613812345678"] {
            let p = Phone::parse(input).unwrap();
            assert_eq!(p.as_str(), "13812345678", "{input}");
            assert!(p.is_mobile());
            assert_eq!(p.masked(), "138****5678");
        }
        assert_eq!(Phone::parse("19912345678").unwrap().as_str(), "19912345678");
    }

    #[test]
    fn phone_landline() {
        let cases = [
            ("0571-88888888", "0571-88888888", "0571-******88"),
            ("057188888888", "0571-88888888", "0571-******88"),
            ("(0571)88888888", "0571-88888888", "0571-******88"),
            ("0571 8888 8888", "0571-88888888", "0571-******88"),
            ("010-12345678-123", "010-12345678-123", "010-******78"),
            ("01012345678", "010-12345678", "010-******78"),
            ("020-87654321", "020-87654321", "020-******21"),
            ("0898-6123456", "0898-6123456", "0898-*****56"),
            ("08986123456", "0898-6123456", "0898-*****56"),
            ("+86 571 88888888", "0571-88888888", "0571-******88"),
        ];
        for (input, canonical, masked) in cases {
            let p = Phone::parse(input).unwrap();
            assert_eq!(p.as_str(), canonical, "{input}");
            assert!(!p.is_mobile());
            assert_eq!(p.masked(), masked, "{input}");
        }
    }

    #[test]
    fn phone_errors() {
        assert!(reason(Phone::parse("1381234567").unwrap_err()).starts_with("手机号码应为"));
        assert!(reason(Phone::parse("12812345678").unwrap_err()).starts_with("手机号码应为"));
        assert!(reason(Phone::parse("138123456789").unwrap_err()).starts_with("手机号码应为"));
        assert!(reason(Phone::parse("88888888").unwrap_err()).contains("区号"));
        assert!(reason(Phone::parse("0571-888888").unwrap_err()).contains("7或8位"));
        // Extension without a separator is ambiguous.
        assert!(reason(Phone::parse("01012345678123").unwrap_err()).contains("分机号"));
        assert!(reason(Phone::parse("0571-08888888").unwrap_err()).contains("不应以0开头"));
        assert_eq!(reason(Phone::parse("0138888888").unwrap_err()), "区号“013”不正确");
        assert!(reason(Phone::parse("138x1234567").unwrap_err()).contains("“x”不合法"));
        assert_eq!(Phone::parse("  ").unwrap_err().to_string(), "联系电话：不能为空");
    }
}
