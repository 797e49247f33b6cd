//! Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1e3`): grammar and comparison.

/// A parsed quantity, as an exact-enough number of base units (cores, bytes).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Quantity(pub f64);

/// Parse with the grammar of apimachinery's `resource.ParseQuantity`:
/// `<signedNumber><suffix>` where suffix is a binary SI (`Ki`..`Ei`), decimal SI (`n u m "" k M G T P E`)
/// or decimal exponent (`e3`, `E-2`).
pub fn parse(text: &str) -> Result<Quantity, String> {
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
    let (number, suffix) = s.split_at(split);
    let digits = number.trim_start_matches(['+', '-']);
    if digits.is_empty() || digits == "." || digits.matches('.').count() > 1 {
        return Err(format!("`{text}` does not start with a number"));
    }
    let value: f64 = number.parse().map_err(|_| format!("`{number}` is not a number"))?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exp if exp.starts_with(['e', 'E']) => {
            let e: i32 = exp[1..].parse().map_err(|_| format!("unknown suffix `{suffix}`"))?;
            10f64.powi(e)
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
    Ok(Quantity(value * factor))
}

#[cfg(test)]
mod tests {
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
}
