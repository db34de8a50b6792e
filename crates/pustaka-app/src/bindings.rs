//! The TypeScript declarations of the IPC types, in one file the interface imports.
//! `cargo run -p pustaka-app --bin pustaka-bindings` writes it; the test
//! `bindings_are_current` fails when the committed file differs.

use ts_rs::{Config, TS};

use crate::types::*;

/// Where the generated file lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/ipc/types.ts";

fn decl<T: TS>(cfg: &Config, out: &mut String) {
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push_str("\n\n");
}

/// The whole generated file.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from crates/pustaka-app/src/types.rs by `make bindings`. Do not edit.\n\n",
    );
    decl::<IpcError>(&cfg, &mut out);
    decl::<Theme>(&cfg, &mut out);
    decl::<Settings>(&cfg, &mut out);
    decl::<LibraryState>(&cfg, &mut out);
    decl::<AppStatus>(&cfg, &mut out);
    decl::<SearchQuery>(&cfg, &mut out);
    decl::<Hit>(&cfg, &mut out);
    decl::<FacetValue>(&cfg, &mut out);
    decl::<Facet>(&cfg, &mut out);
    decl::<SearchResponse>(&cfg, &mut out);
    decl::<DocInfo>(&cfg, &mut out);
    decl::<PassageView>(&cfg, &mut out);
    decl::<OutlineEntry>(&cfg, &mut out);
    decl::<DocumentView>(&cfg, &mut out);
    decl::<AddProgress>(&cfg, &mut out);
    decl::<FileProblem>(&cfg, &mut out);
    decl::<AddSummary>(&cfg, &mut out);
    decl::<MetadataEdit>(&cfg, &mut out);
    decl::<SearchScope>(&cfg, &mut out);
    decl::<NoteColor>(&cfg, &mut out);
    decl::<NoteMotivation>(&cfg, &mut out);
    decl::<NoteAnchoring>(&cfg, &mut out);
    decl::<NoteView>(&cfg, &mut out);
    decl::<NewNote>(&cfg, &mut out);
    decl::<NoteEdit>(&cfg, &mut out);
    decl::<NoteFilter>(&cfg, &mut out);
    decl::<NoteDocCount>(&cfg, &mut out);
    decl::<NotesList>(&cfg, &mut out);
    decl::<NoteHit>(&cfg, &mut out);
    decl::<NotesFormat>(&cfg, &mut out);
    decl::<NotesExported>(&cfg, &mut out);
    decl::<NotesImported>(&cfg, &mut out);
    decl::<PackSummary>(&cfg, &mut out);
    decl::<PackItemKind>(&cfg, &mut out);
    decl::<PackItemView>(&cfg, &mut out);
    decl::<PackView>(&cfg, &mut out);
    decl::<PackMetaEdit>(&cfg, &mut out);
    decl::<NewPackItem>(&cfg, &mut out);
    decl::<PackItemEdit>(&cfg, &mut out);
    decl::<PackFormat>(&cfg, &mut out);
    decl::<ExportProgress>(&cfg, &mut out);
    decl::<PackExported>(&cfg, &mut out);
    decl::<PackPreview>(&cfg, &mut out);
    decl::<PackImported>(&cfg, &mut out);
    decl::<StarterState>(&cfg, &mut out);
    decl::<ContentPackInfo>(&cfg, &mut out);
    decl::<ContentPackInstalled>(&cfg, &mut out);
    decl::<InstallProgress>(&cfg, &mut out);
    decl::<FetchProgress>(&cfg, &mut out);
    decl::<FetchProblem>(&cfg, &mut out);
    decl::<OfficialTexts>(&cfg, &mut out);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn bindings_are_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let path = root.join(BINDINGS_PATH);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let fresh = typescript();
        assert!(
            committed == fresh,
            "{} is stale: run `make bindings` and commit the result",
            path.display()
        );
    }

    #[test]
    fn every_type_is_exported_once() {
        let ts = typescript();
        for name in ["IpcError", "SearchResponse", "DocumentView", "AddProgress"] {
            assert_eq!(
                ts.matches(&format!("export type {name} ")).count(),
                1,
                "{name}"
            );
        }
    }
}
