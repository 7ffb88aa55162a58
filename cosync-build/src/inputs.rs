//! The files and environment variables a check read: what Cargo must watch to rebuild.

use std::path::{Path, PathBuf};

/// The files and environment variables one check read.
///
/// The macro turns them into `include_bytes!` / `option_env!` so rustc's dep-info names them; the
/// build script prints `cargo:rerun-if-changed` / `cargo:rerun-if-env-changed`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    files: Vec<PathBuf>,
    env: Vec<String>,
}

impl Inputs {
    pub(crate) fn add_file(&mut self, path: &Path) {
        if !self.files.iter().any(|p| p == path) {
            self.files.push(path.to_path_buf());
        }
    }

    pub(crate) fn add_env(&mut self, name: &str) {
        if !self.env.iter().any(|n| n == name) {
            self.env.push(name.to_owned());
        }
    }

    /// The files read (absolute paths), in the order they were read. A file that did not exist is
    /// listed too: creating it must trigger a rebuild.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The environment variables read, set or not.
    pub fn env_vars(&self) -> &[String] {
        &self.env
    }

    /// The `cargo:rerun-if-…` lines a build script prints for these inputs.
    pub fn rerun_lines(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&format!("cargo:rerun-if-changed={}\n", file.display()));
        }
        for name in &self.env {
            out.push_str(&format!("cargo:rerun-if-env-changed={name}\n"));
        }
        out
    }
}
