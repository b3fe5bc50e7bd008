//! Profiles read in two passes (common keys, then the suite's) and trigger commands run for real.

extern crate oxconf_harness as harness;

use harness::profile::ProfileErrorKind;
use harness::trigger::shell_quote;
use harness::{CommonSettings, Profile, Trigger, TriggerCommand, TriggerRun};
use rstest::rstest;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const FULL: &str = r#"
suite = "fake"

[run]
timeout = "250ms"
deadline = "5m"

[timing]
minute = "1s"

[fake]
url = "https://sut.example/oms"
user = "alice"
retries = 3
formats = ["sms", "mms"]
verify = false

[fake.tls]
ca = "ca.pem"

[claims]
"#;

fn profile(text: &str) -> Profile {
    Profile::parse(Path::new("sut.toml"), text).unwrap()
}

/// What a suite's `configure` would read after the harness took the common keys.
fn suite_pass(r: &mut harness::ProfileReader<'_>) -> Result<(), harness::ProfileError> {
    r.req_str("fake.url")?;
    r.req_str("fake.user")?;
    r.opt_u64("fake.retries")?;
    r.req_str_list("fake.formats")?;
    r.opt_bool("fake.verify")?;
    r.opt_str("fake.tls.ca")?;
    r.allow_table("claims");
    Ok(())
}

#[test]
fn common_and_suite_keys_together_leave_nothing_unread() {
    let p = profile(FULL);
    assert_eq!(p.suite_name().unwrap(), "fake");
    let mut r = p.reader();
    let common = CommonSettings::read(&mut r).unwrap();
    assert_eq!(
        common,
        CommonSettings {
            suite: "fake".into(),
            timeout: Some(Duration::from_millis(250)),
            deadline: Some(Duration::from_secs(300)),
            minute: Some(Duration::from_secs(1)),
        }
    );
    suite_pass(&mut r).unwrap();
    r.finish().unwrap();
}

#[test]
fn common_keys_alone_leave_the_suite_keys_unknown() {
    let p = profile(FULL);
    let mut r = p.reader();
    CommonSettings::read(&mut r).unwrap();
    let err = r.finish().unwrap_err();
    assert!(matches!(err.kind, ProfileErrorKind::UnknownKey(_)), "{err}");
}

#[rstest]
#[case::typo_in_common_table("deadline = \"5m\"\n", "timeot = \"1s\"\n", "run.timeot")]
#[case::typo_in_suite_table("verify = false\n", "pasword = \"x\"\n", "fake.pasword")]
#[case::deeper_typo("ca = \"ca.pem\"\n", "key = \"k.pem\"\n", "fake.tls.key")]
#[case::unread_table("[claims]\n", "[fake.proxy]\nhost = \"p\"\n", "fake.proxy")]
#[case::unknown_top_level("suite = \"fake\"\n", "colour = \"blue\"\n", "colour")]
#[case::key_below_allowed_table("[claims]\n", "mms = true\n", "claims.mms")]
fn finish_names_the_first_unread_key(#[case] after: &str, #[case] insert: &str, #[case] key: &str) {
    assert!(FULL.contains(after));
    let text = FULL.replacen(after, &format!("{after}{insert}"), 1);
    let p = profile(&text);
    let mut r = p.reader();
    CommonSettings::read(&mut r).unwrap();
    suite_pass(&mut r).unwrap();
    let err = r.finish().unwrap_err();
    assert_eq!(err.kind, ProfileErrorKind::UnknownKey(key.into()), "{err}");
    assert_eq!(err.to_string(), format!("sut.toml: unknown key `{key}`"));
}

#[rstest]
#[case::timeout_not_a_duration(
    "[run]\ntimeout = \"soon\"\n",
    "run.timeout",
    "`soon` is not a duration"
)]
#[case::timeout_not_a_string("[run]\ntimeout = 10\n", "run.timeout", "duration string")]
#[case::minute_negative("[timing]\nminute = \"-1s\"\n", "timing.minute", "not a duration")]
#[case::suite_not_a_string("", "suite", "must be a string")]
fn common_settings_report_bad_values_by_key(
    #[case] body: &str,
    #[case] key: &str,
    #[case] message: &str,
) {
    let text = if body.is_empty() {
        "suite = 7\n".to_string()
    } else {
        format!("suite = \"fake\"\n{body}")
    };
    let p = profile(&text);
    let err = CommonSettings::read(&mut p.reader()).unwrap_err();
    match &err.kind {
        ProfileErrorKind::InvalidValue { key: k, message: m } => {
            assert_eq!(k, key);
            assert!(m.contains(message), "{m}");
        }
        other => panic!("expected InvalidValue, got {other:?}"),
    }
}

