//! Exact fractions, so the Naive Bayes widget can show 1/14 and 2/10 exactly as the lecture writes
//! them instead of 0.0714285….
//!
//! [`Ratio`] is a reduced fraction of two `i128`s with every operation *checked*: when a numerator
//! or denominator would overflow, the operation returns `None` and the caller falls back to
//! log-probabilities (and says so). [`Fraction`] keeps the unreduced form next to the reduced one:
//! the lecture writes P(task | NLP) = 2/10, which reduces to 1/5.
//!
//! Reference: Knuth, *TAOCP* vol. 2, §4.5.1 (fractions kept in lowest terms by gcd).

use crate::core::error::{CoreError, Result};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// Greatest common divisor (Euclid), gcd(0, 0) = 0.
pub fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// A fraction num/den in lowest terms with den > 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    /// 0/1.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// 1/1.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// num/den reduced to lowest terms; `None` when den = 0 or the sign cannot be normalised
    /// (i128::MIN).
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs()) as i128; // ≤ |den| < 2^127
        let (mut n, mut d) = (num / g, den / g);
        if d < 0 {
            n = -n;
            d = -d;
        }
        Some(Ratio { num: n, den: d })
    }

    /// The integer n as n/1.
    pub fn from_int(n: i64) -> Ratio {
        Ratio {
            num: n as i128,
            den: 1,
        }
    }

    /// The decimal `x` as an exact fraction with denominator dividing 1000 (so 0.5 → 1/2,
    /// 0.01 → 1/100). Errors if `x` is not finite, negative, above 10⁶, or not a multiple of 0.001.
    pub fn from_decimal(x: f64, what: &str) -> Result<Ratio> {
        if !x.is_finite() {
            return Err(CoreError::non_finite(what));
        }
        if !(0.0..=1e6).contains(&x) {
            return Err(CoreError::invalid(what, "must be between 0 and 1000000"));
        }
        let scaled = x * 1000.0;
        let r = scaled.round();
        if (scaled - r).abs() > 1e-6 * scaled.abs().max(1.0) {
            return Err(CoreError::invalid(
                what,
                format!("{x} is not a multiple of 0.001 (needed for exact fractions)"),
            ));
        }
        Ratio::new(r as i128, 1000).ok_or_else(|| CoreError::invalid(what, "out of range"))
    }

    /// Numerator (sign carrier).
    pub fn num(self) -> i128 {
        self.num
    }

    /// Denominator (> 0).
    pub fn den(self) -> i128 {
        self.den
    }

    /// True for 0.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Exact sum, `None` on overflow.
    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        // a/b + c/d = (a·(d/g) + c·(b/g)) / (b/g·d) with g = gcd(b, d) keeps intermediates small.
        let g = gcd(self.den as u128, o.den as u128) as i128;
        let (bg, dg) = (self.den / g, o.den / g);
        let n = self
            .num
            .checked_mul(dg)?
            .checked_add(o.num.checked_mul(bg)?)?;
        let d = bg.checked_mul(o.den)?;
        Ratio::new(n, d)
    }

    /// Exact difference, `None` on overflow.
    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }

    /// Exact product, `None` on overflow (cross-reduces first, so 1/14 · 14/1 never overflows).
    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        let g1 = gcd(self.num.unsigned_abs(), o.den as u128).max(1) as i128;
        let g2 = gcd(o.num.unsigned_abs(), self.den as u128).max(1) as i128;
        let n = (self.num / g1).checked_mul(o.num / g2)?;
        let d = (self.den / g2).checked_mul(o.den / g1)?;
        Ratio::new(n, d)
    }

    /// Exact quotient, `None` on overflow or division by zero.
    pub fn checked_div(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return None;
        }
        self.checked_mul(Ratio::new(o.den, o.num)?)
    }

    /// Exact comparison; `None` if the cross products overflow.
    pub fn checked_cmp(self, o: Ratio) -> Option<Ordering> {
        let l = self.num.checked_mul(o.den)?;
        let r = o.num.checked_mul(self.den)?;
        Some(l.cmp(&r))
    }

    /// Nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// ln(num/den) computed as ln num − ln den (accurate even when num/den underflows an f64);
    /// −∞ for 0, NaN for negative values.
    pub fn ln(self) -> f64 {
        if self.num == 0 {
            f64::NEG_INFINITY
        } else if self.num < 0 {
            f64::NAN
        } else {
            (self.num as f64).ln() - (self.den as f64).ln()
        }
    }
}

