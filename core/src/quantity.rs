//! Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1e3`): grammar and comparison.

/// A parsed quantity, as an exact-enough number of base units (cores, bytes).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Quantity(pub f64);

/// A quantity as written: `<sign><whole>.<fraction><suffix>`, with what the suffix multiplies by.
struct Written<'a> {
    negative: bool,
    /// The number without its sign, as `f64` parses it.
    number: &'a str,
    whole: &'a str,
    fraction: &'a str,
    suffix: &'a str,
    /// The suffix's factor as a float (decimal factors written out, so `100m` is exactly `0.1`).
    factor: f64,
    /// The suffix's factor exactly: `10^decimal * 1024^binary`.
    decimal: i32,
    binary: u32,
}

/// Split `text` with the grammar of apimachinery's `resource.ParseQuantity`:
/// `<signedNumber><suffix>` where suffix is a binary SI (`Ki`..`Ei`), decimal SI (`n u m "" k M G T P E`)
/// or decimal exponent (`e3`, `E-2`).
fn split(text: &str) -> Result<Written<'_>, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("is empty".into());
    }
    if s != text {
        return Err("has spaces around it".into());
    }
    let split = s
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || ((*c == '+' || *c == '-') && *i == 0)))
        .map_or(s.len(), |(i, _)| i);
    let (signed, suffix) = s.split_at(split);
    let number = signed.trim_start_matches(['+', '-']);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return Err(format!("`{text}` does not start with a number"));
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let (factor, decimal, binary) = match suffix {
        "" => (1.0, 0, 0),
        "n" => (1e-9, -9, 0),
        "u" => (1e-6, -6, 0),
        "m" => (1e-3, -3, 0),
        "k" => (1e3, 3, 0),
        "M" => (1e6, 6, 0),
        "G" => (1e9, 9, 0),
        "T" => (1e12, 12, 0),
        "P" => (1e15, 15, 0),
        "E" => (1e18, 18, 0),
        "Ki" => (1024f64, 0, 1),
        "Mi" => (1024f64.powi(2), 0, 2),
        "Gi" => (1024f64.powi(3), 0, 3),
        "Ti" => (1024f64.powi(4), 0, 4),
        "Pi" => (1024f64.powi(5), 0, 5),
        "Ei" => (1024f64.powi(6), 0, 6),
        exp if exp.starts_with(['e', 'E']) => {
            let e: i32 = exp[1..].parse().map_err(|_| format!("unknown suffix `{suffix}`"))?;
            (10f64.powi(e), e, 0)
        }
        _ => {
            let hint = match suffix.to_ascii_lowercase().as_str() {
                "mb" | "mib" => " (memory is written `128Mi` or `128M`)",
                "gb" | "gib" => " (memory is written `1Gi` or `1G`)",
                "kb" | "kib" => " (memory is written `512Ki` or `512k`)",
                _ => "",
            };
            return Err(format!("unknown suffix `{suffix}`{hint}"));
        }
    };
    Ok(Written { negative: signed.starts_with('-'), number, whole, fraction, suffix, factor, decimal, binary })
}

/// Parse with the grammar of apimachinery's `resource.ParseQuantity` (see [`split`]).
pub fn parse(text: &str) -> Result<Quantity, String> {
    let written = split(text)?;
    let value: f64 = written.number.parse().map_err(|_| format!("`{}` is not a number", written.number))?;
    let value = if written.negative { -value } else { value };
    Ok(Quantity(value * written.factor))
}

/// The suffix of a valid quantity (`Mi` of `128Mi`, `""` of `2`): tells what the writer meant.
pub fn suffix(text: &str) -> Option<&str> {
    split(text).ok().map(|w| w.suffix)
}

/// The exact amount in billionths of the base unit (`100m` is 100_000_000), rounded up like
/// apimachinery rounds anything finer than `1n`. `Err` when it does not fit an `i128`, which no
/// real CPU or memory amount comes near.
pub fn nanos(text: &str) -> Result<i128, String> {
    let written = split(text)?;
    let too_large = || format!("`{text}` is too large");
    let fraction = written.fraction.trim_end_matches('0');
    let digits = format!("{}{}", written.whole, fraction);
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(0);
    }
    let mantissa: i128 = digits.parse().map_err(|_| too_large())?;
    let binary = 1024i128.checked_pow(written.binary).ok_or_else(too_large)?;
    let magnitude = mantissa.checked_mul(binary).ok_or_else(too_large)?;
    // value = mantissa * 10^(decimal - fraction digits) base units = that * 10^9 nanos.
    let exponent = i64::from(written.decimal) - fraction.len() as i64 + 9;
    let magnitude = if exponent >= 0 {
        let scale = u32::try_from(exponent).ok().and_then(|e| 10i128.checked_pow(e)).ok_or_else(too_large)?;
        magnitude.checked_mul(scale).ok_or_else(too_large)?
    } else {
        match u32::try_from(-exponent).ok().and_then(|e| 10i128.checked_pow(e)) {
            // Ceiling division without `magnitude + divisor - 1`, which could overflow.
            Some(divisor) => magnitude / divisor + i128::from(magnitude % divisor != 0),
            // Finer than any i128 power of ten can divide: a positive speck rounds up to 1n.
            None => 1,
        }
    };
    Ok(if written.negative { -magnitude } else { magnitude })
}

