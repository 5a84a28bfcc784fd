//! The single list of catalogers.

use crate::Cataloger;

/// Every cataloger, in a stable order.
pub fn all() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(crate::cargo::CargoLockCataloger),
        Box::new(crate::npm::PackageLockCataloger),
        Box::new(crate::pnpm::PnpmLockCataloger),
        Box::new(crate::python::RequirementsCataloger),
        Box::new(crate::python::PoetryLockCataloger),
        Box::new(crate::python::UvLockCataloger),
        Box::new(crate::golang::GoModCataloger),
    ]
}

/// The catalogers whose name is in `names` (all when `names` is empty).
pub fn select(names: &[String]) -> Vec<Box<dyn Cataloger>> {
    all()
        .into_iter()
        .filter(|c| names.is_empty() || names.iter().any(|n| n == c.name()))
        .collect()
}

/// The supported-formats table (Markdown), one row per cataloger, generated from the
/// registry; `docs/formats.md` holds a copy that a test keeps equal to this.
pub fn formats_table() -> String {
    let yes = |b: bool| if b { "yes" } else { "—" };
    let mut out = String::from(
        "| cataloger | ecosystem | files | edges | licenses | scope | hashes |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for c in all() {
        let i = c.info();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            i.name,
            i.ecosystem,
            i.files,
            yes(i.edges),
            yes(i.licenses),
            yes(i.scopes),
            yes(i.hashes)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique_and_kebab_case() {
        let all = super::all();
        let mut names: Vec<_> = all.iter().map(|c| c.name()).collect();
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
