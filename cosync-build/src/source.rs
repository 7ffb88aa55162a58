//! The files a check reads, kept so diagnostics can quote them.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in a [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

/// One file that was read.
#[derive(Clone)]
pub(crate) struct Source {
    /// How diagnostics name the file: relative to the base directory when possible.
    pub(crate) name: String,
    pub(crate) text: String,
    /// Set when the file holds secret material: its lines are never quoted.
    pub(crate) redacted: bool,
}

impl std::fmt::Debug for Source {
    /// Never the text: `cosync.toml` may hold a mis-pasted credential or private key, and
    /// `Debug` output ends up in panics and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("name", &self.name)
            .field("len", &self.text.len())
            .field("redacted", &self.redacted)
            .finish_non_exhaustive()
    }
}

/// The files read during one check.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<Source>,
}

impl Sources {
    pub(crate) fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(Source {
            name,
            text,
            redacted: false,
        });
        FileId(self.files.len() - 1)
    }

    pub(crate) fn get(&self, id: FileId) -> &Source {
        &self.files[id.0]
    }

    pub(crate) fn first_name(&self) -> Option<&str> {
        self.files.first().map(|f| f.name.as_str())
    }

    pub(crate) fn redact(&mut self, id: FileId) {
        self.files[id.0].redacted = true;
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = &self.get(id).text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The line containing `offset`, without its line end, and the byte offset where it starts.
    pub(crate) fn line_at(&self, id: FileId, offset: usize) -> (&str, usize) {
        let text = &self.get(id).text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        (text[start..end].trim_end_matches('\r'), start)
    }
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How a path is shown in messages: relative to `base` when it is inside it, with `/` separators.
pub(crate) fn display_path(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

/// Removes `.` and `..` components without touching the file system (the file may not exist).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A span inside a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) file: FileId,
    pub(crate) range: Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(
            display_path(
                &normalize(Path::new("/base/configs/../keys/k.pem")),
                Path::new("/base")
            ),
            "keys/k.pem"
        );
    }
}
