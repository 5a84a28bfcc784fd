use std::fmt;

use chainproof_source::SourceError;

/// A file a cataloger claimed but could not understand. Always names the file, and the
/// place inside it when known (line and column, or a JSON pointer).
#[derive(Debug, thiserror::Error)]
pub struct CatalogError {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// A JSON pointer / TOML key path to the offending value, when known.
    pub pointer: Option<String>,
    pub message: String,
}

impl CatalogError {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        CatalogError {
            path: path.to_string(),
            line: None,
            column: None,
            pointer: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, column: u32) -> Self {
        self.column = Some(column);
        self
    }

    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// A JSON syntax or type error, with its line and column.
    pub fn json(path: &str, err: &serde_json::Error) -> Self {
        let mut e = CatalogError::new(path, err.to_string());
        if err.line() > 0 {
            e.line = Some(err.line() as u32);
            e.column = Some(err.column() as u32);
            // serde_json appends " at line L column C"; the place is carried as data.
            if let Some(i) = e.message.rfind(" at line ") {
                e.message.truncate(i);
            }
        }
        e
    }

    /// A TOML syntax or type error, with its line and column computed from the span.
    pub fn toml(path: &str, text: &str, err: &toml::de::Error) -> Self {
        let mut e = CatalogError::new(path, err.message().to_string());
        if let Some(span) = err.span() {
            let (line, col) = crate::util::line_col(text, span.start);
            e.line = Some(line);
            e.column = Some(col);
        }
        e
    }
}

impl From<SourceError> for CatalogError {
    fn from(err: SourceError) -> Self {
        let path = match &err {
            SourceError::Io { path, .. }
            | SourceError::TooLarge { path, .. }
            | SourceError::NotFound { path } => path.clone(),
            SourceError::Pattern { .. } => String::new(),
        };
        let message = match &err {
            SourceError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        };
        CatalogError::new(&path, message)
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if let Some(p) = &self.pointer {
            write!(f, " (at {p})")?;
        }
        write!(f, ": {}", self.message)
    }
}
