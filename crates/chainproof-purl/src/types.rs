//! Registered purl types and their per-type rules.
//!
//! The table mirrors the official type definitions (`types/*-definition.json` in
//! <https://github.com/package-url/purl-spec>): whether a namespace is required or
//! prohibited, which components are case-insensitive (and so lowercased), and which
//! qualifiers are required. A test checks this table against the copied definition
//! files. Rules that the JSON schema cannot express (pypi `_` → `-`, pub names, the
//! git host/path split, chrome-extension ids, cpan distribution names, ...) are
//! implemented in [`normalize`] and [`validate`].

use crate::{Purl, PurlError};

/// Whether a component must, may or must not be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// The component may be present.
    Optional,
    /// The component must be present.
    Required,
    /// The component must not be present.
    Prohibited,
}

/// The rules of one registered purl type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeDefinition {
    /// The type, lowercase (`"npm"`).
    pub ty: &'static str,
    /// Whether the namespace is required, optional or prohibited.
    pub namespace: Requirement,
    /// `false` when namespace segments are case-insensitive and lowercased.
    pub namespace_case_sensitive: bool,
    /// `false` when the name is case-insensitive and lowercased.
    pub name_case_sensitive: bool,
    /// `false` when the version is case-insensitive and lowercased.
    pub version_case_sensitive: bool,
    /// `false` when subpath segments are case-insensitive and lowercased.
    pub subpath_case_sensitive: bool,
    /// Qualifier keys that must be present.
    pub required_qualifiers: &'static [&'static str],
}

use Requirement::{Optional as O, Prohibited as P, Required as R};

/// `def(ty, namespace, ns_cs, name_cs, version_cs, subpath_cs, required qualifiers)`.
const fn def(
    ty: &'static str,
    namespace: Requirement,
    ns: bool,
    name: bool,
    version: bool,
    subpath: bool,
    required_qualifiers: &'static [&'static str],
) -> TypeDefinition {
    TypeDefinition {
        ty,
        namespace,
        namespace_case_sensitive: ns,
        name_case_sensitive: name,
        version_case_sensitive: version,
        subpath_case_sensitive: subpath,
        required_qualifiers,
    }
}

/// All registered types, sorted by name. `true` = case-sensitive.
static TYPES: &[TypeDefinition] = &[
    def("alpm", R, false, false, true, true, &[]),
    def("apk", R, false, false, true, true, &[]),
    def("bazel", P, true, true, true, true, &[]),
    def("bitbucket", R, false, false, true, true, &[]),
    def("bitnami", P, true, false, true, true, &[]),
    def("brew", O, false, false, true, true, &[]),
    def("cargo", P, true, true, true, true, &[]),
    def("chrome-extension", P, true, false, true, true, &[]),
    def("cocoapods", P, true, true, true, true, &[]),
    def("composer", R, false, false, true, true, &[]),
    def("conan", O, true, true, true, true, &[]),
    def("conda", P, true, true, true, true, &[]),
    def("cpan", O, true, true, true, true, &[]),
    def("cran", P, true, true, true, true, &[]),
    def("deb", R, false, false, true, true, &[]),
    def("docker", O, true, true, true, true, &[]),
    def("gem", P, true, true, true, true, &[]),
    def("generic", O, true, true, true, true, &[]),
    def("git", R, true, true, true, true, &[]),
    def("github", R, false, false, true, true, &[]),
    def("golang", R, true, true, true, true, &[]),
    def("hackage", P, true, true, true, true, &[]),
    def("hex", O, false, false, true, true, &[]),
    def("huggingface", R, true, true, false, true, &[]),
    def("julia", P, true, true, true, true, &["uuid"]),
    def("luarocks", O, false, false, true, true, &[]),
    def("maven", R, true, true, true, true, &[]),
    def("mlflow", P, true, true, true, true, &[]),
    def("npm", O, true, true, true, true, &[]),
    def("nuget", P, true, true, true, true, &[]),
    def("oci", P, true, false, false, true, &[]),
    def("opam", P, true, true, true, true, &[]),
    def("otp", P, true, false, true, false, &[]),
    def("pub", P, true, false, true, true, &[]),
    def("pypi", P, true, false, false, true, &[]),
    def("qpkg", R, false, true, true, true, &[]),
    def("rpm", R, false, true, true, true, &[]),
    def("swid", O, true, true, true, true, &["tag_id"]),
    def("swift", R, true, true, true, true, &[]),
    def("vcpkg", P, true, true, true, true, &[]),
    def("vscode-extension", R, false, false, false, true, &[]),
    def("yocto", O, false, true, true, true, &[]),
];

