//! Report writes that never destroy what the path points at.
//!
//! - A regular file (or a path that does not exist yet) is written atomically: a temporary file
//!   next to it, then a rename, so a reader (or a CI job collecting artifacts after Ctrl-C) sees
//!   the old file or the new one, never half of one.
//! - A symbolic link is followed: the file it points at is written atomically beside itself and
//!   the link stays a link.
//! - Anything else that already exists (a character device such as `/dev/null`, a FIFO, a
//!   socket) is written in place, without a rename and without truncating it. A FIFO is opened
//!   without blocking: with no reader, the write is refused with a clear error instead of
//!   hanging the run.
//!
//! Every error names the path. `check_writable` tells before a run whether a path can be
//! written, without creating, truncating or otherwise touching it.

use std::fs::{File, OpenOptions};
use std::io::{Error, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static SEQ: AtomicU64 = AtomicU64::new(0);

/// `path: message`, keeping the error kind.
fn named(path: &Path, e: Error) -> Error {
    Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// What the path designates once symbolic links are followed.
enum Target {
    /// A regular file, or nothing yet: written atomically at this (link-free) path.
    Regular(PathBuf),
    /// Written in place through the original path.
    Special {
        fifo: bool,
    },
    Directory,
}

/// Follows symbolic links, dangling ones included (the file they name is created).
fn resolve(path: &Path) -> std::io::Result<Target> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Target::Regular(current)),
            Err(e) => return Err(e),
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = if link.is_absolute() {
                    link
                } else {
                    current.parent().map(|p| p.join(&link)).unwrap_or(link)
                };
            }
            Ok(m) if m.is_file() => return Ok(Target::Regular(current)),
            Ok(m) if m.is_dir() => return Ok(Target::Directory),
            Ok(m) => return Ok(Target::Special { fifo: is_fifo(&m) }),
        }
    }
    Err(Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn is_fifo(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_m: &std::fs::Metadata) -> bool {
    false
}

/// Opens an existing non-regular file for writing, in place. A FIFO is opened without blocking
/// (then switched back to blocking writes); with no reader that fails at once.
fn open_in_place(path: &Path, fifo: bool) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true);
    #[cfg(unix)]
    if fifo {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = opts.open(path).map_err(|e| {
        if fifo && e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error()) {
            Error::new(
                ErrorKind::BrokenPipe,
                "a FIFO with no reader (start the reader first)",
            )
        } else {
            e
        }
    })?;
    #[cfg(unix)]
    if fifo {
        clear_nonblocking(&file)?;
    }
    Ok(file)
}

/// Puts a descriptor opened with `O_NONBLOCK` back into blocking mode, so that `write_all` to
/// a FIFO whose reader is slower than the report waits instead of failing with `WouldBlock`.
/// (std has no call to change a `File`'s status flags; rustix wraps fcntl safely.)
#[cfg(unix)]
fn clear_nonblocking(file: &File) -> std::io::Result<()> {
    use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};
    let flags = fcntl_getfl(file)?;
    fcntl_setfl(file, flags - OFlags::NONBLOCK)?;
    Ok(())
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_name(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes `bytes` to `path` as described in the module documentation.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_inner(path, bytes).map_err(|e| named(path, e))
}

