//! `oxconf profile --example SUITE`.

use crate::cli::ProfileArgs;
use crate::plan::{select_suites, PlanError};

pub fn run(args: &ProfileArgs) -> Result<String, PlanError> {
    match &args.example {
        Some(name) => {
            let suite = select_suites(std::slice::from_ref(name))?;
            Ok(suite
                .first()
                .map(|s| s.example_profile().to_string())
                .unwrap_or_default())
        }
        None => {
            let mut out = String::from(
                "A profile is a TOML file describing the system under test; see the README.\n\
                 Print an example with `oxconf profile --example SUITE`. Suites:\n",
            );
            for s in suites::all() {
                let i = s.info();
                out.push_str(&format!(
                    "  {:<12} {} ({}, SUT role {})\n",
                    i.name, i.title, i.spec, i.role
                ));
            }
            Ok(out)
        }
    }
}
