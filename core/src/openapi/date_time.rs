//! Dates and times as the API server reads a `metav1.Time`: Go's `time.Parse` with the RFC 3339
//! layout (`2024-05-01T12:00:00Z`, an optional fraction of a second, `Z` or an offset).

/// Why `text` is not a date and time the API server reads, or `Ok`.
pub fn check(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    date(b.get(..10).ok_or("it is too short")?)?;
    if b.len() == 10 {
        // kubectl sends an unquoted `2024-05-01` on as that text, which Go does not parse.
        return Err("a date alone is not enough: add the time, e.g. `T00:00:00Z`");
    }
    let rest = &b[10..];
    if rest.first() != Some(&b'T') {
        return Err("the date and the time are joined by a capital `T`");
    }
    // Go's parser takes an hour of one or two digits; minutes and seconds are two.
    let hour_len = if rest.get(2) == Some(&b':') { 1 } else { 2 };
    let hour = number(rest.get(1..1 + hour_len))?;
    let rest = &rest[1 + hour_len..];
    let (minute, second) = match rest {
        [b':', m1, m2, b':', s1, s2, ..] => (number(Some(&[*m1, *m2]))?, number(Some(&[*s1, *s2]))?),
        _ => return Err("the time is written `HH:MM:SS`"),
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err("the time is out of range");
    }
    let mut rest = &rest[6..];
    if let [b'.' | b',', digits @ ..] = rest {
        let n = digits.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err("a fraction of a second needs digits");
        }
        rest = &digits[n..];
    }
    match rest {
        [b'Z'] => Ok(()),
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let (h, m) = (number(Some(&[*h1, *h2]))?, number(Some(&[*m1, *m2]))?);
            // Go's parser, which `time.Parse` falls back to, takes up to 24 hours and 60 minutes.
            if h > 24 || m > 60 {
                return Err("the offset is out of range");
            }
            Ok(())
        }
        _ => Err("it ends with `Z` (UTC) or an offset such as `+02:00`"),
    }
}

/// Whether a date and time the API server reads as a `MicroTime` (`micro`) has the six digits of
/// fraction its layout (`RFC3339Micro`) asks for, or `Ok` for any other.
pub fn micro(text: &str, micro: bool) -> Result<(), &'static str> {
    // After the seconds (the hour may have one digit): `HH:MM:SS` ends at the second `:` + 3.
    let seconds_end = text.match_indices(':').nth(1).map_or(text.len(), |(i, _)| i + 3);
    let fraction = text.get(seconds_end..).unwrap_or("");
    let digits = fraction.get(1..).map_or(0, |f| f.bytes().take_while(u8::is_ascii_digit).count());
    match !micro || (fraction.starts_with(['.', ',']) && digits == 6) {
        true => Ok(()),
        false => Err("this field is to the microsecond: write six digits after the seconds, e.g. `12:00:00.000000Z`"),
    }
}

/// `YYYY-MM-DD`, a day that exists.
fn date(b: &[u8]) -> Result<(), &'static str> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = b else {
        return Err("the date is written `YYYY-MM-DD`");
    };
    let year = number(Some(&[*y1, *y2, *y3, *y4]))?;
    let (month, day) = (number(Some(&[*m1, *m2]))?, number(Some(&[*d1, *d2]))?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("the month is out of range"),
    };
    if day == 0 || day > days {
        return Err("that day does not exist");
    }
    Ok(())
}

fn number(digits: Option<&[u8]>) -> Result<u32, &'static str> {
    let digits = digits.filter(|d| !d.is_empty() && d.iter().all(u8::is_ascii_digit)).ok_or("a digit is missing")?;
    Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::{check, micro};

    #[test]
    fn microseconds_have_six_digits() {
        assert_eq!(micro("2024-05-01T12:00:00.123456Z", true), Ok(()));
        assert_eq!(micro("2024-05-01T12:00:00Z", false), Ok(()));
        assert_eq!(micro("2024-05-01T9:00:00.000000Z", true), Ok(()), "a one-digit hour");
        for bad in ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123Z", "2024-05-01T12:00:00.1234567Z"] {
            assert!(micro(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn rfc3339_as_go_parses_it() {
        for good in [
            "2024-05-01T12:00:00Z",
            "2024-02-29T23:59:59.123456Z",
            "2024-05-01T12:00:00+02:00",
            "2024-05-01T12:00:00,5-07:30",
            "2024-05-01T9:00:00Z",
            "2024-05-01T12:00:00+24:00",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("yesterday", "too short"),
            ("2024-05-01", "a date alone"),
            ("2024-05-01T12:00:00+25:00", "offset is out of range"),
            ("2024-05-01 12:00:00Z", "capital `T`"),
            ("2024-05-01t12:00:00Z", "capital `T`"),
            ("2023-02-29T00:00:00Z", "does not exist"),
            ("2024-13-01T00:00:00Z", "month"),
            ("2024-05-01T24:00:00Z", "out of range"),
            ("2024-05-01T12:00Z", "`HH:MM:SS`"),
            ("2024-05-01T12:00:00", "ends with"),
            ("2024-05-01T12:00:00z", "ends with"),
            ("2024-05-01T12:00:00+0200", "ends with"),
            ("2024-05-01T12:00:00.Z", "needs digits"),
            ("24-05-01T12:00:00Z", "`YYYY-MM-DD`"),
        ] {
            let found = check(bad).expect_err(bad);
            assert!(found.contains(why), "{bad}: {found}");
        }
    }
}