fn write_inner(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match resolve(path)? {
        Target::Directory => Err(Error::new(ErrorKind::IsADirectory, "is a directory")),
        Target::Special { fifo } => {
            let mut f = open_in_place(path, fifo)?;
            f.write_all(bytes)?;
            f.flush()
        }
        Target::Regular(real) => {
            let dir = dir_of(&real);
            std::fs::create_dir_all(&dir)?;
            let tmp = temp_name(&dir, &real);
            let result = (|| {
                let mut f = File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, &real)
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result
        }
    }
}

/// Whether `write_atomic(path, ..)` can succeed, checked without harming the target: nothing
/// is created, truncated or replaced (a temporary file is created and removed in the directory
/// that would receive the file). The error names the path.
pub fn check_writable(path: &Path) -> Result<(), String> {
    check_inner(path).map_err(|e| format!("{}: cannot be written: {e}", path.display()))
}

fn check_inner(path: &Path) -> Result<(), String> {
    match resolve(path).map_err(|e| e.to_string())? {
        Target::Directory => Err("is a directory".into()),
        Target::Special { fifo } => open_in_place(path, fifo)
            .map(drop)
            .map_err(|e| e.to_string()),
        Target::Regular(real) => check_dir_writable(&dir_of(&real)),
    }
}

/// The nearest existing ancestor of `dir` must be a directory that accepts a new file.
pub fn check_dir_writable(dir: &Path) -> Result<(), String> {
    let mut existing = dir.to_path_buf();
    loop {
        match std::fs::metadata(&existing) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => return Err(format!("{} is not a directory", existing.display())),
            Err(e) if e.kind() == ErrorKind::NotFound => match existing.parent() {
                Some(p) if !p.as_os_str().is_empty() => existing = p.to_path_buf(),
                _ => {
                    existing = PathBuf::from(".");
                    break;
                }
            },
            Err(e) => return Err(format!("{}: {e}", existing.display())),
        }
    }
    let probe = temp_name(&existing, Path::new("probe"));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(f) => {
            drop(f);
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!(
            "directory {} is not writable: {e}",
            existing.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/report.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_updated() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.xml");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.xml");
        std::os::unix::fs::symlink("real.xml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        // A dangling link creates the file it names.
        let dangling = dir.path().join("dangling.xml");
        std::os::unix::fs::symlink("made.xml", &dangling).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert!(std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(dir.path().join("made.xml")).unwrap(), b"made");
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_stays_a_character_device() {
        use std::os::unix::fs::FileTypeExt;
        check_writable(Path::new("/dev/null")).unwrap();
        write_atomic(Path::new("/dev/null"), b"<testsuites/>").unwrap();
        let m = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(m.file_type().is_char_device());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_in_place_or_refused_without_blocking() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        // std has no mkfifo call; the POSIX utility makes the test free of unsafe code.
        let made = std::process::Command::new("mkfifo")
            .arg("-m")
            .arg("600")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return; // not permitted here
        }
        // No reader: refused at once, naming the path.
        let err = write_atomic(&fifo, b"x").unwrap_err().to_string();
        assert!(
            err.contains(fifo.to_str().unwrap()) && err.contains("no reader"),
            "{err}"
        );
        assert!(check_writable(&fifo).unwrap_err().contains("no reader"));
        // With a reader: written in place.
        let path = fifo.clone();
        let reader = std::thread::spawn(move || std::fs::read(&path).unwrap());
        let mut done = false;
        for _ in 0..200 {
            if write_atomic(&fifo, b"report").is_ok() {
                done = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(done);
        assert_eq!(reader.join().unwrap(), b"report");
        let m = std::fs::symlink_metadata(&fifo).unwrap();
        assert!(m.file_type().is_fifo());
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains(dir.path().to_str().unwrap()), "{err}");
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let below = file.join("report.xml");
        let err = write_atomic(&below, b"x").unwrap_err().to_string();
        assert!(err.contains(below.to_str().unwrap()), "{err}");
        let err = check_writable(&below).unwrap_err();
        assert!(err.contains(below.to_str().unwrap()), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn check_writable_reports_a_read_only_directory_and_touches_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("report.json");
        std::fs::write(&existing, b"keep").unwrap();
        check_writable(&existing).unwrap();
        check_writable(&dir.path().join("new/sub/report.json")).unwrap();
        assert_eq!(std::fs::read(&existing).unwrap(), b"keep");
        assert!(!dir.path().join("new").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        let probe = ro.join("x");
        let root_ignores_modes = std::fs::write(&probe, b"").is_ok();
        let _ = std::fs::remove_file(&probe);
        if !root_ignores_modes {
            let err = check_writable(&ro.join("junit.xml")).unwrap_err();
            assert!(err.contains("not writable"), "{err}");
        }
        // A directory that is in fact a file.
        let err = check_writable(&existing.join("x.xml")).unwrap_err();
        assert!(err.to_lowercase().contains("not a directory"), "{err}");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
