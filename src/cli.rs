//! Command-line interface definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "oxconf",
    version,
    about = "Conformance tests, with mock peers, for MS-OMS (and, next, MS-OXWSPSNTIF and MS-OXCNOTIF)",
    long_about = "Drives a system under test through scenarios taken from the specifications and \
                  writes JUnit, JSON and console reports. Without --profile, every suite runs \
                  against its built-in reference peer."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios (exit 0: no failure, 1: failures, 2: usage or profile error, 3: SUT unreachable).
    Run(RunArgs),
    /// List scenarios with their requirement ids (no network).
    List(ListArgs),
    /// Compare the requirement catalogue with the scenarios, listing what is not covered.
    Coverage(CoverageArgs),
    /// Run a mock peer standalone and print its URL.
    Mock(MockArgs),
    /// Print profile help; `--example SUITE` prints a commented example profile.
    Profile(ProfileArgs),
    /// Ask a running `oxconf mock oms-server` to emit a phone reply over SMTP (a reply trigger).
    MockReply(MockReplyArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Profile describing the SUT (TOML). Without it, suites run against reference peers.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Only these suites (repeatable).
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
    /// Only scenario ids matching this glob (repeatable; `*` also matches `/`).
    #[arg(long = "filter", value_name = "GLOB")]
    pub filters: Vec<String>,
    /// Turn SHOULD warnings into failures.
    #[arg(long)]
    pub strict: bool,
    /// JUnit XML output.
    #[arg(long, value_name = "PATH", default_value = "reports/junit.xml")]
    pub junit: PathBuf,
    /// JSON output; transcripts go to a `transcripts/` directory beside it.
    #[arg(long, value_name = "PATH", default_value = "reports/report.json")]
    pub json: PathBuf,
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
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Which peer: see `oxconf mock --list`.
    pub name: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Inject a named fault (repeatable); see `--list-faults`.
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<String>,
    /// Serve HTTPS with a throwaway CA (its certificate is written to --ca-out).
    #[arg(long)]
    pub tls: bool,
    /// Where to write the CA certificate when --tls is set.
    #[arg(long, value_name = "FILE", default_value = "oxconf-mock-ca.pem")]
    pub ca_out: PathBuf,
    /// SMTP server that receives the phone replies the mock emits (oms-server).
    #[arg(long, value_name = "ADDR")]
    pub smtp_relay: Option<SocketAddr>,
    /// List the available peers.
    #[arg(long)]
    pub list: bool,
    /// List the named faults of the peer.
    #[arg(long)]
    pub list_faults: bool,
    /// One-shot client peers: the service URL.
    #[arg(long)]
    pub url: Option<String>,
    /// One-shot client peers: recipients, comma-separated.
    #[arg(long)]
    pub to: Option<String>,
    /// One-shot client peers: message text.
    #[arg(long)]
    pub text: Option<String>,
    /// One-shot client peers: a JSON batch file (an empty value means none, so a trigger
    /// template can always pass `--batch-file {batch_file}`).
    #[arg(long)]
    pub batch_file: Option<String>,
    /// One-shot client peers: user id.
    #[arg(long)]
    pub user: Option<String>,
    /// One-shot client peers: password.
    #[arg(long)]
    pub password: Option<String>,
    /// One-shot client peers: "sms", "mms" (with --image-file) or "batch" (with --batch-file).
    #[arg(long)]
    pub kind: Option<String>,
    /// One-shot client peers: the GIF of an MMS slide.
    #[arg(long)]
    pub image_file: Option<String>,
    /// One-shot client peers: trust this CA certificate (PEM) for https URLs.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Print a commented example profile for this suite.
    #[arg(long, value_name = "SUITE")]
    pub example: Option<String>,
}

#[derive(Debug, Args)]
pub struct MockReplyArgs {
    /// The mock's service URL, as `oxconf mock oms-server` printed it.
    pub url: String,
    /// The phone number the reply comes from.
    pub recipient: String,
    /// The reply text (or the MMS subject).
    pub text: String,
    /// sms, mms (with SMIL) or mms-nosmil.
    #[arg(long, default_value = "sms")]
    pub kind: String,
    /// Trust this CA certificate (PEM) when the mock serves HTTPS.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
}
