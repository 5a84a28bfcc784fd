//! A real Debian root filesystem (`scripts/debian-root.sh DIR`, then
//! `CHAINPROOF_DEBIAN_ROOT=DIR`): the catalogers must find exactly the packages
//! `dpkg-query --admindir=DIR/var/lib/dpkg -W` lists (name, version, architecture).
//! Skipped, loudly, when the variable is unset or `dpkg-query` is missing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use chainproof_catalog::os::{OwnedFiles, PROP_OWNED_FILES};
use chainproof_catalog::{CatalogOptions, catalog, registry};
use chainproof_core::Ecosystem;
use chainproof_source::{DirectoryResolver, WalkOptions};
use chainproof_testkit as kit;

fn root() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("CHAINPROOF_DEBIAN_ROOT") else {
        eprintln!(
            "SKIPPED: CHAINPROOF_DEBIAN_ROOT is not set (build one with scripts/debian-root.sh DIR)"
        );
        return None;
    };
    let dir = PathBuf::from(dir);
    if !dir.join("var/lib/dpkg/status").is_file() {
        eprintln!("SKIPPED: no var/lib/dpkg/status under {}", dir.display());
        return None;
    }
    Some(dir)
}

#[test]
fn finds_every_package_dpkg_query_lists() {
    let Some(dir) = root() else { return };
    let out = match Command::new("dpkg-query")
        .arg(format!("--admindir={}", dir.join("var/lib/dpkg").display()))
        .args([
            "-W",
            "-f",
            "${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Status}\\n",
        ])
        .output()
    {
        Ok(o) if o.status.success() => o,
        other => {
            eprintln!("SKIPPED: dpkg-query unavailable: {other:?}");
            return;
        }
    };
    let listed = String::from_utf8(out.stdout).expect("utf8");
    let want: BTreeSet<String> = listed
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 4 && f[3] != "config-files" && f[3] != "not-installed")
                .then(|| format!("{}\t{}\t{}", f[0], f[1], f[2]))
        })
        .collect();
    assert!(want.len() > 50, "{}", want.len());

    let t = std::time::Instant::now();
    let r = DirectoryResolver::walk(&dir, &WalkOptions::default()).expect("walk");
    let walked = t.elapsed();
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    let cataloged = t.elapsed() - walked;
    eprintln!(
        "debian root: {} files walked in {walked:?}; {} packages ({} edges) cataloged in {cataloged:?}",
        r.files().len(),
        inv.len(),
        inv.edges().len()
    );
    use chainproof_source::FileResolver;
    let debs: Vec<_> = inv
        .packages()
        .map(|(_, p)| p)
        .filter(|p| p.ecosystem == Ecosystem::Debian)
        .collect();
    let got: BTreeSet<String> = debs.iter().map(|p| kit::inv::nva_of(p)).collect();
    assert_eq!(got, want);
    assert_eq!(debs.len(), want.len());
    for p in &debs {
        let purl = p.purl.as_ref().expect("purl");
        assert_eq!(purl.namespace(), Some("debian"));
        assert_eq!(purl.qualifier("distro"), Some("debian-12"), "{purl}");
    }
    // Licenses from usr/share/doc/*/copyright for most packages.
    let licensed = debs.iter().filter(|p| !p.licenses.is_empty()).count();
    assert!(
        licensed * 10 >= debs.len() * 8,
        "{licensed} of {}",
        debs.len()
    );
    // Dependency edges between installed packages.
    assert!(inv.edges().len() > debs.len(), "{}", inv.edges().len());
    // File ownership from info/*.list.
    let owned = OwnedFiles::collect(&r);
    let dpkg = debs.iter().find(|p| p.name == "dpkg").expect("dpkg");
    assert_eq!(owned.owner("usr/bin/dpkg"), Some(dpkg.key().as_str()));
    assert!(
        dpkg.properties[PROP_OWNED_FILES]
            .parse::<usize>()
            .expect("n")
            > 50
    );
    // Merged /usr: bash's database says /bin/bash; the regular file is usr/bin/bash.
    let bash = debs.iter().find(|p| p.name == "bash").expect("bash");
    assert_eq!(owned.owner("usr/bin/bash"), Some(bash.key().as_str()));
    // Nearly every regular file under usr/bin belongs to a package.
    let bins: Vec<&str> = r
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("usr/bin/"))
        .collect();
    let unowned: Vec<&&str> = bins.iter().filter(|p| owned.owner(p).is_none()).collect();
    assert!(unowned.len() * 20 < bins.len(), "{unowned:?}");
    eprintln!(
        "debian root: {} owned paths; {} of {} usr/bin files unowned",
        owned.len(),
        unowned.len(),
        bins.len()
    );
}
