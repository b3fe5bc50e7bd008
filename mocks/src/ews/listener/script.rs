//! What the mock listener answers, request by request: the reference answers OK to every
//! notification for a subscription it holds; the push-server suite scripts Unsubscribe after
//! N notifications, a run of HTTP 500s (to watch the server retry), a delay or a malformed
//! answer.

use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `SubscriptionStatus` OK (or Unsubscribe for a subscription the listener does not hold).
    Ok,
    /// `SubscriptionStatus` Unsubscribe.
    Unsubscribe,
    /// An HTTP status with an empty body (500: "the listener failed").
    Status(u16),
    /// HTTP 200 with a body that is not XML.
    Malformed,
}

/// An answer and how long to wait before giving it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub answer: Answer,
    pub delay: Duration,
}

impl Step {
    pub fn now(answer: Answer) -> Step {
        Step {
            answer,
            delay: Duration::ZERO,
        }
    }
}

/// The answers to the first requests, in order, then one answer for every later request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub steps: Vec<Step>,
    pub then: Step,
}

impl Default for Script {
    fn default() -> Self {
        Script::always(Answer::Ok)
    }
}

impl Script {
    pub fn always(answer: Answer) -> Script {
        Script {
            steps: Vec::new(),
            then: Step::now(answer),
        }
    }

    /// OK to the first `n` notifications, Unsubscribe from then on.
    pub fn unsubscribe_after(n: usize) -> Script {
        Script {
            steps: vec![Step::now(Answer::Ok); n],
            then: Step::now(Answer::Unsubscribe),
        }
    }

    /// OK to the first `ok` notifications, then `answer` to every later one.
    pub fn after_ok(ok: usize, answer: Answer) -> Script {
        Script {
            steps: vec![Step::now(Answer::Ok); ok],
            then: Step::now(answer),
        }
    }

    /// The step for the request numbered `n` (0-based).
    pub fn step(&self, n: usize) -> &Step {
        self.steps.get(n).unwrap_or(&self.then)
    }
}
