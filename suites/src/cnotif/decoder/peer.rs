//! `oxconf mock notif-decoder`: the reference NotificationData decoder as a command following
//! the decoder contract, with `--fault` to make it decode wrongly, so a profile can point the
//! notif-decoder suite at a separate process. `oxconf decode ropnotify` is the same decoder
//! with no fault.

use crate::peers::{Console, Peer};
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::future::BoxFuture;
use mocks::cnotif::decoder::{run_contract, Faults, ReferenceDecoder};
use mocks::fault::Fault;
use std::io::Read;

/// Input beyond this is refused: one buffer is at most a few KiB, a vector file a few MiB.
pub const MAX_INPUT: u64 = 64 * 1024 * 1024;

pub struct NotifDecoderPeer;

/// Reads stdin (bounded) and runs the contract over it; returns the exit status. Prints the
/// JSON lines through `console` and problems with the input to its stderr.
pub async fn decode_stdin(decoder: &ReferenceDecoder, lines: bool, console: &Console) -> i32 {
    let mut input = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut input);
    if let Err(e) = read {
        console.complain(format_args!("cannot read stdin: {e}"));
        return 2;
    }
    if input.len() as u64 > MAX_INPUT {
        console.complain(format_args!(
            "the input is larger than {} MiB",
            MAX_INPUT / 1024 / 1024
        ));
        return 2;
    }
    let text = String::from_utf8_lossy(&input);
    let (stdout, status) = run_contract(decoder, &text, lines);
    console.print(&stdout);
    match status {
        Some(code) => code,
        // The hostile `hang` fault: never answer (the harness's timeout ends it).
        None => std::future::pending::<i32>().await,
    }
}

impl Peer for NotifDecoderPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference RopNotify decoder, reading hex on stdin (a decoder command for notif-decoder profiles)"
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::cnotif::decoder::FAULTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME).arg(
            Arg::new("lines")
                .long("lines")
                .action(ArgAction::SetTrue)
                .help("One buffer per input line, one JSON object per output line"),
        )
    }

    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            let faults = match Faults::parse(&faults) {
                Ok(f) => f,
                Err(e) => {
                    console.complain(e);
                    return 2;
                }
            };
            let decoder = ReferenceDecoder::new(faults);
            decode_stdin(&decoder, args.get_flag("lines"), &console).await
        })
    }
}
