//! The one error type of the core. Every bad input becomes a [`CoreError`] with a message a student
//! can read; nothing a user or a URL can influence is allowed to panic.

use std::fmt;

/// A clear, user-facing error from the core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreError {
    /// Array sizes do not fit together (`what` names the array; sizes as `expected` and `got`).
    Shape {
        /// Which array or argument.
        what: String,
        /// The expected shape, e.g. `"(8, 4)"`.
        expected: String,
        /// The shape that was given.
        got: String,
    },
    /// A value outside its allowed range (`what` = field, `why` = the rule).
    Invalid {
        /// Which field or argument.
        what: String,
        /// What rule it broke, in words.
        why: String,
    },
    /// A NaN or infinity where a finite number is required.
    NonFinite {
        /// Where it was found.
        what: String,
    },
    /// An empty sequence, corpus or vocabulary where at least one item is needed.
    Empty {
        /// What was empty.
        what: String,
    },
    /// A model or data file that cannot be read.
    Format {
        /// What is wrong with it.
        why: String,
    },
}

impl CoreError {
    /// Shorthand for [`CoreError::Shape`].
    pub fn shape(
        what: impl Into<String>,
        expected: impl fmt::Display,
        got: impl fmt::Display,
    ) -> Self {
        CoreError::Shape {
            what: what.into(),
            expected: expected.to_string(),
            got: got.to_string(),
        }
    }
    /// Shorthand for [`CoreError::Invalid`].
    pub fn invalid(what: impl Into<String>, why: impl Into<String>) -> Self {
        CoreError::Invalid {
            what: what.into(),
            why: why.into(),
        }
    }
    /// Shorthand for [`CoreError::NonFinite`].
    pub fn non_finite(what: impl Into<String>) -> Self {
        CoreError::NonFinite { what: what.into() }
    }
    /// Shorthand for [`CoreError::Empty`].
    pub fn empty(what: impl Into<String>) -> Self {
        CoreError::Empty { what: what.into() }
    }
    /// Shorthand for [`CoreError::Format`].
    pub fn format(why: impl Into<String>) -> Self {
        CoreError::Format { why: why.into() }
    }
}

impl fmt::Display for CoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoreError::Shape {
                what,
                expected,
                got,
            } => {
                write!(f, "{what}: expected shape {expected}, got {got}")
            }
            CoreError::Invalid { what, why } => write!(f, "{what}: {why}"),
            CoreError::NonFinite { what } => write!(f, "{what}: contains NaN or infinity"),
            CoreError::Empty { what } => write!(f, "{what} is empty"),
            CoreError::Format { why } => write!(f, "cannot read the file: {why}"),
        }
    }
}

impl std::error::Error for CoreError {}

/// Result with a [`CoreError`].
pub type Result<T> = std::result::Result<T, CoreError>;