/// `nanos` billionths of a base unit written as a decimal number of base units, exactly and
/// without trailing zeros: `2`, `0.512`, `-1.5`. Printed from integers, so sums show no float
/// noise (`100m` + `200m` is `0.3`).
pub fn decimal(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let (whole, fraction) = (nanos.unsigned_abs() / 1_000_000_000, nanos.unsigned_abs() % 1_000_000_000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let fraction = format!("{fraction:09}");
    format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
}

/// Compare two quantities exactly (`0.5` equals `500m`, `1Gi` equals `1024Mi`); `None` when
/// either does not parse. Amounts too large for exact arithmetic are compared as floats.
pub fn compare(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    match (nanos(a), nanos(b)) {
        (Ok(a), Ok(b)) => Some(a.cmp(&b)),
        _ => parse(a).ok()?.0.partial_cmp(&parse(b).ok()?.0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_writes_nanos_exactly_and_briefly() {
        assert_eq!(super::decimal(2_000_000_000), "2");
        assert_eq!(super::decimal(512_000_000), "0.512");
        assert_eq!(super::decimal(-1_500_000_000), "-1.5");
        assert_eq!(super::decimal(1), "0.000000001");
        assert_eq!(super::decimal(0), "0");
        assert_eq!(super::decimal(i128::MIN), "-170141183460469231731687303715.884105728");
        // What the sum of `100m` and `200m` is, where f64 says 0.30000000000000004.
        assert_eq!(super::decimal(super::nanos("100m").unwrap() + super::nanos("200m").unwrap()), "0.3");
    }

    use super::*;

    #[test]
    fn grammar_and_values() {
        assert_eq!(parse("100m").unwrap(), Quantity(0.1));
        assert_eq!(parse("1").unwrap(), Quantity(1.0));
        assert_eq!(parse("128Mi").unwrap(), Quantity(128.0 * 1024.0 * 1024.0));
        assert_eq!(parse("1e3").unwrap(), Quantity(1000.0));
        assert!(parse("0.5Gi").unwrap() > parse("500Mi").unwrap());
        assert!(parse("128MB").unwrap_err().contains("128Mi"));
        assert!(parse("abc").is_err());
        assert!(parse("").is_err());
        assert!(parse(" 1").is_err());
        assert!(parse("1..2").is_err());
    }

    #[test]
    fn negative_numbers_keep_their_sign() {
        assert_eq!(parse("-1").unwrap(), Quantity(-1.0));
        assert_eq!(nanos("-1m").unwrap(), -1_000_000);
    }

    #[test]
    fn nanos_are_exact() {
        assert_eq!(nanos("100m").unwrap(), 100_000_000);
        assert_eq!(nanos("0.1").unwrap(), 100_000_000);
        assert_eq!(nanos("1.50").unwrap(), 1_500_000_000);
        assert_eq!(nanos("128Mi").unwrap(), 128 * 1024 * 1024 * 1_000_000_000);
        assert_eq!(nanos("1e-3").unwrap(), 1_000_000);
        assert_eq!(nanos("0").unwrap(), 0);
        assert_eq!(nanos("0e999").unwrap(), 0);
        // Finer than 1n rounds up, as apimachinery does.
        assert_eq!(nanos("0.0000000001").unwrap(), 1);
        assert_eq!(nanos("1e-99").unwrap(), 1);
        assert!(nanos("1e99").is_err());
        assert!(nanos(&"9".repeat(40)).is_err());
        assert!(nanos("1MB").is_err());
    }

    #[test]
    fn compare_is_exact_across_notations() {
        use std::cmp::Ordering::*;
        assert_eq!(compare("0.5", "500m"), Some(Equal));
        assert_eq!(compare("1.1", "1100m"), Some(Equal));
        assert_eq!(compare("1Gi", "1024Mi"), Some(Equal));
        assert_eq!(compare("1G", "1Gi"), Some(Less));
        assert_eq!(compare("1073741825", "1Gi"), Some(Greater));
        assert_eq!(compare("1e99", "1"), Some(Greater));
        assert_eq!(compare("1x", "1"), None);
    }

    #[test]
    fn suffix_of_valid_quantities() {
        assert_eq!(suffix("128Mi"), Some("Mi"));
        assert_eq!(suffix("2"), Some(""));
        assert_eq!(suffix("500M"), Some("M"));
        assert_eq!(suffix("1MB"), None);
    }

    #[test]
    fn the_largest_mantissa_rounds_without_overflow() {
        let max = i128::MAX.to_string();
        assert_eq!(nanos(&format!("{max}e-10")).unwrap(), i128::MAX / 10 + 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
            let _ = nanos(&text);
            let _ = suffix(&text);
            let _ = compare(&text, "1");
        }

        #[test]
        fn never_panics_on_number_like_text(text in "[-+]?[0-9.]{0,45}([eE][-+]?[0-9]{1,4}|[numkMGTPE]|[KMGTPE]i)?") {
            let _ = nanos(&text);
            let _ = compare(&text, &text);
        }
    }
}
