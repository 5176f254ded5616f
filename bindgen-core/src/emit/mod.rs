//! emit: renders the binding model. Rust through quote ([`rust`]); Python and its stubs through
//! the minijinja templates in `templates/` ([`python`]).

pub mod js;

#[cfg(test)]
mod fixtures;
pub mod python;
pub mod rust;

/// A minimal line diff (longest common subsequence) for `--check`'s report, unified-ish:
/// `-` lines on disk only, `+` lines generated only, with 2 lines of context.
pub fn diff(old: &str, new: &str, name: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // LCS table over lines; generated files are small (a few thousand lines).
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i], i + 1));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', b[j], i + 1));
            j += 1;
        } else {
            ops.push(('-', a[i], i + 1));
            i += 1;
        }
    }
    let mut out = format!("--- {name} (on disk)\n+++ {name} (generated)\n");
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut last_printed: Option<usize> = None;
    for &k in &changed {
        let start = k.saturating_sub(2);
        let end = (k + 3).min(ops.len());
        for (m, op) in ops.iter().enumerate().take(end).skip(start) {
            if last_printed.is_some_and(|p| m <= p) {
                continue;
            }
            if last_printed.is_some_and(|p| m > p + 1) || (last_printed.is_none() && m > 0) {
                out.push_str(&format!("@@ line {} @@\n", op.2));
            }
            out.push_str(&format!("{}{}\n", op.0, op.1));
            last_printed = Some(m);
        }
    }
    out
}
