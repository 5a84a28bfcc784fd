//! Golden tests of the `ruby-gemfile-lock` cataloger on every scalibr fixture (the
//! osv-scanner v1 ones are identical), a Bundler 2.5 lock with CHECKSUMS and platforms,
//! Gemfile groups, malformed input, and the rubygems.org lockfile (corpus tier).

use std::collections::{BTreeSet, HashMap};

use chainproof_catalog::Cataloger;
use chainproof_catalog::ruby::GemfileLockCataloger;
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{id, pkg};

fn fixture(name: &str) -> Vec<u8> {
    kit::fixtures!("ruby/scalibr").read(name)
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    kit::catalog::run(&GemfileLockCataloger, r, path)
}

/// The fixture as `app/Gemfile.lock`, optionally with a Gemfile beside it.
fn lock_with(name: &str, gemfile: Option<&str>) -> Inventory {
    let mut r = MemoryResolver::new().with_file("app/Gemfile.lock", fixture(name));
    if let Some(g) = gemfile {
        r = r.with_file("app/Gemfile", g);
    }
    run(&r, "app/Gemfile.lock")
}

fn lock(name: &str) -> Inventory {
    lock_with(name, None)
}

/// `(purl or name, line)` of every library, sorted.
fn libs(inv: &Inventory) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| {
            let key = p.purl.as_ref().map_or_else(|| id(p), ToString::to_string);
            (key, p.locations[0].line.unwrap_or(0))
        })
        .collect();
    v.sort();
    v
}

fn edges(inv: &Inventory) -> Vec<String> {
    kit::inv::edge_lines(inv, kit::inv::id)
}

fn root(inv: &Inventory) -> &Package {
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1, "one root");
    inv.package(roots[0])
}

fn owned(v: &[(&str, u32)]) -> Vec<(String, u32)> {
    v.iter().map(|(a, b)| (a.to_string(), *b)).collect()
}

#[test]
fn every_fixture_is_covered() {
    assert_eq!(
        kit::fixtures!("ruby/scalibr").list(),
        vec![
            "has-git-gem.lock",
            "has-local-gem.lock",
            "invalid.lock",
            "no-gem-section.lock",
            "no-gems.lock",
            "no-spec-section.lock",
            "one-gem.lock",
            "rubocop.lock",
            "some-gems.lock",
            "source-section-at-end.lock",
        ],
        "a new fixture needs a golden test below"
    );
}

#[test]
fn golden_no_gems() {
    for f in [
        "no-gem-section.lock",
        "no-gems.lock",
        "no-spec-section.lock",
    ] {
        let inv = lock(f);
        assert_eq!(inv.len(), 1, "{f}: only the project");
        let r = root(&inv);
        assert_eq!(r.name, "app");
        assert_eq!(r.kind, PackageKind::Project);
        assert_eq!(r.version, None);
        assert_eq!(r.properties["chainproof:ruby:platforms"], "x86_64-linux");
        assert_eq!(
            r.properties["chainproof:ruby:ruby-version"],
            "ruby 3.0.2p107"
        );
        assert_eq!(r.properties["chainproof:ruby:bundled-with"], "2.2.28");
        assert_eq!(inv.edges().count(), 0);
    }
}

#[test]
fn golden_invalid_spec_is_an_error_with_its_line() {
    let r = MemoryResolver::new().with_file("Gemfile.lock", fixture("invalid.lock"));
    let e = GemfileLockCataloger
        .catalog(&r, "Gemfile.lock")
        .expect_err("a spec without a version");
    assert_eq!((e.path.as_str(), e.line), ("Gemfile.lock", Some(4)));
    assert!(e.message.contains("invalid-name"), "{e}");
}

