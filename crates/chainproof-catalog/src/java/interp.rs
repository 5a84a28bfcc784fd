//! `${name}` interpolation, guarded against cycles (`a=${b}`, `b=${a}`) and against
//! exponential expansion (each property doubling the previous one).

/// Longest interpolated value kept; longer expansions count as unresolved.
const MAX_LEN: usize = 64 * 1024;
/// Most property look-ups for one value.
const MAX_LOOKUPS: usize = 10_000;
/// Deepest chain of properties referring to properties.
const MAX_DEPTH: usize = 32;

/// Replaces every `${name}` using `lookup`, recursively. Returns the text and whether every
/// reference was resolved; unresolved references stay as written.
pub fn interpolate(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> (String, bool) {
    let mut budget = MAX_LOOKUPS;
    let mut stack = Vec::new();
    let (out, ok) = expand(s, lookup, &mut stack, &mut budget);
    if out.len() > MAX_LEN {
        return (s.to_string(), false);
    }
    (out, ok)
}

fn expand(
    s: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    stack: &mut Vec<String>,
    budget: &mut usize,
) -> (String, bool) {
    let mut out = String::new();
    let mut ok = true;
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            return (out, false);
        };
        let name = &after[..j];
        rest = &after[j + 1..];
        let cyclic = stack.iter().any(|n| n == name);
        let value = if cyclic || stack.len() >= MAX_DEPTH || *budget == 0 || out.len() > MAX_LEN {
            None
        } else {
            *budget -= 1;
            lookup(name)
        };
        match value {
            Some(v) => {
                stack.push(name.to_string());
                let (e, k) = expand(&v, lookup, stack, budget);
                stack.pop();
                out.push_str(&e);
                ok &= k;
            }
            None => {
                out.push_str("${");
                out.push_str(name);
                out.push('}');
                ok = false;
            }
        }
        if out.len() > MAX_LEN {
            return (out, false);
        }
    }
    out.push_str(rest);
    (out, ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(props: &[(&str, &str)], s: &str) -> (String, bool) {
        let m: HashMap<String, String> = props
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        interpolate(s, &|k| m.get(k).cloned())
    }

    #[test]
    fn nested_cycles_and_bombs() {
        assert_eq!(
            run(&[("a", "1.${b}"), ("b", "2")], "v${a}"),
            ("v1.2".into(), true)
        );
        assert_eq!(run(&[], "${x}"), ("${x}".into(), false));
        assert!(!run(&[("a", "${b}"), ("b", "${a}")], "${a}").1);
        assert!(!run(&[], "${unterminated").1);
        let mut bomb: Vec<(String, String)> = (0..40)
            .map(|i| (format!("p{i}"), format!("${{p{}}}${{p{}}}", i + 1, i + 1)))
            .collect();
        bomb.push(("p40".into(), "x".repeat(100)));
        let refs: Vec<(&str, &str)> = bomb.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (out, ok) = run(&refs, "${p0}");
        assert!(!ok);
        assert!(out.len() <= MAX_LEN);
    }
}
