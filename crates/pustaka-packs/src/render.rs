//! One entry point for every export format.

use pustaka_core::{Error, Result};

use crate::model::{Audience, Pack};
use crate::packfile::{self, PackKey};

/// The formats a pack exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackFormat {
    Pdf,
    Docx,
    Html,
    Md,
    Pustakapack,
}

impl PackFormat {
    pub const ALL: [PackFormat; 5] = [
        PackFormat::Pdf,
        PackFormat::Docx,
        PackFormat::Html,
        PackFormat::Md,
        PackFormat::Pustakapack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PackFormat::Pdf => "pdf",
            PackFormat::Docx => "docx",
            PackFormat::Html => "html",
            PackFormat::Md => "md",
            PackFormat::Pustakapack => "pustakapack",
        }
    }

    pub fn parse(s: &str) -> Result<PackFormat> {
        let s = s.trim().to_ascii_lowercase();
        let s = match s.as_str() {
            "markdown" => "md",
            "word" => "docx",
            "pack" => "pustakapack",
            other => other,
        };
        PackFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown format {s:?}: use pdf, docx, html, md or pustakapack"
                ))
            })
    }
}

/// The pack as an audience receives it (trainer-only items left out for participants).
pub fn for_audience(pack: &Pack, audience: Audience) -> Pack {
    let mut p = pack.clone();
    if audience == Audience::Participant {
        p.items.retain(|i| !i.trainer_only);
    }
    p
}

/// The bytes of the exported file.
pub fn render(
    pack: &Pack,
    format: PackFormat,
    audience: Audience,
    created_by: &str,
    key: Option<&PackKey>,
) -> Result<Vec<u8>> {
    match format {
        PackFormat::Pdf => crate::export::pdf::to_pdf(pack, audience),
        PackFormat::Docx => crate::export::docx::to_docx(pack, audience),
        PackFormat::Html => Ok(crate::export::html::to_html(pack, audience).into_bytes()),
        PackFormat::Md => Ok(crate::export::markdown::to_markdown(pack, audience).into_bytes()),
        PackFormat::Pustakapack => packfile::write(&for_audience(pack, audience), created_by, key),
    }
}
