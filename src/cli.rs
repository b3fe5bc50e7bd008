//! Command-line interface definitions.

use crate::out::ColorChoice;
use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit codes, as `--help` shows them.
pub const EXIT_CODES: &str = "Exit codes:\n  \
    0  no failure\n  \
    1  failures (or an interrupted run, or reports that could not be written)\n  \
    2  usage or profile error (nothing was run)\n  \
    3  nothing could be judged: the SUT is unreachable (every scenario inconclusive)\n  \
    4  a local setup problem on this machine (a listen address in use, a file that cannot be read)";

#[derive(Debug, Parser)]
#[command(
    name = "oxconf",
    version,
    about = "Conformance tests, with mock peers, for MS-OMS (and, next, MS-OXWSPSNTIF and MS-OXCNOTIF)",
    long_about = "Drives a system under test through scenarios taken from the specifications and \
                  writes JUnit, JSON and console reports. Without --profile, every suite runs \
                  against its built-in reference peer.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios (exit 0: no failure, 1: failures, 2: usage or profile error, 3: SUT
    /// unreachable, 4: local setup problem).
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// List scenarios with their requirement ids; with --profile, what it would skip (no network).
    List(ListArgs),
    /// Compare the requirement catalogue with the scenarios, listing what is not covered.
    Coverage(CoverageArgs),
    /// Run a mock peer standalone and print its URL (and a ready profile for it); `oxconf mock`
    /// lists the peers.
    Mock(MockArgs),
    /// Load a push listener with concurrent SendNotifications and count what it lost (exit 0:
    /// nothing lost, 1: something lost or an error, 2: usage or profile error, 3: listener
    /// unreachable, 4: local problem).
    Load(LoadArgs),
    /// Print profile help; `--example SUITE` prints a commented example profile.
    Profile(ProfileArgs),
    /// Decode what an implementer pastes in (hex on stdin): `ropnotify` follows the decoder
    /// contract (canonical JSON, or {"error": RULE} with exit status 1).
    #[command(subcommand)]
    Decode(DecodeCommand),
    /// Render the interop matrix (Markdown): the peers under suites/interop/ and the reports of
    /// their runs (`cargo test --test interop` keeps them in target/interop/).
    Matrix(MatrixArgs),
    /// Turn saved JSON reports into the HTML report; several reports give a scenarios ×
    /// implementations matrix.
    Report(ReportArgs),
    /// Print a shell completion script, e.g. `oxconf completions bash > ~/.local/share/bash-completion/completions/oxconf`.
    Completions(CompletionsArgs),
}

/// The registered suite names, for `--suite` (so `--help` lists them).
fn suite_names() -> PossibleValuesParser {
    PossibleValuesParser::new(suites::all().iter().map(|s| s.info().name))
}

/// `--level`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LevelArg {
    Must,
    Should,
    May,
    Structure,
}

impl LevelArg {
    pub fn level(self) -> harness::Level {
        match self {
            LevelArg::Must => harness::Level::Must,
            LevelArg::Should => harness::Level::Should,
            LevelArg::May => harness::Level::May,
            LevelArg::Structure => harness::Level::Structure,
        }
    }
}

