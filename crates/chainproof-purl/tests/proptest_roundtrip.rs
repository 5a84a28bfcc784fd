//! Property tests: no input panics the parsers, and every successful parse survives a
//! Display → parse round trip unchanged.

use chainproof_purl::Purl;
use proptest::prelude::*;

/// Strings biased towards purl syntax: separators, percent triplets, scopes,
/// case and non-ASCII characters.
fn purlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("pkg:".to_string()),
        Just("/".to_string()),
        Just("@".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("&".to_string()),
        Just("=".to_string()),
        Just(":".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("%".to_string()),
        Just("%2F".to_string()),
        Just("%40".to_string()),
        Just("%3A".to_string()),
        Just("%C3%A9".to_string()),
        Just("%FF".to_string()),
        Just("+".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        prop::sample::select(vec![
            "npm",
            "maven",
            "pypi",
            "git",
            "golang",
            "github",
            "cpan",
            "pub",
            "mlflow",
            "swid",
            "otp",
            "chrome-extension",
            "julia",
            "huggingface",
            "generic",
            "Deb",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec!["checksum", "repository_url", "tag_id", "uuid", "Arch"])
            .prop_map(str::to_string),
        "[a-zA-Z0-9_.~-]{1,8}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

fn check_roundtrip(input: &str, lenient: bool) -> Result<(), TestCaseError> {
    let parse = |s: &str| {
        if lenient {
            Purl::parse_lenient(s)
        } else {
            s.parse::<Purl>()
        }
    };
    if let Ok(purl) = parse(input) {
        let text = purl.to_string();
        let again = parse(&text);
        prop_assert_eq!(again.as_ref(), Ok(&purl), "input {:?} -> {:?}", input, text);
        prop_assert_eq!(again.map(|a| a.to_string()).ok(), Some(text.clone()));
        // The canonical form is ASCII.
        prop_assert!(text.is_ascii(), "non-ASCII canonical form {:?}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn arbitrary_strings_never_panic_and_roundtrip(s in "\\PC*") {
        check_roundtrip(&s, false)?;
        check_roundtrip(&s, true)?;
    }

    #[test]
    fn purl_like_strings_roundtrip(s in purlish()) {
        check_roundtrip(&s, false)?;
        check_roundtrip(&s, true)?;
    }

    #[test]
    fn pkg_prefixed_strings_roundtrip(ty in "[a-zA-Z][a-zA-Z0-9.-]{0,6}", rest in "\\PC{0,40}") {
        let s = format!("pkg:{ty}/{rest}");
        check_roundtrip(&s, false)?;
        check_roundtrip(&s, true)?;
    }

    /// Built purls (from arbitrary decoded components) display to strings that the
    /// lenient parser reads back to the same purl whenever they pass validation.
    #[test]
    fn built_purls_roundtrip(
        ty in prop::sample::select(vec!["npm", "maven", "pypi", "generic", "golang", "github", "deb", "pub", "otp"]),
        ns in "\\PC{0,12}",
        name in "\\PC{1,12}",
        version in "\\PC{0,8}",
        key in "[a-z][a-z0-9._-]{0,6}",
        value in "\\PC{0,10}",
        subpath in "\\PC{0,12}",
    ) {
        let built = Purl::new(ty, &name)
            .and_then(|p| p.with_namespace(&ns))
            .map(|p| p.with_version(&version).with_subpath(&subpath))
            .and_then(|p| p.with_qualifier(&key, &value));
        if let Ok(purl) = built {
            let text = purl.to_string();
            let again = Purl::parse_lenient(&text);
            prop_assert_eq!(again.as_ref(), Ok(&purl), "{:?}", text);
            if purl.validate().is_ok() {
                let strict = text.parse::<Purl>();
                prop_assert_eq!(strict.as_ref(), Ok(&purl));
            }
        }
    }
}
