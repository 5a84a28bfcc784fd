//! `docs/formats.md` must list exactly the catalogers of the registry. Regenerate with
//! `UPDATE_DOCS=1 cargo test -p chainproof-catalog --test docs_formats`.

use std::path::Path;

const BEGIN: &str = "<!-- BEGIN GENERATED: formats table -->\n";
const END: &str = "<!-- END GENERATED -->";

#[test]
fn docs_formats_table_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats.md");
    let text = std::fs::read_to_string(&path).expect("docs/formats.md exists");
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let table = chainproof_catalog::registry::formats_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &text[..start], table, &text[end..]);
        std::fs::write(&path, updated).expect("write docs/formats.md");
        return;
    }
    assert_eq!(
        &text[start..end],
        table,
        "docs/formats.md is out of date: run UPDATE_DOCS=1 cargo test -p chainproof-catalog --test docs_formats"
    );
}