impl fmt::Display for Ratio {
    /// `n/d`, or just `n` when d = 1.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl Serialize for Ratio {
    /// `{ "num": "1", "den": "14", "text": "1/14", "value": 0.0714… }` — numerator and denominator as
    /// decimal strings because they can exceed JavaScript's 2⁵³.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Ratio", 4)?;
        st.serialize_field("num", &self.num.to_string())?;
        st.serialize_field("den", &self.den.to_string())?;
        st.serialize_field("text", &self.to_string())?;
        st.serialize_field("value", &self.to_f64())?;
        st.end()
    }
}

/// A probability written both as the lecture writes it (unreduced, e.g. 2/10) and reduced (1/5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fraction {
    /// Unreduced numerator as a decimal string (e.g. "2"; with add-0.5 smoothing, "2.5").
    pub num_text: String,
    /// Unreduced denominator as a decimal string (e.g. "10").
    pub den_text: String,
    /// `"2/10"`: the unreduced form.
    pub unreduced: String,
    /// The value in lowest terms.
    pub reduced: Ratio,
}

impl Fraction {
    /// A fraction whose unreduced numerator and denominator are the given rationals (usually
    /// integers; with add-k smoothing, k may make them decimals such as 2.5).
    pub fn new(num: Ratio, den: Ratio) -> Option<Fraction> {
        let reduced = num.checked_div(den)?;
        let (num_text, den_text) = (decimal_text(num), decimal_text(den));
        Some(Fraction {
            unreduced: format!("{num_text}/{den_text}"),
            num_text,
            den_text,
            reduced,
        })
    }
}

/// A rational whose denominator divides a power of ten as a decimal string ("2", "2.5", "0.001");
/// anything else as "n/d".
pub fn decimal_text(r: Ratio) -> String {
    if r.den() == 1 {
        return r.num().to_string();
    }
    // Denominators from `from_decimal` divide 1000.
    if 1000 % r.den() == 0 {
        let scaled = r.num() * (1000 / r.den());
        let sign = if scaled < 0 { "-" } else { "" };
        let a = scaled.unsigned_abs();
        let frac = format!("{:03}", a % 1000);
        return format!("{sign}{}.{}", a / 1000, frac.trim_end_matches('0'));
    }
    r.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn reduction_and_arithmetic() {
        assert_eq!(r(2, 10), r(1, 5));
        assert_eq!(r(3, -6).to_string(), "-1/2");
        assert_eq!(r(4, 2).to_string(), "2");
        assert!(Ratio::new(1, 0).is_none());
        assert_eq!(r(1, 6).checked_add(r(1, 3)), Some(r(1, 2)));
        assert_eq!(r(1, 6).checked_sub(r(1, 3)), Some(r(-1, 6)));
        assert_eq!(r(2, 3).checked_mul(r(9, 4)), Some(r(3, 2)));
        assert_eq!(r(2, 3).checked_div(r(4, 9)), Some(r(3, 2)));
        assert_eq!(r(2, 3).checked_div(Ratio::ZERO), None);
        assert_eq!(r(1, 3).checked_cmp(r(1, 2)), Some(Ordering::Less));
        // The lecture's CV product: 1/2 × (1/14)^4 = 1/76832.
        let mut p = r(1, 2);
        for _ in 0..4 {
            p = p.checked_mul(r(1, 14)).unwrap();
        }
        assert_eq!(p, r(1, 76832));
        assert!((p.ln() - (1.0f64 / 76832.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let big = r(1, 1i128 << 100);
        assert_eq!(big.checked_mul(big), None);
        assert_eq!(big.checked_add(r(1, (1i128 << 100) - 1)), None);
        assert_eq!(Ratio::new(i128::MIN, 1), None);
    }

    #[test]
    fn decimals_and_fraction_text() {
        assert_eq!(Ratio::from_decimal(0.5, "k").unwrap(), r(1, 2));
        assert_eq!(Ratio::from_decimal(1.0, "k").unwrap(), Ratio::ONE);
        assert!(Ratio::from_decimal(0.0001, "k").is_err());
        assert!(Ratio::from_decimal(-1.0, "k").is_err());
        assert!(Ratio::from_decimal(f64::NAN, "k").is_err());
        assert_eq!(decimal_text(r(5, 2)), "2.5");
        assert_eq!(decimal_text(r(1, 1000)), "0.001");
        assert_eq!(decimal_text(r(1, 3)), "1/3");
        let f = Fraction::new(Ratio::from_int(2), Ratio::from_int(10)).unwrap();
        assert_eq!(f.unreduced, "2/10");
        assert_eq!(f.reduced.to_string(), "1/5");
        let json = serde_json::to_string(&f.reduced).unwrap();
        assert_eq!(json, r#"{"num":"1","den":"5","text":"1/5","value":0.2}"#);
    }
}
