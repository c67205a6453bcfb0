//! Paper: the printers CUPS knows on this computer, and sending a PDF to one of them with `lp`
//! (CUPS's own client, present wherever CUPS is; no print dialog to drive).

use std::path::Path;
use std::process::Command;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// A print queue of this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Printer {
    pub name: String,
    /// The system's default printer.
    pub is_default: bool,
}

/// The printers CUPS offers, the default one first; none when CUPS is absent or has no queue.
pub fn printers() -> Vec<Printer> {
    let Ok(out) = Command::new("lpstat").env("LC_ALL", "C").arg("-e").output() else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    let default = Command::new("lpstat")
        .env("LC_ALL", "C")
        .arg("-d")
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            // "system default destination: NAME" (LC_ALL=C: the same words whatever the locale)
            text.rsplit_once(": ").map(|(_, n)| n.trim().to_owned())
        });
    let mut printers: Vec<Printer> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| Printer {
            name: name.to_owned(),
            is_default: default.as_deref() == Some(name),
        })
        .collect();
    printers.sort_by(|a, b| b.is_default.cmp(&a.is_default).then(a.name.cmp(&b.name)));
    printers
}

/// Sends `file` (a PDF) to `printer` with `title` as the job's name; gives CUPS's job id.
///
/// # Errors
/// [`Error::NoPrinter`] when CUPS knows no such printer (or none at all), [`Error::PrintFailed`]
/// when `lp` refuses the job.
pub fn print_file(file: &Path, printer: &str, title: &str) -> Result<String> {
    let known = printers();
    if known.is_empty() || !known.iter().any(|p| p.name == printer) {
        return Err(Error::NoPrinter(printer.to_owned()));
    }
    // The file goes on lp's standard input, not by name: Debian 12's cupsd (CUPS 2.4.2) crashed on a
    // job whose file name held "é" ("Réelle 2026-12-03 ab12.pdf"), taking every queued job with it.
    let input = std::fs::File::open(file)
        .map_err(|e| Error::PrintFailed(format!("{}: {e}", file.display())))?;
    let out = Command::new("lp")
        .env("LC_ALL", "C")
        .args(["-d", printer, "-t", title])
        .stdin(input)
        .output()
        .map_err(|e| Error::PrintFailed(format!("lp could not be run: {e}")))?;
    if !out.status.success() {
        return Err(Error::PrintFailed(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    // "request id is PDF-12 (1 file(s))"
    let said = String::from_utf8_lossy(&out.stdout);
    Ok(said
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or("")
        .to_owned())
}
