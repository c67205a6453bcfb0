//! Lists the priority sheet's language catalogues (`src/sheet/lang/*.json`), so that adding a
//! language is adding one file.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("src/sheet/lang");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut langs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("src/sheet/lang exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p.clone())))
        .collect();
    langs.sort();
    let mut code = String::from(
        "/// (language code, catalogue JSON), one per file in src/sheet/lang.\npub(crate) const CATALOGUES: &[(&str, &str)] = &[\n",
    );
    for (code_name, path) in &langs {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({code_name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("sheet_langs.rs");
    std::fs::write(out, code).expect("write the catalogue list");
    list_cards();
}

/// Lists the printable picture cards (`assets/cards/print/*.svg`); a test checks that they are
/// exactly the card ids of the domain.
fn list_cards() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("assets/cards/print");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut cards: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("assets/cards/print exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p.clone())))
        .collect();
    cards.sort();
    let mut code = String::from(
        "/// (card id, SVG), one per file in assets/cards/print.\nconst SVGS: &[(&str, &str)] = &[\n",
    );
    for (id, path) in &cards {
        writeln!(
            code,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("cards.rs");
    std::fs::write(out, code).expect("write the card list");
}