#[test]
fn golden_one_gem() {
    for (f, line) in [("one-gem.lock", 4), ("source-section-at-end.lock", 16)] {
        let inv = lock(f);
        assert_eq!(libs(&inv), owned(&[("pkg:gem/ast@2.4.2", line)]), "{f}");
        assert_eq!(edges(&inv), vec!["app@ -> ast@2.4.2"], "{f}");
        let ast = pkg(&inv, "pkg:gem/ast@2.4.2");
        assert_eq!(ast.source.as_deref(), Some("https://rubygems.org/"));
        assert_eq!(ast.properties["chainproof:ruby:source-type"], "gem");
        assert_eq!(ast.scope, Scope::Runtime);
        assert!(ast.hashes.is_empty());
        assert!(!ast.properties.contains_key("chainproof:ruby:requirement"));
    }
}

#[test]
fn golden_some_gems_and_rubocop() {
    let inv = lock("some-gems.lock");
    assert_eq!(
        libs(&inv),
        owned(&[
            ("pkg:gem/coderay@1.1.3", 4),
            ("pkg:gem/method_source@1.0.0", 5),
            ("pkg:gem/pry@0.14.1", 6),
        ])
    );
    assert_eq!(
        edges(&inv),
        vec![
            "app@ -> pry@0.14.1",
            "pry@0.14.1 -> coderay@1.1.3",
            "pry@0.14.1 -> method_source@1.0.0",
        ]
    );

    let inv = lock("rubocop.lock");
    assert_eq!(
        libs(&inv),
        owned(&[
            ("pkg:gem/ast@2.4.2", 4),
            ("pkg:gem/parallel@1.21.0", 5),
            ("pkg:gem/parser@3.1.1.0", 6),
            ("pkg:gem/rainbow@3.1.1", 8),
            ("pkg:gem/regexp_parser@2.2.1", 9),
            ("pkg:gem/rexml@3.2.5", 10),
            ("pkg:gem/rubocop-ast@1.16.0", 20),
            ("pkg:gem/rubocop@1.25.1", 11),
            ("pkg:gem/ruby-progressbar@1.11.0", 22),
            ("pkg:gem/unicode-display_width@2.1.0", 23),
        ])
    );
    assert_eq!(
        edges(&inv),
        vec![
            "app@ -> rubocop@1.25.1",
            "parser@3.1.1.0 -> ast@2.4.2",
            "rubocop-ast@1.16.0 -> parser@3.1.1.0",
            "rubocop@1.25.1 -> parallel@1.21.0",
            "rubocop@1.25.1 -> parser@3.1.1.0",
            "rubocop@1.25.1 -> rainbow@3.1.1",
            "rubocop@1.25.1 -> regexp_parser@2.2.1",
            "rubocop@1.25.1 -> rexml@3.2.5",
            "rubocop@1.25.1 -> rubocop-ast@1.16.0",
            "rubocop@1.25.1 -> ruby-progressbar@1.11.0",
            "rubocop@1.25.1 -> unicode-display_width@2.1.0",
        ]
    );
    assert!(inv.packages().all(|(_, p)| p.scope == Scope::Runtime));
}

#[test]
fn golden_git_gems() {
    let inv = lock("has-git-gem.lock");
    let ctl = "pkg:gem/hanami-controller@2.0.0.alpha1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fhanami%2Fcontroller.git%40027dbe2e56397b534e859fc283990cad1b6addd6";
    let utils = "pkg:gem/hanami-utils@2.0.0.alpha1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fhanami%2Futils.git%405904fc9a70683b8749aa2861257d0c8c01eae4aa";
    assert_eq!(
        libs(&inv),
        owned(&[
            ("pkg:gem/concurrent-ruby@1.1.7", 22),
            (ctl, 6),
            (utils, 15),
            ("pkg:gem/rack@2.2.3", 23),
            ("pkg:gem/transproc@1.1.1", 24),
        ])
    );
    let c = pkg(&inv, ctl);
    assert_eq!(
        c.source.as_deref(),
        Some(
            "git+https://github.com/hanami/controller.git@027dbe2e56397b534e859fc283990cad1b6addd6"
        )
    );
    assert_eq!(c.properties["chainproof:ruby:source-type"], "git");
    assert_eq!(c.properties["chainproof:ruby:git-branch"], "action-new");
    assert_eq!(
        pkg(&inv, utils).properties["chainproof:ruby:git-branch"],
        "unstable"
    );
    assert_eq!(
        edges(&inv),
        vec![
            "app@ -> hanami-utils@2.0.0.alpha1",
            "hanami-controller@2.0.0.alpha1 -> hanami-utils@2.0.0.alpha1",
            "hanami-controller@2.0.0.alpha1 -> rack@2.2.3",
            "hanami-utils@2.0.0.alpha1 -> concurrent-ruby@1.1.7",
            "hanami-utils@2.0.0.alpha1 -> transproc@1.1.1",
        ]
    );
}

