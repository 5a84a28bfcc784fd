use std::fmt;

/// A license as a package declares it.
///
/// Valid SPDX expressions are kept as [`License::Spdx`] (in their canonical spelling);
/// anything else is kept verbatim as [`License::Other`] — never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum License {
    /// A valid SPDX license expression, e.g. `MIT OR Apache-2.0`.
    Spdx(String),
    /// A license name or text that is not a valid SPDX expression.
    Other(String),
}

impl License {
    /// Classifies a declared license string. Accepts the common `/` separator that
    /// Cargo once allowed (`MIT/Apache-2.0`) as `OR`.
    pub fn parse(s: &str) -> License {
        let s = s.trim();
        if let Ok(expr) = spdx::Expression::parse(s) {
            return License::Spdx(expr.to_string());
        }
        let mode = spdx::ParseMode {
            allow_slash_as_or_operator: true,
            allow_imprecise_license_names: false,
            allow_postfix_plus_on_gpl: true,
            allow_deprecated: true,
            allow_unknown: false,
        };
        match spdx::Expression::parse_mode(s, mode) {
            Ok(expr) => License::Spdx(normalize_expr(&expr)),
            Err(_) => License::Other(s.to_string()),
        }
    }

    /// The license text: the expression or the verbatim name.
    pub fn as_str(&self) -> &str {
        match self {
            License::Spdx(s) | License::Other(s) => s,
        }
    }

    pub fn is_spdx(&self) -> bool {
        matches!(self, License::Spdx(_))
    }
}

/// Re-spells a leniently parsed expression with standard operators.
fn normalize_expr(expr: &spdx::Expression) -> String {
    expr.to_string().replace('/', " OR ")
}

impl fmt::Display for License {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(License::parse("MIT"), License::Spdx("MIT".into()));
        assert_eq!(
            License::parse("MIT OR Apache-2.0"),
            License::Spdx("MIT OR Apache-2.0".into())
        );
        assert!(License::parse("MIT/Apache-2.0").is_spdx());
        assert_eq!(
            License::parse("Some Custom License"),
            License::Other("Some Custom License".into())
        );
    }
}
