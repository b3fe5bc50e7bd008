use clap::FromArgMatches;
use oxconf::cli::{self, Cli, Command};
use oxconf::commands::{coverage, decode, exit, list, load, matrix, mock, profile, report, run};
use oxconf::{complain, out};

fn print_or_usage(result: Result<String, oxconf::plan::PlanError>) -> i32 {
    match result {
        Ok(text) => {
            out::stdout(&text);
            exit::OK
        }
        Err(e) => {
            complain!("oxconf: {e}");
            exit::USAGE
        }
    }
}

fn main() {
    // Former top-level commands (`oxconf mock-reply`) are spelt as the peer subcommands they
    // became before clap sees them.
    let argv = suites::peers::expand_aliases(std::env::args_os().collect());
    let matches = cli::command().get_matches_from(argv);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let code = match &cli.command {
        Command::Run(args) => run::run(args),
        Command::List(args) => print_or_usage(list::run(args)),
        Command::Coverage(args) => print_or_usage(coverage::run(args)),
        Command::Profile(args) => print_or_usage(profile::run(args)),
        Command::Decode(command) => decode::run(command),
        Command::Matrix(args) => matrix::run(args),
        Command::Mock(args) => mock::run(args, matches.subcommand_matches("mock")),
        Command::Report(args) => report::run(args),
        Command::Load(args) => load::run(args),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut cli::command(), "oxconf", &mut script);
            out::stdout(&String::from_utf8_lossy(&script));
            exit::OK
        }
    };
    std::process::exit(code);
}
