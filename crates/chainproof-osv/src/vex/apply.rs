//! Applying statements to findings: vulnerability *and* product must match.

use std::collections::{HashMap, HashSet};

use chainproof_core::vuln::{Finding, VexAnnotation};
use chainproof_core::{Inventory, Package, PackageId};

use super::{ProductId, VexProduct, VexSet, VexStatement};

impl VexSet {
    /// Sets [`Finding::vex`] on every finding some statement applies to (the newest one
    /// wins). Findings no statement applies to are left as they are. Returns how many
    /// findings were annotated.
    pub fn apply(&self, inventory: &Inventory, findings: &mut [Finding]) -> usize {
        if self.statements.is_empty() {
            return 0;
        }
        let parents = reverse_edges(inventory);
        let index = self.index();
        let mut annotated = 0;
        for finding in findings.iter_mut() {
            let Some(stmt) = self.best_statement(inventory, &parents, &index, finding) else {
                continue;
            };
            finding.vex = Some(VexAnnotation {
                status: stmt.status,
                justification: stmt.justification.clone(),
                statement: stmt.note(),
                origin: stmt.origin.clone(),
            });
            annotated += 1;
        }
        annotated
    }

    /// The statement that decides `finding`, if any.
    pub fn statement_for(&self, inventory: &Inventory, finding: &Finding) -> Option<&VexStatement> {
        self.best_statement(inventory, &reverse_edges(inventory), &self.index(), finding)
    }

    /// Statement positions by lowercase vulnerability id (and alias).
    fn index(&self) -> HashMap<String, Vec<usize>> {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in self.statements.iter().enumerate() {
            for id in s.ids() {
                let list = index.entry(id.to_ascii_lowercase()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        index
    }

    fn best_statement(
        &self,
        inventory: &Inventory,
        parents: &[Vec<PackageId>],
        index: &HashMap<String, Vec<usize>>,
        finding: &Finding,
    ) -> Option<&VexStatement> {
        // Candidates: statements naming any of the finding's ids, in load order.
        let mut candidates: Vec<usize> = finding
            .all_ids()
            .filter_map(|id| index.get(&id.to_ascii_lowercase()))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<&VexStatement> = None;
        for stmt in candidates
            .into_iter()
            .filter_map(|i| self.statements.get(i))
        {
            if !stmt
                .products
                .iter()
                .any(|p| self.product_matches(p, inventory, parents, finding.package))
            {
                continue;
            }
            // Later wins: newer timestamp, or the same (or none) and loaded later.
            if best.is_none_or(|b| stmt.timestamp >= b.timestamp) {
                best = Some(stmt);
            }
        }
        best
    }

    fn product_matches(
        &self,
        product: &VexProduct,
        inventory: &Inventory,
        parents: &[Vec<PackageId>],
        package: PackageId,
    ) -> bool {
        if package.index() >= inventory.len() {
            return false;
        }
        let pkg = inventory.package(package);
        if product.subcomponents.is_empty() {
            return names_package(&product.id, pkg);
        }
        if !product.subcomponents.iter().any(|s| names_package(s, pkg)) {
            return false;
        }
        // The product must be the scanned artifact or contain the package.
        if self
            .target
            .as_ref()
            .is_some_and(|t| product.id.matches_purl(t))
        {
            return true;
        }
        ancestors(parents, package)
            .into_iter()
            .any(|a| names_package(&product.id, inventory.package(a)))
    }
}

/// Whether an identifier names a package: by purl, or (without purls) by the package key.
fn names_package(id: &ProductId, pkg: &Package) -> bool {
    match (&pkg.purl, id) {
        (Some(purl), id) => id.matches_purl(purl),
        (None, ProductId::Other(s)) => *s == pkg.key(),
        (None, ProductId::Purl(_)) => false,
    }
}

fn reverse_edges(inventory: &Inventory) -> Vec<Vec<PackageId>> {
    let mut parents = vec![Vec::new(); inventory.len()];
    for (from, to) in inventory.edges() {
        if let Some(list) = parents.get_mut(to.index()) {
            list.push(from);
        }
    }
    parents
}

/// Every package from which `id` is reachable (not `id` itself unless on a cycle).
fn ancestors(parents: &[Vec<PackageId>], id: PackageId) -> Vec<PackageId> {
    let mut seen = HashSet::new();
    let mut stack = vec![id];
    let mut out = Vec::new();
    while let Some(n) = stack.pop() {
        for &p in parents.get(n.index()).map_or(&[][..], Vec::as_slice) {
            if seen.insert(p) {
                out.push(p);
                stack.push(p);
            }
        }
    }
    out
}
