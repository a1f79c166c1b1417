//! Number formatting shared by every lab's view model.

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 0.2514 → "25.1%".
pub fn percent(fraction: f64) -> String {
    if fraction.is_finite() {
        let mut out = fixed(fraction * 100.0, 1);
        out.push('%');
        out
    } else {
        "–".to_owned()
    }
}

/// Powers of ten that f64 represents exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `value` with exactly `decimals` digits after the point (at most 12), rounded half away from
/// zero: 1.005 → "1.01" at 2. Views and URLs format numbers with this instead of `{:.N}`, which
/// keeps the float-printing machinery (and its size) out of the wasm bundle.
pub fn fixed(value: f64, decimals: u32) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let decimals = decimals.min(12);
    let scaled = libm::round(value.abs() * POW10[decimals as usize]);
    let mut out = String::new();
    if value < 0.0 && scaled > 0.0 {
        out.push('-');
    }
    if scaled >= 9.0e15 {
        // Beyond exact integers; such magnitudes never reach a view, but an error message may
        // echo one back (a value of 1e300 in a JSON file), so they must not saturate.
        let whole = libm::round(value.abs());
        if whole < 1.0e19 {
            out.push_str(&(whole as u64).to_string());
        } else {
            out.push_str(&scientific(whole));
        }
        return out;
    }
    let n = scaled as u64;
    let unit = POW10[decimals as usize] as u64;
    out.push_str(&(n / unit).to_string());
    if decimals > 0 {
        out.push('.');
        let frac = (n % unit).to_string();
        for _ in frac.len()..decimals as usize {
            out.push('0');
        }
        out.push_str(&frac);
    }
    out
}

/// A positive finite `value` of 1e19 or more as `1.9e19`: six significant digits at most.
/// Divides by ten in a loop rather than calling `log10` and `pow`, which would pull their
/// code into every wasm bundle for a message that almost never shows.
fn scientific(value: f64) -> String {
    let mut exponent = 0;
    let mut mantissa = value;
    while mantissa >= 10.0 && exponent < 400 {
        mantissa /= 10.0;
        exponent += 1;
    }
    // Rounding to five decimals may carry into a new digit (9.999996 → 10).
    if mantissa >= 9.999_995 {
        mantissa /= 10.0;
        exponent += 1;
    }
    format!("{}e{exponent}", trimmed(mantissa, 5))
}

/// Like [`fixed`], without trailing zeros: 0.250 → "0.25", 2.0 → "2".
pub fn trimmed(value: f64, max_decimals: u32) -> String {
    let mut out = fixed(value, max_decimals);
    if out.contains('.') && !out.contains('e') {
        let keep = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(keep);
    }
    if out == "-0" {
        out = "0".to_owned();
    }
    out
}

/// A measured figure with about five significant digits, without trailing zeros: 2.614, 10.022,
/// 1234.5 (what `syslab check` and the Checks panel print).
pub fn figure(value: f64) -> String {
    let decimals = match value.abs() {
        a if a >= 1_000.0 => 1,
        a if a >= 100.0 => 2,
        a if a >= 10.0 => 3,
        _ => 4,
    };
    trimmed(value, decimals)
}

/// Parses a plain decimal such as "0.25", "-3" or ".5" (no exponent, no NaN or infinity).
/// Up to 15 significant digits are exact (one correctly rounded division); further fractional
/// digits are ignored. Returns `None` for anything else.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut significant = 0;
    for b in int.bytes() {
        mantissa = mantissa * 10 + u64::from(b - b'0');
        significant += 1;
    }
    let mut scale = 0;
    for b in frac.bytes() {
        if significant >= 15 || scale >= 22 {
            break;
        }
        mantissa = mantissa * 10 + u64::from(b - b'0');
        scale += 1;
        if mantissa > 0 {
            significant += 1;
        }
    }
    let value = mantissa as f64 / POW10[scale];
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(0.2514), "25.1%");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(fixed(1.0, 2), "1.00");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-2.5, 0), "-3");
        assert_eq!(fixed(1234.5678, 1), "1234.6");
        assert_eq!(fixed(0.05, 3), "0.050");
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(trimmed(0.25, 12), "0.25");
        assert_eq!(trimmed(2.0, 3), "2");
        assert_eq!(trimmed(-0.0, 3), "0");
        // Past u64's range a number is written in scientific notation, not saturated.
        assert_eq!(trimmed(1.2e16, 3), "12000000000000000");
        assert_eq!(fixed(9.9e18, 0), "9900000000000000000");
        assert_eq!(trimmed(1.9e19, 3), "1.9e19");
        assert_eq!(fixed(-2e19, 2), "-2e19");
        assert_eq!(trimmed(1e300, 0), "1e300");
        assert_eq!(trimmed(f64::MAX, 0), "1.79769e308");
        assert_eq!(trimmed(1e19, 0), "1e19");
        assert_eq!(trimmed(1.5e20, 3), "1.5e20");
    }

    #[test]
    fn decimals_match_the_standard_parser() {
        for text in [
            "0",
            "0.25",
            "0.1",
            "10",
            "1.05",
            ".5",
            "3.",
            "-2.75",
            "0.3333333333",
            "7.000001",
            "+4",
        ] {
            assert_eq!(parse_decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for bad in ["", ".", "NaN", "inf", "1e3", "1.2.3", "abc", "- 1", "0x10"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        // Every value the URL writes reads back exactly.
        for i in 0..=2000 {
            let v = f64::from(i) * 0.005;
            assert_eq!(
                parse_decimal(&trimmed(v, 12)),
                Some(libm::round(v * 1e12) / 1e12),
                "{v}"
            );
        }
    }
}
