//! Reading the MS-OMS profile keys shared by both roles.

use harness::profile::{ProfileError, ProfileReader};
use std::path::{Path, PathBuf};

/// An OMS account: user id and password, both redacted in every output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub user: String,
    pub password: String,
}

/// Reads `<prefix>_user` and `<prefix>_password`; the password defaults to `fallback`.
pub fn opt_account(
    r: &mut ProfileReader<'_>,
    prefix: &str,
    fallback: &str,
) -> Result<Option<Account>, ProfileError> {
    let user = r.opt_str(&format!("oms.{prefix}_user"))?;
    let password = r.opt_str(&format!("oms.{prefix}_password"))?;
    match (user, password) {
        (Some(user), password) => Ok(Some(Account {
            user,
            password: password.unwrap_or_else(|| fallback.to_string()),
        })),
        (None, Some(_)) => Err(r.invalid(
            &format!("oms.{prefix}_password"),
            format!("given without oms.{prefix}_user"),
        )),
        (None, None) => Ok(None),
    }
}

/// Profile-relative paths (a `ca_file` next to the profile) resolve against its directory.
/// The directory triggers run in: the profile's own, so relative paths in a trigger command
/// mean the same as relative paths in the profile (`ca_file`).
pub fn trigger_dir(profile: &Path) -> PathBuf {
    let dir = match profile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::path::absolute(&dir).unwrap_or(dir)
}

pub fn resolve(profile: &Path, value: &str) -> PathBuf {
    let p = Path::new(value);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        profile
            .parent()
            .map(|d| d.join(p))
            .unwrap_or_else(|| p.to_path_buf())
    }
}

/// Reads a PEM file named by `key` now, so a missing file is a profile error (exit 2).
pub fn read_pem(r: &mut ProfileReader<'_>, key: &str) -> Result<Option<String>, ProfileError> {
    let Some(value) = r.opt_str(key)? else {
        return Ok(None);
    };
    let path = resolve(r.path(), &value);
    std::fs::read_to_string(&path)
        .map(Some)
        .map_err(|e| r.invalid(key, format!("cannot read {}: {e}", path.display())))
}
