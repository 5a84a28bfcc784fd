//! Unit tests for edge cases; the official suite runs in `tests/purl_spec_suite.rs`.

use super::*;

fn p(s: &str) -> Purl {
    s.parse()
        .unwrap_or_else(|e| panic!("`{s}` should parse: {e}"))
}

fn canon(s: &str) -> String {
    p(s).to_string()
}

#[test]
fn npm_scope_is_percent_encoded_and_decoded() {
    let purl = p("pkg:npm/%40angular/core@16.0.0");
    assert_eq!(purl.namespace(), Some("@angular"));
    assert_eq!(purl.name(), "core");
    assert_eq!(purl.version(), Some("16.0.0"));
    // An unencoded scope is accepted and encoded in the canonical form.
    assert_eq!(canon("pkg:npm/@babel/core"), "pkg:npm/%40babel/core");
    assert_eq!(
        canon("pkg:npm/@babel/core@7.0.0"),
        "pkg:npm/%40babel/core@7.0.0"
    );
    assert_eq!(canon("pkg:npm/ns/@babel/core"), "pkg:npm/ns/%40babel/core");
    // Otherwise the last `@` starts the version, even if a `/` follows.
    assert_eq!(canon("pkg:opam/git@3/16.1"), "pkg:opam/git@3%2F16.1");
    // Built from decoded components.
    let built = Purl::new("npm", "core")
        .and_then(|b| b.with_namespace("@angular"))
        .map(|b| b.with_version("16.0.0"));
    assert_eq!(
        built.map(|b| b.to_string()),
        Ok("pkg:npm/%40angular/core@16.0.0".into())
    );
    // npm names are case-sensitive.
    assert_eq!(p("pkg:npm/JSONStream@1.3.5").name(), "JSONStream");
}

#[test]
fn golang_namespace_keeps_all_segments() {
    let purl = p("pkg:golang/github.com/gorilla/mux@v1.8.0#sub/dir");
    assert_eq!(purl.namespace(), Some("github.com/gorilla"));
    assert_eq!(purl.name(), "mux");
    assert_eq!(purl.subpath(), Some("sub/dir"));
    let built = Purl::new("golang", "mux")
        .and_then(|b| b.with_namespace("/github.com//gorilla/"))
        .map(|b| b.with_version("v1.8.0"));
    assert_eq!(
        built.map(|b| b.to_string()),
        Ok("pkg:golang/github.com/gorilla/mux@v1.8.0".into())
    );
    // Case is significant for golang.
    assert_eq!(
        p("pkg:golang/github.com/Azure/go-autorest").namespace(),
        Some("github.com/Azure")
    );
    // golang requires a namespace.
    assert!(matches!(
        "pkg:golang/mux".parse::<Purl>(),
        Err(PurlError::TypeRule { .. })
    ));
}

#[test]
fn maven_group_id_dots_are_not_segments() {
    let purl = p("pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar");
    assert_eq!(purl.namespace(), Some("org.apache.commons"));
    assert_eq!(purl.name(), "commons-lang3");
    assert_eq!(purl.qualifier("type"), Some("jar"));
    assert_eq!(
        purl.to_string(),
        "pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar"
    );
    let err = "pkg:maven/commons-lang3@3.12.0".parse::<Purl>();
    assert!(err.is_err_and(|e| e.is_type_rule()));
    // Lenient parsing accepts it; validate() reports it.
    let lenient = Purl::parse_lenient("pkg:maven/commons-lang3@3.12.0");
    assert!(lenient.is_ok_and(|l| l.validate().is_err()));
}

