//! Tests of the `ruby-installed-gemspec` cataloger on gemspecs in the shape RubyGems writes
//! to `specifications/` (old `%q<>` style with `respond_to?` branches, and the current style).

use chainproof_catalog::Cataloger;
use chainproof_catalog::ruby::GemspecCataloger;
use chainproof_catalog::ruby::gemspec::parse_gemspec;
use chainproof_catalog::{CatalogOptions, catalog};
use chainproof_core::{Inventory, License, PackageKind};
use chainproof_source::MemoryResolver;

const DIR: &str = "usr/lib/ruby/gems/3.0.0/specifications";

/// RubyGems 3.x style.
const RAILTIES: &str = r#"# -*- encoding: utf-8 -*-
# stub: railties 7.0.2.2 ruby lib

Gem::Specification.new do |s|
  s.name = "railties".freeze
  s.version = "7.0.2.2"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://github.com/rails/rails/issues", "rubygems_mfa_required" => "true" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["David Heinemeier Hansson".freeze]
  s.bindir = "exe".freeze
  s.date = "2022-02-11"
  s.description = "Rails internals: application bootup, plugins, generators, and rake tasks.".freeze
  s.email = "david@loudthinking.com".freeze
  s.executables = ["rails".freeze]
  s.homepage = "https://rubyonrails.org".freeze
  s.licenses = ["MIT".freeze]
  s.rdoc_options = ["--exclude".freeze, ".".freeze]
  s.required_ruby_version = Gem::Requirement.new(">= 2.7.0".freeze)
  s.rubygems_version = "3.2.32".freeze
  s.summary = "Tools for creating, working with, and running Rails applications.".freeze

  s.installed_by_version = "3.2.32" if s.respond_to? :installed_by_version

  if s.respond_to? :specification_version then
    s.specification_version = 4
  end

  if s.respond_to? :add_runtime_dependency then
    s.add_runtime_dependency(%q<activesupport>.freeze, ["= 7.0.2.2"])
    s.add_runtime_dependency(%q<rake>.freeze, [">= 12.2"])
    s.add_runtime_dependency(%q<thor>.freeze, ["~> 1.0"])
    s.add_development_dependency(%q<actionview>.freeze, ["= 7.0.2.2"])
  else
    s.add_dependency(%q<activesupport>.freeze, ["= 7.0.2.2"])
    s.add_dependency(%q<rake>.freeze, [">= 12.2"])
    s.add_dependency(%q<thor>.freeze, ["~> 1.0"])
    s.add_dependency(%q<actionview>.freeze, ["= 7.0.2.2"])
  end
end
"#;

/// RubyGems 3.5 style: no `respond_to?` branches, `.freeze` on requirements.
const NOKOGIRI: &str = r#"# -*- encoding: utf-8 -*-
# stub: nokogiri 1.16.0 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = "1.16.0".freeze
  s.platform = "x86_64-linux".freeze
  s.licenses = ["MIT".freeze]
  s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4".freeze])
  s.add_runtime_dependency %q<mini_portile2>.freeze, ["~> 2.8.2".freeze]
end
"#;

const RAKE: &str = "Gem::Specification.new do |spec|\n  spec.name = 'rake'\n  spec.version = '13.0.6'\n  spec.license = 'MIT'\nend\n";
const THOR_OLD: &str = "Gem::Specification.new do |s|\n  s.name = %q{thor}\n  s.version = \"1.2.1\"\n  s.licenses = [\"MIT\", \"Custom License\"]\nend\n";
const RACC_DEFAULT: &str = "Gem::Specification.new do |s|\n  s.name = \"racc\"\n  s.version = \"1.6.0\"\n  s.licenses = [\"Ruby\", \"BSD-2-Clause\"]\nend\n";

fn resolver() -> MemoryResolver {
    MemoryResolver::new()
        .with_file(&format!("{DIR}/railties-7.0.2.2.gemspec"), RAILTIES)
        .with_file(
            &format!("{DIR}/nokogiri-1.16.0-x86_64-linux.gemspec"),
            NOKOGIRI,
        )
        .with_file(&format!("{DIR}/rake-13.0.6.gemspec"), RAKE)
        .with_file(&format!("{DIR}/thor-1.2.1.gemspec"), THOR_OLD)
        .with_file(
            &format!("{DIR}/thor-1.1.0.gemspec"),
            THOR_OLD.replace("1.2.1", "1.1.0"),
        )
        .with_file(&format!("{DIR}/default/racc-1.6.0.gemspec"), RACC_DEFAULT)
        .with_file("app/my.gemspec", RAKE)
}

