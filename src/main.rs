use clap::{CommandFactory, Parser};
use oxconf::cli::{Cli, Command};
use oxconf::commands::{coverage, exit, list, mock, profile, run};
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
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Run(args) => run::run(args),
        Command::List(args) => print_or_usage(list::run(args)),
        Command::Coverage(args) => print_or_usage(coverage::run(args)),
        Command::Profile(args) => print_or_usage(profile::run(args)),
        Command::Mock(args) => mock::run(args),
        Command::MockReply(args) => mock::reply(args),
        Command::MockServiceUpdate(args) => mock::service_update(args),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "oxconf", &mut script);
            out::stdout(&String::from_utf8_lossy(&script));
            exit::OK
        }
    };
    std::process::exit(code);
}
