//! Lists the files the binary embeds by folder, so that adding one is adding a file: the priority
//! sheet's language catalogues (`src/sheet/lang/*.json`) and the printable picture cards
//! (`assets/cards/print/*.svg`; a test checks they are exactly the domain's card ids).

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    embed_folder(
        "src/sheet/lang",
        "json",
        "pub(crate) const CATALOGUES",
        "sheet_langs.rs",
    );
    embed_folder("assets/cards/print", "svg", "const SVGS", "cards.rs");
}

/// Writes `OUT_DIR/out` declaring `item: &[(&str, &str)]`: (file stem, file contents) for every
/// `*.ext` file of `folder`, sorted by stem.
fn embed_folder(folder: &str, ext: &str, item: &str, out: &str) {
    let dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p.clone())))
        .collect();
    files.sort();
    let mut code =
        format!("/// (name, contents), one per file in {folder}.\n{item}: &[(&str, &str)] = &[\n");
    for (name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join(out);
    std::fs::write(out, code).expect("write the file list");
}
