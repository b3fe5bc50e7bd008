//! The notif-decoder environment: the decoder under test (a command, or the reference decoder
//! in-process) and the one place its output is read by the decoder contract.

use super::config::{DecoderConfig, DecoderProfile};
use futures::StreamExt;
use harness::{Cx, Prepared, SetupError, Stop, TriggerRun};
use mocks::cnotif::decoder::{run_contract, Faults, ReferenceDecoder};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the in-process reference may take before it counts as hanging.
const REFERENCE_TIMEOUT: Duration = Duration::from_secs(1);
/// Decoder processes run at once when each buffer has its own process.
const PARALLEL_RUNS: usize = 4;

pub enum Decoder {
    Command(DecoderProfile),
    Reference(Arc<ReferenceDecoder>),
}

pub struct DecoderEnv {
    pub decoder: Decoder,
}

/// What the decoder said of one buffer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A decode: the JSON object it printed.
    Decoded(Value),
    /// A rejection: the rule it named (`{"error": RULE}`).
    Rejected(String),
}

impl Answer {
    pub fn render(&self) -> String {
        match self {
            Answer::Decoded(v) => v.to_string(),
            Answer::Rejected(rule) => format!("{{\"error\":{}}}", Value::from(rule.as_str())),
        }
    }
}

/// Reads one output line by the contract; Err says how the adapter broke it.
fn read_line(line: &str) -> Result<Answer, String> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => match map.get("error") {
            Some(Value::String(rule)) if map.len() == 1 => Ok(Answer::Rejected(rule.clone())),
            Some(_) => Err(format!(
                "an \"error\" member that is not a lone rule string: {line}"
            )),
            None => Ok(Answer::Decoded(Value::Object(map))),
        },
        Ok(_) => Err(format!("a JSON value that is not an object: {line}")),
        Err(_) => Err(format!("a line that is not JSON: {line:?}")),
    }
}

fn broken(run: &TriggerRun, why: &str) -> Stop {
    let reason = run.failure_reason().unwrap_or_default();
    Stop::inconclusive(format!(
        "the decoder broke the decoder contract ({why}){}; nothing was judged",
        if reason.is_empty() {
            String::new()
        } else {
            format!(": {reason}")
        }
    ))
}

fn input_of(hexes: &[&str]) -> Vec<u8> {
    let mut input = hexes.join("\n");
    input.push('\n');
    input.into_bytes()
}

/// The answers of a `--lines` run: one JSON object per buffer, in order.
fn read_lines(run: &TriggerRun, count: usize) -> Result<Vec<Answer>, Stop> {
    if run.timed_out || run.spawn_error.is_some() || !matches!(run.status, Some(0 | 1)) {
        return Err(broken(run, "a --lines run must exit with status 0 or 1"));
    }
    if run.lines.len() != count {
        return Err(broken(
            run,
            &format!("{} output lines for {count} buffers", run.lines.len()),
        ));
    }
    run.lines
        .iter()
        .map(|l| read_line(l).map_err(|why| broken(run, &why)))
        .collect()
}

/// The answer of a one-buffer run: one JSON object, and the exit status that goes with it.
fn read_single(run: &TriggerRun) -> Result<Answer, Stop> {
    let [line] = run.lines.as_slice() else {
        return Err(broken(
            run,
            &format!("{} output lines for one buffer", run.lines.len()),
        ));
    };
    let answer = read_line(line).map_err(|why| broken(run, &why))?;
    let want = match answer {
        Answer::Decoded(_) => 0,
        Answer::Rejected(_) => 1,
    };
    if run.timed_out || run.status != Some(want) {
        return Err(broken(
            run,
            &format!(
                "a {} must exit with status {want}",
                if want == 0 { "decode" } else { "rejection" }
            ),
        ));
    }
    Ok(answer)
}

impl DecoderEnv {
    /// Runs the decoder over `hexes` and returns one answer per buffer, in order. A decoder
    /// that breaks the contract (no JSON, a wrong count, a crash, a hang) stops the scenario
    /// as inconclusive: that is its adapter, not a decoding verdict.
    pub async fn decode_all(&self, cx: &Cx, hexes: &[&str]) -> Result<Vec<Answer>, Stop> {
        match &self.decoder {
            Decoder::Reference(decoder) => {
                let started = Instant::now();
                let input = hexes.join("\n");
                let (stdout, status) = run_contract(decoder, &input, true);
                let mut run = TriggerRun {
                    command: "reference decoder (in-process) --lines".to_owned(),
                    status,
                    ..TriggerRun::default()
                };
                if status.is_none() {
                    cx.idle(tokio::time::sleep(REFERENCE_TIMEOUT)).await;
                    run.timed_out = true;
                }
                run.elapsed = started.elapsed();
                harness::trigger::split_stdout(&stdout, &mut run);
                cx.local(
                    "decoder",
                    "the decoder, all buffers as lines",
                    &run.render(),
                );
                read_lines(&run, hexes.len())
            }
            Decoder::Command(p) if p.lines => {
                let run = p.command.run_with_input(&[], input_of(hexes)).await;
                cx.local(
                    "decoder",
                    "the decoder, all buffers as lines",
                    &run.render(),
                );
                read_lines(&run, hexes.len())
            }
            Decoder::Command(p) => {
                let inputs: Vec<Vec<u8>> = hexes.iter().map(|h| h.as_bytes().to_vec()).collect();
                let runs: Vec<TriggerRun> = futures::stream::iter(inputs)
                    .map(|input| {
                        let command = p.command.clone();
                        async move { command.run_with_input(&[], input).await }
                    })
                    .buffered(PARALLEL_RUNS)
                    .collect()
                    .await;
                if let Some(first) = runs.first() {
                    cx.local("decoder", "the decoder, first buffer", &first.render());
                }
                let mut answers = Vec::with_capacity(runs.len());
                for (i, run) in runs.iter().enumerate() {
                    match read_single(run) {
                        Ok(a) => answers.push(a),
                        Err(stop) => {
                            cx.local(
                                "decoder",
                                &format!("the decoder, buffer {} of {}", i + 1, runs.len()),
                                &run.render(),
                            );
                            return Err(stop);
                        }
                    }
                }
                Ok(answers)
            }
        }
    }
}

pub async fn setup(config: DecoderConfig, setup: harness::Setup) -> Result<Prepared, SetupError> {
    match config {
        DecoderConfig::Reference => {
            let faults = Faults::parse(&setup.faults).map_err(SetupError::Other)?;
            let env = DecoderEnv {
                decoder: Decoder::Reference(Arc::new(ReferenceDecoder::new(faults))),
            };
            Ok(Prepared::new(
                env,
                "reference NotificationData decoder (in-process)",
            ))
        }
        DecoderConfig::Profile(p) => {
            let target = format!("decoder command `{}`", p.command.template());
            Ok(Prepared::new(
                DecoderEnv {
                    decoder: Decoder::Command(*p),
                },
                target,
            ))
        }
    }
}