#[rstest]
#[case::negative_integer("n = -1\n", "n", "non-negative integer")]
#[case::list_of_numbers("l = [1]\n", "l", "array of strings")]
#[case::empty_list("l = []\n", "l", "must not be empty")]
#[case::bool_as_string("b = \"yes\"\n", "b", "true or false")]
fn typed_accessors_reject_wrong_types(
    #[case] text: &str,
    #[case] key: &str,
    #[case] message: &str,
) {
    let p = profile(text);
    let mut r = p.reader();
    let err = match key {
        "n" => r.opt_u64(key).unwrap_err(),
        "l" => r.req_str_list(key).unwrap_err(),
        _ => r.opt_bool(key).unwrap_err(),
    };
    assert!(err.to_string().contains(message), "{err}");
    assert!(err.to_string().contains(&format!("`{key}`")), "{err}");
}

#[test]
fn has_only_marks_keys_that_exist() {
    let p = profile("suite = \"fake\"\n[fake]\nurl = \"u\"\n");
    let mut r = p.reader();
    r.req_str("suite").unwrap();
    assert!(!r.has("fake.user"));
    assert!(r.has("fake.url"));
    r.finish().unwrap();
}

#[test]
fn syntax_errors_point_at_the_line() {
    let err = Profile::parse(Path::new("sut.toml"), "suite = \"fake\"\n\n[run\n").unwrap_err();
    match err.kind {
        ProfileErrorKind::Syntax { line, .. } => assert_eq!(line, 3),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn unreadable_profile_names_the_path() {
    let err = Profile::load(Path::new("no-such-dir/sut.toml")).unwrap_err();
    assert!(matches!(err.kind, ProfileErrorKind::Unreadable(_)));
    assert!(err
        .to_string()
        .starts_with("no-such-dir/sut.toml: cannot read profile"));
}

// --- triggers ---------------------------------------------------------------------------------

fn command(template: &str, allowed: &[&str]) -> TriggerCommand {
    TriggerCommand::parse(template, allowed, Duration::from_secs(20)).unwrap()
}

#[rstest]
#[case::single_quote("it's")]
#[case::command_substitution("$(touch MARKER)")]
#[case::backticks("`touch MARKER`")]
#[case::separator("x; touch MARKER")]
#[case::pipe_and_redirect("x | tee MARKER > MARKER")]
#[case::newline("line one\ntouch MARKER")]
#[case::globs_and_vars("* ? [a] $HOME ${PATH}")]
#[case::braces("{to} {text}")]
#[case::backslashes("a\\'b\\\\")]
#[case::empty("")]
#[case::non_ascii("naïve 日本 🚀")]
#[tokio::test]
async fn hostile_placeholder_values_reach_the_command_verbatim(#[case] value: &str) {
    let dir = tempfile::tempdir().unwrap();
    let value = value.replace("MARKER", &dir.path().join("marker").display().to_string());
    // printf prints its argument byte for byte; stderr is kept whole.
    let t = command("cd {dir} && printf '%s' {text} >&2", &["dir", "text"]);
    let run = t
        .run(&[
            ("dir", dir.path().display().to_string()),
            ("text", value.clone()),
        ])
        .await;
    assert!(run.succeeded(), "{}", run.render());
    assert_eq!(run.stderr, value);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "the value was interpreted by the shell"
    );
}

#[test]
fn shell_quote_wraps_every_value() {
    assert_eq!(shell_quote(""), "''");
    assert_eq!(shell_quote("a'b"), r"'a'\''b'");
}

#[tokio::test]
async fn failing_trigger_keeps_its_stderr_and_status() {
    let t = command(
        "echo '{\"ok\":false}'; echo '[1,2]'; echo 'refused: no route' >&2; echo 'second line' >&2; exit 7",
        &[],
    );
    let run = t.run(&[]).await;
    assert_eq!(run.status, Some(7));
    assert!(!run.succeeded());
    assert_eq!(
        run.failure_reason().as_deref(),
        Some("trigger exited with status 7")
    );
    assert_eq!(run.stderr, "refused: no route\nsecond line\n");
    assert_eq!(run.json, [serde_json::json!({"ok": false})]);
    assert_eq!(
        run.other_stdout,
        ["[1,2]"],
        "only JSON objects count as reports"
    );
    let shown = run.render();
    assert!(shown.contains("status: exit 7"), "{shown}");
    assert!(
        shown.contains("stderr: refused: no route\nstderr: second line\n"),
        "{shown}"
    );
}

#[tokio::test]
async fn runaway_output_is_capped_without_blocking_the_command() {
    let five_mb = 5 * 1024 * 1024;
    let t = command(
        &format!(
            "head -c {five_mb} /dev/zero | tr '\\000' a; head -c {five_mb} /dev/zero | tr '\\000' b >&2"
        ),
        &[],
    );
    let run = t.run(&[]).await;
    assert!(
        run.succeeded(),
        "{}",
        run.failure_reason().unwrap_or_default()
    );
    let cap = 1024 * 1024;
    let kept: usize = run.other_stdout.iter().map(String::len).sum();
    assert_eq!(kept, cap);
    assert!(run
        .other_stdout
        .iter()
        .all(|l| l.bytes().all(|b| b == b'a')));
    assert_eq!(run.stderr.len(), cap);
}

#[tokio::test]
async fn timed_out_trigger_says_so() {
    let t = TriggerCommand::parse(
        "echo started >&2; sleep 30",
        &[],
        Duration::from_millis(200),
    )
    .unwrap();
    let run = t.run(&[]).await;
    assert!(run.timed_out);
    assert_eq!(run.status, None);
    assert!(run
        .failure_reason()
        .is_some_and(|r| r.starts_with("trigger timed out")));
    assert!(run.render().contains("timed out (process group killed)"));
    assert_eq!(run.stderr, "started\n", "output before the kill is kept");
}

#[tokio::test]
async fn in_process_trigger_gets_the_same_variables() {
    let trigger = Trigger::InProcess {
        name: "reference peer".into(),
        run: Arc::new(|vars: Vec<(String, String)>| {
            Box::pin(async move {
                let mut run = TriggerRun {
                    command: "reference peer".into(),
                    status: Some(0),
                    ..TriggerRun::default()
                };
                run.json = vars
                    .into_iter()
                    .map(|(k, v)| serde_json::json!({ "name": k, "value": v }))
                    .collect();
                run
            })
        }),
    };
    let run = trigger
        .fire(&[("to", "+15550100".into()), ("text", "it's {x}".into())])
        .await;
    assert!(run.succeeded());
    assert_eq!(
        run.json,
        [
            serde_json::json!({"name": "to", "value": "+15550100"}),
            serde_json::json!({"name": "text", "value": "it's {x}"}),
        ]
    );
    assert_eq!(format!("{trigger:?}"), "InProcess(\"reference peer\")");
}

#[tokio::test]
async fn command_trigger_fires_like_its_command() {
    let trigger = Trigger::Command(command("printf '%s' {to}", &["to"]));
    let run = trigger.fire(&[("to", "+1 555".into())]).await;
    assert_eq!(run.command, "printf '%s' '+1 555'");
    assert_eq!(run.other_stdout, ["+1 555"]);
}

#[tokio::test]
async fn a_trigger_runs_in_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), "CA\n").unwrap();
    let run = command("cat ca.pem && pwd", &[])
        .in_dir(dir.path())
        .run(&[])
        .await;
    assert!(run.succeeded(), "{}", run.render());
    assert_eq!(run.other_stdout[0], "CA");
    let real = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(Path::new(&run.other_stdout[1]), real);
}