fn one(path: &str) -> Inventory {
    GemspecCataloger
        .catalog(&resolver(), path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn edges(inv: &Inventory) -> Vec<String> {
    let mut e: Vec<String> = inv
        .edges()
        .map(|(a, b)| {
            let p = |i| {
                inv.package(i)
                    .purl
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            };
            format!("{} -> {}", p(a), p(b))
        })
        .collect();
    e.sort();
    e
}

#[test]
fn matches_only_installed_specifications() {
    assert!(GemspecCataloger.matches(&format!("{DIR}/rake-13.0.6.gemspec")));
    assert!(GemspecCataloger.matches(&format!("{DIR}/default/racc-1.6.0.gemspec")));
    assert!(!GemspecCataloger.matches("app/my.gemspec"));
    assert!(!GemspecCataloger.matches(&format!("{DIR}/rake-13.0.6.gemspec.bak")));
}

#[test]
fn railties_fields_and_edges() {
    let spec = parse_gemspec("r", RAILTIES).expect("parses");
    assert_eq!(
        (spec.name.as_str(), spec.version.as_str()),
        ("railties", "7.0.2.2")
    );
    assert_eq!(spec.platform, None);
    assert_eq!(spec.licenses, vec!["MIT"]);
    let deps: Vec<(&str, Vec<&str>)> = spec
        .dependencies
        .iter()
        .map(|(n, r)| (n.as_str(), r.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        deps,
        vec![
            ("activesupport", vec!["= 7.0.2.2"]),
            ("rake", vec![">= 12.2"]),
            ("thor", vec!["~> 1.0"]),
        ],
        "development dependencies, also in the `else` branch, are skipped"
    );

    let inv = one(&format!("{DIR}/railties-7.0.2.2.gemspec"));
    assert_eq!(
        edges(&inv),
        vec![
            "pkg:gem/railties@7.0.2.2 -> pkg:gem/rake@13.0.6",
            "pkg:gem/railties@7.0.2.2 -> pkg:gem/thor@1.1.0",
            "pkg:gem/railties@7.0.2.2 -> pkg:gem/thor@1.2.1",
        ]
    );
    let r = inv.package(inv.find("pkg:gem/railties@7.0.2.2").expect("railties"));
    assert_eq!(r.licenses, vec![License::Spdx("MIT".into())]);
    assert_eq!(r.kind, PackageKind::Library);
    assert_eq!(r.properties["chainproof:ruby:unresolved"], "activesupport");
    assert_eq!(
        r.locations[0].path,
        format!("{DIR}/railties-7.0.2.2.gemspec")
    );
}

#[test]
fn platform_and_default_gems() {
    let inv = one(&format!("{DIR}/nokogiri-1.16.0-x86_64-linux.gemspec"));
    assert_eq!(
        edges(&inv),
        vec!["pkg:gem/nokogiri@1.16.0?platform=x86_64-linux -> pkg:gem/racc@1.6.0"],
        "racc is a default gem"
    );
    let n = inv.package(
        inv.find("pkg:gem/nokogiri@1.16.0?platform=x86_64-linux")
            .expect("nokogiri"),
    );
    assert_eq!(n.properties["chainproof:ruby:unresolved"], "mini_portile2");

    let inv = one(&format!("{DIR}/default/racc-1.6.0.gemspec"));
    let racc = inv.package(inv.find("pkg:gem/racc@1.6.0").expect("racc"));
    assert_eq!(
        racc.licenses,
        vec![
            License::Spdx("Ruby".into()),
            License::Spdx("BSD-2-Clause".into())
        ]
    );
    let inv = one(&format!("{DIR}/thor-1.2.1.gemspec"));
    let thor = inv.package(inv.find("pkg:gem/thor@1.2.1").expect("thor"));
    assert_eq!(thor.licenses[1], License::Other("Custom License".into()));
}

#[test]
fn whole_directory_unifies_edge_targets() {
    let r = resolver();
    let inv = catalog(
        &r,
        &[Box::new(GemspecCataloger)],
        &CatalogOptions::default(),
    );
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let mut purls: Vec<String> = inv
        .packages()
        .map(|(_, p)| p.purl.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect();
    purls.sort();
    assert_eq!(
        purls,
        vec![
            "pkg:gem/nokogiri@1.16.0?platform=x86_64-linux",
            "pkg:gem/racc@1.6.0",
            "pkg:gem/railties@7.0.2.2",
            "pkg:gem/rake@13.0.6",
            "pkg:gem/thor@1.1.0",
            "pkg:gem/thor@1.2.1",
        ],
        "app/my.gemspec is not an installed spec"
    );
    assert_eq!(inv.edges().count(), 4);
    let rake = inv.package(inv.find("pkg:gem/rake@13.0.6").expect("rake"));
    assert_eq!(
        rake.locations.len(),
        1,
        "stub and real sighting share one location"
    );
    assert_eq!(rake.licenses, vec![License::Spdx("MIT".into())]);
}

#[test]
fn malformed_gemspecs_are_errors_never_panics() {
    for text in [
        "",
        "Gem::Specification.new do |s|\nend\n",
        "s.version = '1'\n",
    ] {
        assert!(parse_gemspec("x.gemspec", text).is_err(), "{text:?}");
    }
    let e = parse_gemspec(
        "x.gemspec",
        "Gem::Specification.new do |s|\n  s.name = 'a'\nend",
    )
    .expect_err("no version");
    assert_eq!(e.line, Some(2));
    for end in (0..NOKOGIRI.len()).filter(|&i| NOKOGIRI.is_char_boundary(i)) {
        let _ = parse_gemspec("x.gemspec", &NOKOGIRI[..end]);
    }
}