/// Which scenarios: shared by `run` and `list`. Criteria of different kinds must all hold;
/// repeated criteria of one kind are alternatives.
#[derive(Debug, Args, Clone, Default)]
pub struct Selection {
    /// Only these suites (repeatable; a name given twice runs once).
    #[arg(long = "suite", value_name = "NAME", value_parser = suite_names())]
    pub suites: Vec<String>,
    /// Only scenario ids matching this glob (repeatable; `*` also matches `/`). A pattern that
    /// matches no scenario is an error.
    #[arg(long = "filter", value_name = "GLOB")]
    pub filters: Vec<String>,
    /// Leave out scenario ids matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Only scenarios citing a requirement id matching this glob, e.g. OMS-R031 or 'OMS-R14*'
    /// (repeatable).
    #[arg(long = "requirement", value_name = "ID")]
    pub requirements: Vec<String>,
    /// Only scenarios of this level (repeatable, or comma-separated).
    #[arg(
        long = "level",
        value_name = "LEVEL",
        value_enum,
        value_delimiter = ','
    )]
    pub levels: Vec<LevelArg>,
    /// Only scenarios of this spec section: a glob ('3.1.4.4*'), or a section number, which also
    /// selects its subsections (repeatable).
    #[arg(long = "section", value_name = "SECTION")]
    pub sections: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Profile describing the SUT (TOML). Without it, suites run against reference peers.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    #[command(flatten)]
    pub select: Selection,
    /// Show what would run and what the profile would skip, then stop (no network, no reports).
    #[arg(long)]
    pub dry_run: bool,
    /// Turn SHOULD warnings into failures.
    #[arg(long)]
    pub strict: bool,
    /// JUnit XML output (checked before the run starts).
    #[arg(long, value_name = "PATH", default_value = "reports/junit.xml")]
    pub junit: PathBuf,
    /// JSON output (checked before the run starts); transcripts go to a `transcripts/`
    /// directory beside it unless --transcripts says otherwise.
    #[arg(long, value_name = "PATH", default_value = "reports/report.json")]
    pub json: PathBuf,
    /// Also write the HTML report here: one self-contained page (checked before the run
    /// starts), e.g. `reports/index.html`.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Directory for the per-scenario transcripts (default: `transcripts/` beside --json, or
    /// `reports/transcripts` when --json is not a regular file, such as /dev/null).
    #[arg(long, value_name = "DIR")]
    pub transcripts: Option<PathBuf>,
    /// Scenarios run at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub jobs: usize,
    /// Scenario-id patterns expected to fail, each with a reason (TOML).
    #[arg(long, value_name = "FILE")]
    pub expect_failures: Option<PathBuf>,
    /// Per-scenario timeout (overrides the profile's `run.timeout`), e.g. "10s".
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Whole-run deadline (overrides the profile's `run.deadline`), e.g. "15m".
    #[arg(long, value_name = "DURATION")]
    pub deadline: Option<String>,
    /// Also list passing scenarios on the console.
    #[arg(long, short)]
    pub verbose: bool,
    /// No progress lines while running (the summary is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour verdicts on the console (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Read this profile (no network) and show which scenarios it would skip, and why.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    #[command(flatten)]
    pub select: Selection,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[arg(long = "suite", value_name = "NAME", value_parser = suite_names())]
    pub suites: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `oxconf load`: bounded in rate, duration and count (see `suites::push::load::plan`).
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// A push-listener profile (its target.url, CA and timeouts, push.subscription_id); without
    /// it, an in-process reference listener is loaded.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Load the in-process reference listener even when --profile is given.
    #[arg(long)]
    pub reference: bool,
    /// Notifications per second (at most 20000).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub rate: u32,
    /// How long to send, e.g. "10s" (at most 10 min; rate × duration at most 1000000).
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub duration: String,
    /// Keep-alive connections used at once (at most 64).
    #[arg(long, value_name = "C", default_value_t = 4)]
    pub connections: usize,
    /// Subscription ids the notifications are spread over (ignored when the profile names
    /// push.subscription_id: then every notification is for that one).
    #[arg(long, value_name = "S", default_value_t = 16)]
    pub subscriptions: usize,
    /// Skip the raw loopback baseline the reference run measures after the load.
    #[arg(long)]
    pub no_baseline: bool,
    /// Switch on a fault of the reference listener (see `oxconf mock push-listener --help`),
    /// to see loss reported; repeatable.
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<String>,
    /// Also write the figures as JSON (written atomically).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// `oxconf mock`: the peers are subcommands built from `suites::peers()` (see `command`), each
/// with its own flags, so only the listing lives here.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// List the available peers (also what `oxconf mock` alone does).
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The directory holding one folder per peer (each with peer.toml and expected.json).
    #[arg(long, value_name = "DIR", default_value = "suites/interop")]
    pub interop: PathBuf,
    /// The directory holding the runs' JSON reports, one <peer-id>.json each.
    #[arg(long, value_name = "DIR", default_value = "target/interop")]
    pub reports: PathBuf,
    /// Write the Markdown to this file (links are made relative to it) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Print a commented example profile for this suite.
    #[arg(long, value_name = "SUITE", value_parser = suite_names())]
    pub example: Option<String>,
}

/// `oxconf decode WHAT`.
#[derive(Debug, Subcommand)]
pub enum DecodeCommand {
    /// RopNotify NotificationData (MS-OXCNOTIF 2.2.1.4.1.1), hex on stdin: prints the
    /// canonical JSON of the RopNotify decode format, or {"error": RULE} and exits 1.
    Ropnotify(DecodeRopNotifyArgs),
    /// A ROP buffer (RopSize, RopsList, handle table), hex on stdin, with or without its
    /// RPC_HEADER_EXT: every ROP with its fields, RopNotify's notification fields included.
    RopBuffer(DecodeRopBufferArgs),
    /// A MAPI/HTTP response stream (PROCESSING / PENDING / DONE, headers, body), hex on stdin,
    /// with the body decoded for the request type given.
    Mapihttp(DecodeMapiHttpArgs),
    /// An EWS SOAP message (SendNotification, the listener's answer, Subscribe and the other
    /// requests and responses), raw XML on stdin: its decoded value and every finding.
    Soap(DecodeSoapArgs),
}

#[derive(Debug, Args)]
pub struct DecodeRopBufferArgs {
    /// The ROPs are requests (a client's buffer); by default they are read as responses.
    #[arg(long)]
    pub requests: bool,
    /// Print JSON instead of the annotated dump.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DecodeMapiHttpArgs {
    /// The X-RequestType the response answers: Connect, Execute, NotificationWait or
    /// Disconnect (the body's layout depends on it).
    #[arg(long, value_name = "TYPE", default_value = "Execute")]
    pub request_type: String,
    /// Print JSON instead of the annotated dump.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DecodeSoapArgs {
    /// Print JSON instead of the readable dump.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DecodeRopNotifyArgs {
    /// One buffer per input line, one JSON object per output line (exit 1 if any is refused).
    #[arg(long)]
    pub lines: bool,
    /// Print each field with its offset, bytes and value instead of the JSON (for people).
    #[arg(long, conflicts_with = "lines")]
    pub annotate: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write the HTML page (one self-contained file).
    #[arg(long, value_name = "OUT", required = true)]
    pub html: PathBuf,
    /// JSON reports written by `oxconf run --json` (one column each in the matrix).
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The whole command line: the derived commands, with `oxconf mock`'s peers attached from the
/// registry. Parsing, `--help` and shell completions all use this one.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("mock", crate::commands::mock::attach)
}
