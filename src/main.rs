use clap::Parser;
use oxconf::cli::{Cli, Command};
use oxconf::commands::{coverage, exit, list, mock, profile, run};

fn print_or_usage(result: Result<String, oxconf::plan::PlanError>) -> i32 {
    match result {
        Ok(text) => {
            print!("{text}");
            exit::OK
        }
        Err(e) => {
            eprintln!("oxconf: {e}");
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
    };
    std::process::exit(code);
}
