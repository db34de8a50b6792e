//! Typed errors with stable codes. User errors (bad input, unknown ids, a library in use) are
//! told apart from internal ones (storage or index failures) so shells can present them well.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A stable, machine-readable code for every error; the UI receives `{code, message}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    LibraryInUse,
    LibraryUnavailable,
    NotFound,
    InvalidMetadata,
    InvalidInput,
    UnsupportedFormat,
    Extraction,
    Io,
    Store,
    Index,
    Cancelled,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the library at {path} is in use by another Pustaka window or command; close it and try again"
    )]
    LibraryInUse { path: PathBuf },
    #[error("cannot open the library at {path}: {reason}")]
    LibraryUnavailable { path: PathBuf, reason: String },
    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },
    #[error("invalid metadata: {0}")]
    InvalidMetadata(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("unsupported file type: {0}")]
    UnsupportedFormat(String),
    #[error("{0}")]
    Extraction(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("document store error: {0}")]
    Store(String),
    #[error("search index error: {0}")]
    Index(String),
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::LibraryInUse { .. } => ErrorCode::LibraryInUse,
            Error::LibraryUnavailable { .. } => ErrorCode::LibraryUnavailable,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidMetadata(_) => ErrorCode::InvalidMetadata,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::UnsupportedFormat(_) => ErrorCode::UnsupportedFormat,
            Error::Extraction(_) => ErrorCode::Extraction,
            Error::Io { .. } => ErrorCode::Io,
            Error::Store(_) => ErrorCode::Store,
            Error::Index(_) => ErrorCode::Index,
            Error::Cancelled => ErrorCode::Cancelled,
        }
    }

    /// True for errors caused by what the user asked or gave (as opposed to a fault of ours
    /// or of the machine).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::LibraryInUse
                | ErrorCode::NotFound
                | ErrorCode::InvalidMetadata
                | ErrorCode::InvalidInput
                | ErrorCode::UnsupportedFormat
                | ErrorCode::Extraction
                | ErrorCode::Cancelled
        )
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
