//! Merging statements: one decision per (vulnerability, product, subcomponent).

use std::collections::BTreeMap;

use super::{ProductId, VexProduct, VexStatement};

/// Combines statements (in input order) so that each vulnerability × product (×
/// subcomponent) keeps only its newest statement (by timestamp; between equal or missing
/// timestamps the later input wins). Statements that end up saying the same thing about
/// several products are regrouped into one. Aliases of a vulnerability are united.
/// The result is sorted by vulnerability and product.
pub fn merge(statements: Vec<VexStatement>) -> Vec<VexStatement> {
    type Atom = (String, ProductId, Option<ProductId>);
    let mut newest: BTreeMap<Atom, VexStatement> = BTreeMap::new();
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in statements {
        let key_vuln = s.vulnerability.to_ascii_lowercase();
        aliases
            .entry(key_vuln.clone())
            .or_default()
            .extend(s.aliases.iter().cloned());
        for p in &s.products {
            let subs: Vec<Option<ProductId>> = if p.subcomponents.is_empty() {
                vec![None]
            } else {
                p.subcomponents.iter().cloned().map(Some).collect()
            };
            for sub in subs {
                let key = (key_vuln.clone(), p.id.clone(), sub);
                let replace = newest
                    .get(&key)
                    .is_none_or(|old| s.timestamp >= old.timestamp);
                if replace {
                    let mut one = s.clone();
                    one.products.clear();
                    newest.insert(key, one);
                }
            }
        }
    }
    // Regroup atoms whose statements are identical apart from the product.
    let mut grouped: Vec<VexStatement> = Vec::new();
    for ((vuln, product, sub), mut s) in newest {
        let mut all = aliases.get(&vuln).cloned().unwrap_or_default();
        all.retain(|a| !a.eq_ignore_ascii_case(&s.vulnerability));
        all.sort();
        all.dedup();
        s.aliases = all;
        let same = grouped.iter_mut().find(|g| {
            g.vulnerability.eq_ignore_ascii_case(&s.vulnerability)
                && g.status == s.status
                && g.justification == s.justification
                && g.impact == s.impact
                && g.action == s.action
                && g.timestamp == s.timestamp
        });
        let target = match same {
            Some(g) => g,
            None => {
                grouped.push(s);
                grouped.last_mut().expect("just pushed")
            }
        };
        match target
            .products
            .iter_mut()
            .find(|p| p.id == product && p.subcomponents.is_empty() == sub.is_none())
        {
            Some(p) => p.subcomponents.extend(sub),
            None => target.products.push(VexProduct {
                id: product,
                subcomponents: sub.into_iter().collect(),
            }),
        }
    }
    grouped
}