#[test]
fn qualifier_values_encode_plus_comma_slash_and_space() {
    let purl = Purl::new("generic", "x")
        .and_then(|b| b.with_qualifier("vcs_url", "git+https://h.org/a b@c"))
        .and_then(|b| b.with_qualifier("checksum", "sha1:ab,sha256:cd"));
    let purl = purl.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        purl.to_string(),
        "pkg:generic/x?checksum=sha1:ab%2Csha256:cd&vcs_url=git%2Bhttps:%2F%2Fh.org%2Fa%20b%40c"
    );
    assert_eq!(purl.checksums(), vec!["sha1:ab", "sha256:cd"]);
    // `+` in the input is a literal plus, not a space.
    assert_eq!(p("pkg:generic/x?a=1+2").qualifier("a"), Some("1+2"));
    assert_eq!(p("pkg:generic/x?a=1%2B2").qualifier("a"), Some("1+2"));
    // `=` inside a value is kept; empty values are dropped; keys are sorted.
    let q = p("pkg:generic/x?z=a=b&e=&a=1");
    assert_eq!(q.qualifiers().len(), 2);
    assert_eq!(q.to_string(), "pkg:generic/x?a=1&z=a%3Db");
}

#[test]
fn colon_is_never_encoded() {
    let purl = p("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
    assert_eq!(purl.version(), Some("1:2.4.47-2+b1"));
    assert_eq!(
        purl.to_string(),
        "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"
    );
    assert_eq!(
        canon("pkg:docker/img@sha256%3Aabc"),
        "pkg:docker/img@sha256:abc"
    );
}

#[test]
fn unicode_is_utf8_percent_encoded() {
    let purl = p("pkg:generic/caf%C3%A9@1.0%E2%80%93rc");
    assert_eq!(purl.name(), "café");
    assert_eq!(purl.version(), Some("1.0–rc"));
    assert_eq!(purl.to_string(), "pkg:generic/caf%C3%A9@1.0%E2%80%93rc");
    // Raw non-ASCII input is accepted and encoded.
    assert_eq!(canon("pkg:generic/café"), "pkg:generic/caf%C3%A9");
    // Case folding of case-insensitive types is Unicode-aware.
    assert_eq!(p("pkg:github/ÉCOLE/Repo").namespace(), Some("école"));
    // Percent-encoded octets that are not UTF-8 are rejected.
    assert!("pkg:generic/%FF".parse::<Purl>().is_err());
}

#[test]
fn empty_components() {
    assert_eq!("pkg:npm/".parse::<Purl>(), Err(PurlError::MissingName));
    assert_eq!("pkg:npm".parse::<Purl>(), Err(PurlError::MissingName));
    assert_eq!("pkg:/npm".parse::<Purl>(), Err(PurlError::MissingName));
    assert_eq!("pkg://foo".parse::<Purl>(), Err(PurlError::MissingName));
    assert_eq!("pkg:npm/@1.0".parse::<Purl>(), Err(PurlError::MissingName));
    assert_eq!(
        "pkg:npm/ns/@1.0".parse::<Purl>(),
        Err(PurlError::MissingName)
    );
    assert_eq!("pkg:/".parse::<Purl>(), Err(PurlError::MissingType));
    assert_eq!("".parse::<Purl>(), Err(PurlError::MissingScheme));
    assert_eq!("npm/foo".parse::<Purl>(), Err(PurlError::MissingScheme));
    assert_eq!(Purl::new("npm", ""), Err(PurlError::MissingName));
    assert_eq!(Purl::new("npm", "//"), Err(PurlError::MissingName));
    assert_eq!(Purl::new("", "x"), Err(PurlError::MissingType));
    // Empty version, qualifiers and subpath vanish.
    assert_eq!(canon("pkg:npm/foo@?#"), "pkg:npm/foo");
    assert_eq!(canon("pkg:npm/foo?&&a=&#/./../"), "pkg:npm/foo");
    assert_eq!(canon("pkg:npm//foo//"), "pkg:npm/foo");
    let b = Purl::new("npm", "foo").map(|b| b.with_version("").with_subpath("./"));
    assert_eq!(b.map(|b| b.to_string()), Ok("pkg:npm/foo".into()));
}

#[test]
fn scheme_and_type_rules() {
    assert_eq!(canon("PKG:NPM/foo"), "pkg:npm/foo");
    assert_eq!(canon("pkg:///npm/foo"), "pkg:npm/foo");
    assert!(matches!(
        "pkg:3npm/foo".parse::<Purl>(),
        Err(PurlError::InvalidType(_))
    ));
    assert!(matches!(
        "pkg:np%6D/foo".parse::<Purl>(),
        Err(PurlError::InvalidType(_))
    ));
    assert!(matches!(
        "pkg:n_m/foo".parse::<Purl>(),
        Err(PurlError::InvalidType(_))
    ));
    assert!("pkg%3Anpm/foo".parse::<Purl>().is_err());
    assert!("http:npm/foo".parse::<Purl>().is_err());
    // Unregistered types are accepted with the general rules only.
    assert_eq!(canon("pkg:my.type-2/Ns/Name@V"), "pkg:my.type-2/Ns/Name@V");
}

#[test]
fn qualifier_keys_strict_and_lenient() {
    assert!(matches!(
        "pkg:gem/a@1?Platform=java".parse::<Purl>(),
        Err(PurlError::InvalidQualifierKey(_))
    ));
    let lenient = Purl::parse_lenient("pkg:gem/a@1?Platform=java");
    assert_eq!(
        lenient.map(|l| l.to_string()),
        Ok("pkg:gem/a@1?platform=java".into())
    );
    assert_eq!(
        "pkg:gem/a@1?x=1&x=2".parse::<Purl>(),
        Err(PurlError::DuplicateQualifier("x".into()))
    );
    assert_eq!(
        Purl::parse_lenient("pkg:gem/a@1?x=1&x=2").map(|l| l.to_string()),
        Ok("pkg:gem/a@1?x=2".into())
    );
    assert!("pkg:gem/a?1x=1".parse::<Purl>().is_err());
    assert!("pkg:gem/a?=1".parse::<Purl>().is_err());
    assert!("pkg:gem/a?a%20b=1".parse::<Purl>().is_err());
    // The builder lowercases keys.
    let b = Purl::new("gem", "a").and_then(|b| b.with_qualifier("Platform", "java"));
    assert_eq!(
        b.map(|b| b.to_string()),
        Ok("pkg:gem/a?platform=java".into())
    );
}

#[test]
fn percent_strict_and_lenient() {
    assert!(matches!(
        "pkg:generic/100%".parse::<Purl>(),
        Err(PurlError::InvalidEncoding {
            component: "name",
            ..
        })
    ));
    let l = Purl::parse_lenient("pkg:generic/100%");
    assert_eq!(l.as_ref().map(|l| l.name()), Ok("100%"));
    assert_eq!(l.map(|l| l.to_string()), Ok("pkg:generic/100%25".into()));
}

#[test]
fn per_type_normalization() {
    assert_eq!(
        canon("pkg:pypi/Django_Allauth@0.1"),
        "pkg:pypi/django-allauth@0.1"
    );
    assert_eq!(canon("pkg:pypi/foo@1.0RC1"), "pkg:pypi/foo@1.0rc1");
    assert_eq!(
        canon("pkg:github/Package-URL/Purl-Spec@ABC"),
        "pkg:github/package-url/purl-spec@ABC"
    );
    assert_eq!(canon("pkg:deb/Debian/Curl@1"), "pkg:deb/debian/curl@1");
    assert_eq!(canon("pkg:rpm/Fedora/Curl@1"), "pkg:rpm/fedora/Curl@1");
    assert_eq!(canon("pkg:pub/Flutter-Test"), "pkg:pub/flutter_test");
    assert_eq!(
        canon("pkg:cpan/drolsky/DateTime@1.55"),
        "pkg:cpan/DROLSKY/DateTime@1.55"
    );
    assert_eq!(
        canon("pkg:huggingface/Org/Model@ABCDEF"),
        "pkg:huggingface/Org/Model@abcdef"
    );
    assert_eq!(canon("pkg:otp/ASN1#SRC/X.erl"), "pkg:otp/asn1#src/x.erl");
    assert_eq!(
        canon("pkg:swid/Acme/Prod?tag_id=75B8C285-FA7B-485B-B199-4745E3004D0D"),
        "pkg:swid/Acme/Prod?tag_id=75b8c285-fa7b-485b-b199-4745e3004d0d"
    );
    assert_eq!(
        canon("pkg:mlflow/Model?repository_url=https://x.azuredatabricks.net"),
        "pkg:mlflow/model?repository_url=https:%2F%2Fx.azuredatabricks.net"
    );
    assert_eq!(canon("pkg:mlflow/Model"), "pkg:mlflow/Model");
}

#[test]
fn type_requirements() {
    let rule = |s: &str| s.parse::<Purl>().is_err_and(|e| e.is_type_rule());
    assert!(rule("pkg:cargo/ns/serde"));
    assert!(rule("pkg:julia/Dates"));
    assert!(rule("pkg:swid/Fedora@29"));
    assert!(rule("pkg:cpan/LWP::UserAgent"));
    assert!(rule("pkg:chrome-extension/abc"));
    assert!(rule(
        "pkg:chrome-extension/dncgedbnidfkppmdgfgidcepclnokpkb@1.x"
    ));
    assert!(rule("pkg:swid/a/b/c/d?tag_id=x"));
    assert!(!rule(
        "pkg:chrome-extension/DNCGEDBNIDFKPPMDGFGIDCEPCLNOKPKB@6.0.2.3611"
    ));
    let built = Purl::from_components("vcpkg", Some("boost"), "asio", None, [], None);
    assert!(built.is_err_and(|e| e.is_type_rule()));
}

#[test]
fn git_name_is_a_path() {
    let purl = p("pkg:git/codeberg.org/forgejo/forgejo@abc#a/b");
    assert_eq!(purl.namespace(), Some("codeberg.org"));
    assert_eq!(purl.name(), "forgejo/forgejo");
    assert_eq!(
        purl.to_string(),
        "pkg:git/codeberg.org/forgejo/forgejo@abc#a/b"
    );
    // Builder forms normalize to the same split.
    let a = Purl::new("git", "forgejo/forgejo").and_then(|b| b.with_namespace("codeberg.org"));
    let b = Purl::new("git", "forgejo").and_then(|b| b.with_namespace("codeberg.org/forgejo"));
    assert_eq!(a, Ok(purl.clone().with_version("").with_subpath("")));
    assert_eq!(a, b);
    // Without a namespace the host is missing (namespace is required).
    let c = Purl::new("git", "codeberg.org/forgejo/forgejo");
    assert!(c.is_ok_and(|c| c.validate().is_err_and(|e| e.is_type_rule())));
    assert!(matches!(
        "pkg:git/h/a%2Fb".parse::<Purl>(),
        Err(PurlError::SlashInSegment {
            component: "name",
            ..
        })
    ));
}

#[test]
fn segments_with_encoded_slash() {
    assert!(matches!(
        "pkg:npm/a%2Fb/c".parse::<Purl>(),
        Err(PurlError::SlashInSegment {
            component: "namespace",
            ..
        })
    ));
    assert!(matches!(
        "pkg:npm/c#a%2Fb".parse::<Purl>(),
        Err(PurlError::SlashInSegment {
            component: "subpath",
            ..
        })
    ));
    // A name may hold an encoded slash.
    let purl = p("pkg:generic/a%2Fb");
    assert_eq!(purl.name(), "a/b");
    assert_eq!(purl.to_string(), "pkg:generic/a%2Fb");
}

#[test]
fn separators_inside_components_roundtrip() {
    let purl = Purl::new("generic", "n@m?#&=")
        .and_then(|b| b.with_namespace("s p"))
        .map(|b| b.with_version("v@1?#").with_subpath("x#y/z?w"))
        .and_then(|b| b.with_qualifier("k", "a&b=c#d?e"));
    let purl = purl.unwrap_or_else(|e| panic!("{e}"));
    let text = purl.to_string();
    assert_eq!(
        text,
        "pkg:generic/s%20p/n%40m%3F%23%26%3D@v%401%3F%23?k=a%26b%3Dc%23d%3Fe#x%23y/z%3Fw"
    );
    assert_eq!(p(&text), purl);
}

#[test]
fn subpath_dot_segments_are_removed() {
    assert_eq!(canon("pkg:golang/h/a/b#./x/../y/"), "pkg:golang/h/a/b#x/y");
    assert_eq!(canon("pkg:golang/h/a/b#%2E%2E/x"), "pkg:golang/h/a/b#x");
}