/// The definition of a registered type (`ty` lowercase), if any.
pub fn type_definition(ty: &str) -> Option<&'static TypeDefinition> {
    TYPES
        .binary_search_by(|d| d.ty.cmp(ty))
        .ok()
        .and_then(|i| TYPES.get(i))
}

/// All registered types, sorted by name.
pub fn registered_types() -> &'static [TypeDefinition] {
    TYPES
}

/// Types whose name is a `/`-separated path and whose namespace is a single
/// segment (the host), e.g. `pkg:git/codeberg.org/forgejo/forgejo`.
pub(crate) fn name_is_path(ty: &str) -> bool {
    ty == "git"
}

/// Applies the per-type normalizations to already generally-normalized components.
/// Idempotent and infallible.
pub(crate) fn normalize(p: &mut Purl) {
    let Some(def) = type_definition(&p.ty) else {
        return;
    };
    if !def.namespace_case_sensitive {
        p.namespace = p.namespace.take().map(|n| n.to_lowercase());
    }
    if !def.name_case_sensitive {
        p.name = p.name.to_lowercase();
    }
    if !def.version_case_sensitive {
        p.version = p.version.take().map(|v| v.to_lowercase());
    }
    if !def.subpath_case_sensitive {
        p.subpath = p.subpath.take().map(|s| s.to_lowercase());
    }
    match def.ty {
        "pypi" => p.name = p.name.replace('_', "-"),
        "pub" => {
            p.name = p
                .name
                .chars()
                .map(|c| match c {
                    'a'..='z' | '0'..='9' | '_' => c,
                    _ => '_',
                })
                .collect();
        }
        // The CPAN author id is uppercase.
        "cpan" => p.namespace = p.namespace.take().map(|n| n.to_uppercase()),
        // Databricks model names are case-insensitive; Azure ML ones are not.
        "mlflow" => {
            let databricks = p
                .qualifiers
                .get("repository_url")
                .is_some_and(|u| u.to_ascii_lowercase().contains("databricks"));
            if databricks {
                p.name = p.name.to_lowercase();
            }
        }
        // GUID tag ids are lowercase.
        "swid" => {
            if let Some(tag) = p.qualifiers.get_mut("tag_id")
                && is_guid(tag)
            {
                *tag = tag.to_ascii_lowercase();
            }
        }
        _ => {}
    }
}

/// Checks the type-specific requirements (required/prohibited namespace, required
/// qualifiers, permitted characters).
pub(crate) fn validate(p: &Purl) -> Result<(), PurlError> {
    let Some(def) = type_definition(&p.ty) else {
        return Ok(());
    };
    let fail = |message: String| {
        Err(PurlError::TypeRule {
            ty: def.ty.to_string(),
            message,
        })
    };
    match (def.namespace, &p.namespace) {
        (Requirement::Required, None) => return fail("a namespace is required".into()),
        (Requirement::Prohibited, Some(ns)) => {
            return fail(format!("a namespace is not allowed (found `{ns}`)"));
        }
        _ => {}
    }
    for key in def.required_qualifiers {
        if !p.qualifiers.contains_key(*key) {
            return fail(format!("the `{key}` qualifier is required"));
        }
    }
    match def.ty {
        "chrome-extension" => {
            if p.name.len() != 32 || !p.name.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
                return fail(format!(
                    "name `{}` is not an extension id (32 letters a-p)",
                    p.name
                ));
            }
            if let Some(v) = &p.version
                && !is_dotted_numbers(v, 4)
            {
                return fail(format!("version `{v}` is not 1 to 4 dot-separated numbers"));
            }
        }
        "cpan" if p.name.contains("::") => {
            return fail(format!(
                "name `{}` is a module name; use the distribution name (no `::`)",
                p.name
            ));
        }
        "swid" => {
            if let Some(ns) = &p.namespace
                && ns.split('/').count() > 2
            {
                return fail(format!("namespace `{ns}` has more than two segments"));
            }
        }
        _ => {}
    }
    Ok(())
}

/// `^\d+(\.\d+){0,max-1}$`.
fn is_dotted_numbers(s: &str, max: usize) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= max
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TYPES.windows(2).all(|w| w[0].ty < w[1].ty));
        assert_eq!(type_definition("maven").map(|d| d.ty), Some("maven"));
        assert_eq!(type_definition("nope"), None);
    }

    #[test]
    fn helpers() {
        assert!(is_dotted_numbers("1.2.3.4", 4));
        assert!(!is_dotted_numbers("1.2.3.4.5", 4));
        assert!(!is_dotted_numbers("1.2-beta", 4));
        assert!(!is_dotted_numbers("", 4));
        assert!(is_guid("75B8C285-fa7b-485b-b199-4745e3004d0d"));
        assert!(!is_guid("org.fedoraproject.Fedora-29"));
    }
}
