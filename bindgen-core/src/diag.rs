//! Diagnostics: errors collected during a stage and released at the stage boundary.
//!
//! Every entry point turns them into its own form: the CLI renders them with the source line
//! underlined ([`Diagnostics::render`]), the proc macro into one `compile_error!`.

use std::fmt;

use crate::ir::Loc;

/// One problem, with where it is, what was expected and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where in the header (or config) the problem is; `None` for problems with no source position
    /// (a missing file, a missing libclang).
    pub loc: Option<Loc>,
    /// What is wrong and what was expected, in one sentence.
    pub message: String,
    /// The fix: the annotation or config entry to write, the package to install.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `loc`.
    pub fn at(loc: &Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            loc: Some(loc.clone()),
            message: message.into(),
            help: None,
        }
    }

    /// A diagnostic with no source position.
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            loc: None,
            message: message.into(),
            help: None,
        }
    }

    /// Attaches the suggested fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.loc {
            Some(loc) => write!(f, "{loc}: error: {}", self.message)?,
            None => write!(f, "error: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All the diagnostics of a failed stage (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(self)` when anything was reported, else `Ok(value)`: the stage boundary.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Renders every diagnostic, quoting the source line with the column underlined where the
    /// file can be read (what the CLI prints).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.to_string());
            out.push('\n');
            if let Some(loc) = &d.loc {
                if let Some(line) = std::fs::read_to_string(&loc.file).ok().and_then(|text| {
                    text.lines()
                        .nth(loc.line.saturating_sub(1) as usize)
                        .map(str::to_owned)
                }) {
                    let col = loc.col.max(1) as usize;
                    let pad: String = line
                        .chars()
                        .take(col - 1)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    out.push_str(&format!("   | {line}\n   | {pad}^\n"));
                }
            }
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