#[test]
fn golden_local_gem() {
    let inv = lock("has-local-gem.lock");
    assert_eq!(inv.len(), 31, "29 GEM specs, 1 PATH spec, the project");
    let bb = pkg(&inv, "pkg:gem/backbone-on-rails@1.2.0.0");
    assert_eq!(bb.kind, PackageKind::Project);
    assert_eq!(
        bb.source.as_deref(),
        Some("app/vendor/gem/backbone-on-rails")
    );
    assert_eq!(bb.properties["chainproof:ruby:source-type"], "path");
    assert_eq!(bb.locations[0].line, Some(4));
    let r = root(&inv);
    assert_eq!(
        r.name, "app",
        "a PATH section elsewhere than `.` is not the project"
    );
    let noko = pkg(&inv, "pkg:gem/nokogiri@1.13.3?platform=x86_64-linux");
    assert_eq!(noko.version.as_deref(), Some("1.13.3"));
    assert_eq!(noko.locations[0].line, Some(58));
    assert_eq!(
        noko.properties["chainproof:ruby:remotes"],
        "https://rubygems.org/, https://rails-assets.org/"
    );
    let bb_deps: Vec<String> = edges(&inv)
        .into_iter()
        .filter(|e| e.starts_with("backbone-on-rails"))
        .collect();
    assert_eq!(
        bb_deps,
        vec![
            "backbone-on-rails@1.2.0.0 -> eco@1.0.0",
            "backbone-on-rails@1.2.0.0 -> ejs@1.1.1",
            "backbone-on-rails@1.2.0.0 -> jquery-rails@4.4.0",
            "backbone-on-rails@1.2.0.0 -> railties@7.0.2.2",
        ]
    );
    // 42 dependency lines, each naming one locked gem; one DEPENDENCIES entry.
    assert_eq!(inv.edges().count(), 42 + 1);
    let unresolved: Vec<String> = inv
        .packages()
        .filter_map(|(_, p)| {
            p.properties
                .get("chainproof:ruby:unresolved")
                .map(|u| format!("{}: {u}", p.name))
        })
        .collect();
    assert_eq!(unresolved, Vec::<String>::new());
}

const BUNDLER_25: &str = "\
PATH
  remote: .
  specs:
    mygem (0.3.0)
      nokogiri (>= 1.13)

GEM
  remote: https://gems.example.com/
  specs:
    nokogiri (1.16.0)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    rspec (3.12.0)
      rspec-core (~> 3.12.0)
    rspec-core (3.12.0)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  mygem!
  rspec (~> 3.12)
  missing-gem

CHECKSUMS
  mygem (0.3.0)
  nokogiri (1.16.0) sha256=1111111111111111111111111111111111111111111111111111111111111111
  nokogiri (1.16.0-x86_64-linux) sha256=2222222222222222222222222222222222222222222222222222222222222222
  racc (1.7.3) sha256=zz
  rspec (3.12.0) sha256=3333333333333333333333333333333333333333333333333333333333333333

BUNDLED WITH
   2.5.4
";

