//! Where the device's sync key (the token from enrolment) is kept: the system keyring
//! (the Secret Service on Linux, the Keychain on macOS, the Credential Manager on
//! Windows), or, where there is none and the owner chose it, a file `sync-token` beside
//! the store, readable by this user only. The key is never in the store file, so a
//! copy of the store is not a copy of the device's credential.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The file beside the store that holds the key when there is no keyring.
pub const TOKEN_FILE_NAME: &str = "sync-token";

/// The keyring entry's service; the account is the device id, so two stores on one
/// computer (`GALLA_DATA_DIR`) keep two keys.
const KEYRING_SERVICE: &str = "in.galla.desktop sync";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    Keyring,
    File,
}

/// A place for secrets. The real one is the OS keyring; tests use their own.
pub trait Keyring: Send + Sync {
    /// `Ok(None)` when there is no secret for `account`; `Err` when no keyring can be
    /// used at all.
    fn get(&self, account: &str) -> Result<Option<String>, String>;
    fn set(&self, account: &str, secret: &str) -> Result<(), String>;
    /// Removing what is not there is not an error.
    fn delete(&self, account: &str) -> Result<(), String>;
}

impl<K: Keyring + ?Sized> Keyring for std::sync::Arc<K> {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        (**self).get(account)
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), String> {
        (**self).set(account, secret)
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        (**self).delete(account)
    }
}

/// The operating system's keyring, through the `keyring` crate.
pub struct OsKeyring;

impl OsKeyring {
    fn entry(account: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| e.to_string())
    }
}

impl Keyring for OsKeyring {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        match OsKeyring::entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), String> {
        OsKeyring::entry(account)?
            .set_password(secret)
            .map_err(|e| e.to_string())
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        match OsKeyring::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// No keyring at all, as on a computer without a Secret Service.
pub struct NoKeyring;

impl Keyring for NoKeyring {
    fn get(&self, _: &str) -> Result<Option<String>, String> {
        Err(String::from("no keyring on this computer"))
    }

    fn set(&self, _: &str, _: &str) -> Result<(), String> {
        Err(String::from("no keyring on this computer"))
    }

    fn delete(&self, _: &str) -> Result<(), String> {
        Err(String::from("no keyring on this computer"))
    }
}

/// A keyring in memory, for tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryKeyring(Mutex<std::collections::HashMap<String, String>>);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
impl Keyring for MemoryKeyring {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        Ok(self.0.lock().unwrap().get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), String> {
        self.0
            .lock()
            .unwrap()
            .insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("The key could not be put in this computer's keyring ({0}). Tick \"Keep the key in a file on this computer\" and try again.")]
    Keyring(String),
    #[error("The key could not be written to {path} ({source}). Check that the disk is not full.")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The device's key: one per store.
pub struct Credentials {
    keyring: Box<dyn Keyring>,
    account: String,
    file: PathBuf,
    /// What was last loaded or saved, so the status screen does not ask the keyring
    /// every few seconds.
    cache: Mutex<Option<(String, Where)>>,
    available: OnceLock<bool>,
}

impl Credentials {
    /// `folder` is the store's folder; `account` names this device (its id).
    pub fn new(keyring: Box<dyn Keyring>, account: &str, folder: &Path) -> Credentials {
        Credentials {
            keyring,
            account: account.to_owned(),
            file: folder.join(TOKEN_FILE_NAME),
            cache: Mutex::new(None),
            available: OnceLock::new(),
        }
    }

    /// Whether the keyring answers (checked once per run).
    pub fn keyring_available(&self) -> bool {
        *self
            .available
            .get_or_init(|| self.keyring.get(&self.account).is_ok())
    }

    /// The key, from the keyring or else the file; `None` when neither has it.
    pub fn load(&self) -> Option<String> {
        self.load_with_place().map(|(token, _)| token)
    }

    /// Where the key is kept, if it is found.
    pub fn place(&self) -> Option<Where> {
        self.load_with_place().map(|(_, place)| place)
    }

    fn load_with_place(&self) -> Option<(String, Where)> {
        let mut cache = crate::terminal::lock(&self.cache);
        if cache.is_none() {
            *cache = self.read();
        }
        cache.clone()
    }

    fn read(&self) -> Option<(String, Where)> {
        if let Ok(Some(token)) = self.keyring.get(&self.account) {
            let token = token.trim().to_owned();
            if !token.is_empty() {
                return Some((token, Where::Keyring));
            }
        }
        let text = std::fs::read_to_string(&self.file).ok()?;
        let token = text.trim().to_owned();
        (!token.is_empty()).then_some((token, Where::File))
    }

    /// Keeps `token` in `place`, and takes any older copy out of the other place.
    pub fn save(&self, token: &str, place: Where) -> Result<(), CredentialError> {
        match place {
            Where::Keyring => {
                self.keyring
                    .set(&self.account, token)
                    .map_err(CredentialError::Keyring)?;
                remove_file(&self.file);
            }
            Where::File => {
                write_private(&self.file, token).map_err(|source| CredentialError::File {
                    path: self.file.clone(),
                    source,
                })?;
                // There may be no keyring at all, which is why the file was chosen.
                let _ = self.keyring.delete(&self.account);
            }
        }
        *crate::terminal::lock(&self.cache) = Some((token.to_owned(), place));
        Ok(())
    }

    /// Removes the key from both places (only after a failed enrolment: a device
    /// that is linked keeps its key).
    pub fn forget(&self) {
        let _ = self.keyring.delete(&self.account);
        remove_file(&self.file);
        *crate::terminal::lock(&self.cache) = None;
    }
}

fn remove_file(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            eprintln!("galla: could not remove {}: {e}", path.display());
        }
    }
}

/// Writes the file readable and writable by this user only (mode 0600 on Unix), whole
/// or not at all: a temporary file, fsynced, renamed into place.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".new");
    let temporary = PathBuf::from(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary)?;
    #[cfg(unix)]
    {
        // A file left by an earlier attempt keeps its old mode through open().
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn without_a_keyring_the_key_goes_in_a_private_file_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::new(Box::new(NoKeyring), "device-1", dir.path());
        assert!(!credentials.keyring_available());
        assert_eq!(credentials.load(), None);
        let refused = credentials.save("gd1_secret", Where::Keyring).unwrap_err();
        assert!(
            refused.to_string().contains("Keep the key in a file"),
            "{refused}"
        );
        assert!(!dir.path().join(TOKEN_FILE_NAME).exists());

        credentials.save("gd1_secret", Where::File).unwrap();
        let path = dir.path().join(TOKEN_FILE_NAME);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A fresh start finds it again.
        let again = Credentials::new(Box::new(NoKeyring), "device-1", dir.path());
        assert_eq!(again.load().as_deref(), Some("gd1_secret"));
        assert_eq!(again.place(), Some(Where::File));

        again.forget();
        assert_eq!(again.load(), None);
        assert!(!path.exists());
    }

    #[test]
    fn the_keyring_is_preferred_and_replaces_an_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = Credentials::new(Box::<MemoryKeyring>::default(), "device-1", dir.path());
        assert!(credentials.keyring_available());
        credentials.save("gd1_old", Where::File).unwrap();
        credentials.save("gd1_new", Where::Keyring).unwrap();
        assert!(!dir.path().join(TOKEN_FILE_NAME).exists());
        assert_eq!(credentials.load().as_deref(), Some("gd1_new"));
        assert_eq!(credentials.place(), Some(Where::Keyring));
        credentials.forget();
        assert_eq!(credentials.load(), None);
    }
}