#[tokio::test]
async fn unused_and_missing_placeholder_values() {
    // A value for a placeholder the template does not use is not substituted anywhere; a
    // placeholder without a value becomes ''.
    let c = command("printf '[%s]' {to}", &["to", "text"]);
    assert_eq!(
        c.render(&[("text", "unused".to_string())]),
        "printf '[%s]' ''"
    );
    let run = c.run(&[("text", "unused".to_string())]).await;
    assert_eq!(run.other_stdout, ["[]"]);
}

#[tokio::test]
async fn a_password_placeholder_is_redacted_in_the_recorded_command() {
    use harness::context::{Cx, CxSetup};
    use harness::redact::Redactor;
    use std::sync::Arc;
    let password = "Zx7&Q<u>\"'pw";
    let cx = Cx::new(CxSetup {
        id: "t/trigger".into(),
        requirements: vec!["R-1".into()],
        section: String::new(),
        sections: None,
        timeout: None,
        level: harness::Level::Must,
        env: Arc::new(()),
        claims: Arc::new(Default::default()),
        redactor: Arc::new(Redactor::with_secrets(["alice", password])),
        clock: harness::Clock::default(),
    });
    let run = command(
        "printf '%s' {user} {password} >/dev/null",
        &["user", "password"],
    )
    .run(&[
        ("user", "alice".to_string()),
        ("password", password.to_string()),
    ])
    .await;
    assert!(run.succeeded(), "{}", run.render());
    cx.local("trigger", "send", &run.render());
    let rec = format!("{:?}", cx.snapshot().transcript);
    assert!(rec.contains("[REDACTED]"), "{rec}");
    assert!(!rec.contains("Zx7") && !rec.contains("alice"), "{rec}");
}