#[test]
fn bundler_25_checksums_platforms_and_gemspec_root() {
    let gemfile = "source 'https://gems.example.com'\ngemspec\n\ngroup :development, :test do\n  gem 'rspec', '~> 3.12'\nend\n";
    let r = MemoryResolver::new()
        .with_file("Gemfile.lock", BUNDLER_25)
        .with_file("Gemfile", gemfile);
    let inv = run(&r, "Gemfile.lock");
    let root = root(&inv);
    assert_eq!(id(root), "mygem@0.3.0", "the PATH `.` gem is the project");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(
        root.properties["chainproof:ruby:platforms"],
        "ruby, x86_64-linux"
    );
    assert_eq!(root.properties["chainproof:ruby:unresolved"], "missing-gem");
    let repo = "repository_url=https:%2F%2Fgems.example.com%2F";
    let plain = pkg(&inv, &format!("pkg:gem/nokogiri@1.16.0?{repo}"));
    let linux = pkg(
        &inv,
        &format!("pkg:gem/nokogiri@1.16.0?platform=x86_64-linux&{repo}"),
    );
    assert_eq!(plain.hashes.len(), 1);
    assert_eq!(plain.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(plain.hashes[0].value, "1".repeat(64));
    assert_eq!(linux.hashes[0].value, "2".repeat(64));
    let racc = pkg(&inv, &format!("pkg:gem/racc@1.7.3?{repo}"));
    assert!(racc.hashes.is_empty());
    assert_eq!(racc.properties["chainproof:ruby:checksum"], "sha256=zz");
    let rspec = pkg(&inv, &format!("pkg:gem/rspec@3.12.0?{repo}"));
    assert_eq!(rspec.properties["chainproof:ruby:requirement"], "~> 3.12");
    assert_eq!(
        edges(&inv),
        vec![
            "mygem@0.3.0 -> nokogiri@1.16.0",
            "mygem@0.3.0 -> nokogiri@1.16.0",
            "mygem@0.3.0 -> rspec@3.12.0",
            "nokogiri@1.16.0 -> racc@1.7.3",
            "nokogiri@1.16.0 -> racc@1.7.3",
            "rspec@3.12.0 -> rspec-core@3.12.0",
        ],
        "a gem locked for two platforms gets an edge to each"
    );
    let scopes: HashMap<String, Scope> = inv
        .packages()
        .map(|(_, p)| {
            (
                p.purl.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                p.scope,
            )
        })
        .collect();
    assert_eq!(scopes[&format!("pkg:gem/rspec@3.12.0?{repo}")], Scope::Dev);
    assert_eq!(
        scopes[&format!("pkg:gem/rspec-core@3.12.0?{repo}")],
        Scope::Dev
    );
    assert_eq!(
        scopes[&format!("pkg:gem/racc@1.7.3?{repo}")],
        Scope::Runtime
    );
    assert_eq!(scopes["pkg:gem/mygem@0.3.0"], Scope::Runtime);
}

#[test]
fn gemfile_groups_make_dev_scopes_by_reachability() {
    let gemfile = "source \"https://rubygems.org\"\ngem \"pry\"\ngroup :development do\n  gem \"rubocop\"\nend\n";
    let inv = lock_with("rubocop.lock", Some(gemfile));
    let dev: BTreeSet<String> = inv
        .packages()
        .filter(|(_, p)| p.scope == Scope::Dev)
        .map(|(_, p)| p.name.clone())
        .collect();
    assert_eq!(dev.len(), 10, "rubocop and all it pulls in: {dev:?}");
    assert_eq!(root(&inv).scope, Scope::Runtime);

    // A gem reachable from a runtime dependency too stays runtime.
    let inv = lock_with("some-gems.lock", Some("gem 'pry', group: :test\n"));
    assert!(
        inv.packages()
            .filter(|(_, p)| p.kind == PackageKind::Library)
            .all(|(_, p)| p.scope == Scope::Dev)
    );
    let inv = lock_with(
        "some-gems.lock",
        Some("gem 'pry', group: [:test, :production]\n"),
    );
    assert!(inv.packages().all(|(_, p)| p.scope == Scope::Runtime));
}

#[test]
fn gems_locked_reads_gems_rb() {
    let r = MemoryResolver::new()
        .with_file("x/gems.locked", fixture("some-gems.lock"))
        .with_file("x/gems.rb", "group :test do\n gem 'pry'\nend\n")
        .with_file("x/x-tool.gemspec", "");
    assert!(GemfileLockCataloger.matches("x/gems.locked"));
    assert!(!GemfileLockCataloger.matches("x/Gemfile.lock.bak"));
    let inv = run(&r, "x/gems.locked");
    assert_eq!(
        root(&inv).name,
        "x-tool",
        "named after the gemspec beside the lock"
    );
    assert_eq!(pkg(&inv, "pkg:gem/coderay@1.1.3").scope, Scope::Dev);
}

#[test]
fn malformed_input_is_an_error_with_a_line_never_a_panic() {
    let cases: [(&str, u32); 6] = [
        ("GEM\n  specs:\n    rack\n", 3),
        ("GEM\n  specs:\n     rack (1.0)\n", 3),
        ("GEM\n  specs:\n      rack (1.0)\n", 3),
        ("  indented\n", 1),
        ("GEM\n  specs:\n    a (1)\n<<<<<<< HEAD\n", 4),
        ("CHECKSUMS\n  a (1) sha256\n", 2),
    ];
    for (text, line) in cases {
        let r = MemoryResolver::new().with_file("Gemfile.lock", text);
        let e = GemfileLockCataloger
            .catalog(&r, "Gemfile.lock")
            .expect_err(text);
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
    }
    // Every prefix of a real lockfile parses or fails cleanly.
    let text = String::from_utf8(fixture("has-local-gem.lock")).expect("utf-8");
    for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let r = MemoryResolver::new().with_file("Gemfile.lock", &text[..end]);
        let _ = GemfileLockCataloger.catalog(&r, "Gemfile.lock");
    }
}

