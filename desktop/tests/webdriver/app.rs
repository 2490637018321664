//! The app as a person uses it, in the words on the screen: the pages in the side
//! navigation, the PIN screen, text appearing. Shared by the end-to-end tests.

use std::path::{Path, PathBuf};

use super::Session;

pub fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_galla"))
}

/// target/e2e/<name>, beside the binary's profile folder.
pub fn screenshot_folder(name: &str) -> PathBuf {
    let binary = app_binary();
    let target = binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary lives in target/<profile>/");
    let folder = target.join("e2e").join(name);
    let _ = std::fs::remove_dir_all(&folder);
    folder
}

pub fn nav(s: &Session, page: &str) {
    let button = s
        .find(&format!("//nav//button[normalize-space()='{page}']"))
        .unwrap();
    s.click(&button).unwrap();
    s.heading(page).unwrap();
}

pub fn nav_has(s: &Session, page: &str) -> bool {
    !s.find_all(&format!("//nav//button[normalize-space()='{page}']"))
        .unwrap()
        .is_empty()
}

/// The PIN screen: pick the person, type the PIN, and land on `landing`.
pub fn sign_in(s: &Session, name: &str, pin: &str, landing: &str) {
    s.heading("Who is working?").unwrap();
    let person = s
        .find(&format!(
            "//button[starts-with(normalize-space(), '{name}')]"
        ))
        .unwrap();
    s.click(&person).unwrap();
    s.fill("PIN", pin).unwrap();
    s.click(&s.button("Sign in").unwrap()).unwrap();
    s.heading(landing).unwrap();
}

pub fn wait_for_text(s: &Session, what: &str) {
    s.wait_for(&format!("{what:?} on the page"), || {
        Ok(s.page_text()?.contains(what).then_some(()))
    })
    .unwrap();
}