#[test]
fn osv_scanner_v1_fixtures_equal_scalibr_ones() {
    let Some(dir) = kit::corpus::dir("lockfiles/rubygems/osv-scanner-v1/bundler") else {
        return;
    };
    let n = kit::fixture::assert_copies(&dir, &kit::fixtures!("ruby/scalibr"));
    assert_eq!(n, 8);
}

#[test]
fn realworld_rubygems_org() {
    let Some(text) = kit::corpus::read_to_string("realworld/rubygems.org/Gemfile.lock") else {
        return;
    };
    let r = MemoryResolver::new().with_file("rubygems.org/Gemfile.lock", text.as_str());
    let inv = run(&r, "rubygems.org/Gemfile.lock");

    // Independent count: spec lines are the four-space lines of the sections before PLATFORMS.
    let head = &text[..text.find("\nPLATFORMS\n").expect("PLATFORMS")];
    let spec_lines: Vec<&str> = head
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .map(str::trim)
        .collect();
    assert_eq!(spec_lines.len(), 341);
    assert_eq!(
        inv.len(),
        spec_lines.len() + 1,
        "every spec and the project"
    );
    let with_platform = spec_lines
        .iter()
        .filter(|l| l.split_once(" (").is_some_and(|(_, v)| v.contains('-')))
        .count();
    let qualified = inv
        .packages()
        .filter(|(_, p)| {
            p.purl
                .as_ref()
                .is_some_and(|u| u.qualifier("platform").is_some())
        })
        .count();
    assert_eq!(qualified, with_platform);
    assert!(qualified > 40, "{qualified}");

    let sums = text
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(" sha256="))
        .count();
    let hashed = inv.packages().filter(|(_, p)| p.hashes.len() == 1).count();
    assert_eq!(hashed, sums);

    let direct = text[text.find("\nDEPENDENCIES\n").expect("DEPENDENCIES")..]
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .count();
    let root = inv.roots().next().expect("root");
    assert_eq!(inv.package(root).name, "rubygems.org");
    let direct_names: BTreeSet<&str> = inv
        .dependencies_of(root)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert_eq!(direct_names.len(), direct);
    let unresolved: Vec<String> = inv
        .packages()
        .filter_map(|(_, p)| {
            p.properties
                .get("chainproof:ruby:unresolved")
                .map(|u| format!("{}: {u}", p.name))
        })
        .collect();
    assert_eq!(unresolved, Vec::<String>::new());
}
