//! Engine overhead: 500 trivial scenarios through the runner, then the JUnit and JSON renderers.
//! The scenarios do no I/O, so the figures are the harness's own cost per scenario.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::future::BoxFuture;
use oxconf_harness::report::model::RunReport;
use oxconf_harness::report::{json, junit, Tool};
use oxconf_harness::{
    run, FaultInfo, Planned, Prepared, ProfileError, ProfileReader, RunOptions, Scenario, Suite,
    SuiteConfig, SuiteInfo,
};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::sync::Arc;

const SCENARIOS: usize = 500;

const TOOL: Tool = Tool {
    name: "oxconf",
    version: "bench",
};

struct Trivial;

impl Suite for Trivial {
    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: "bench",
            spec: "MS-BENCH",
            role: "server",
            title: "trivial scenarios",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        (0..SCENARIOS)
            .map(|i| {
                Scenario::new(format!("bench/s{i:03}"))
                    .title("trivial")
                    .section("MS-BENCH 1.1")
                    .requirements([format!("BENCH-R{:03}", i % 50)])
                    .run(|cx| async move {
                        cx.sent("http", "POST /x", "<Request/>");
                        cx.received("http", "200 OK", "<Response/>");
                        cx.expect_eq("status", 200, 200)
                    })
            })
            .collect()
    }

    fn example_profile(&self) -> &'static str {
        ""
    }

    fn faults(&self) -> Vec<FaultInfo> {
        Vec::new()
    }

    fn configure(
        &self,
        _profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError> {
        Ok(Box::new(()))
    }

    fn setup(
        &self,
        _config: SuiteConfig,
        _setup: oxconf_harness::Setup,
    ) -> BoxFuture<'static, Result<Prepared, oxconf_harness::SetupError>> {
        Box::pin(async {
            Ok(Prepared {
                env: Arc::new(()),
                claims: BTreeSet::new(),
                secrets: vec!["hunter2".into()],
                target: "in-process".into(),
                notices: Vec::new(),
            })
        })
    }
}

fn plan() -> Vec<Planned> {
    vec![Planned::new(Arc::new(Trivial), Box::new(()))]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn run_once(rt: &tokio::runtime::Runtime) -> RunReport {
    rt.block_on(run(plan(), RunOptions::default()))
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let report = run_once(&rt);
    assert_eq!(report.results().count(), SCENARIOS);
    assert_eq!(report.exit_code(), 0);

    let mut group = c.benchmark_group("harness_500_scenarios");
    group.throughput(Throughput::Elements(SCENARIOS as u64));
    group.bench_function("run", |b| b.iter(|| black_box(run_once(&rt))));
    group.bench_function("render_junit", |b| {
        b.iter(|| black_box(junit::render(&report, "transcripts")))
    });
    group.bench_function("render_json", |b| {
        b.iter(|| black_box(json::render(&report, TOOL, "transcripts")))
    });
    group.bench_function("run_and_render", |b| {
        b.iter(|| {
            let r = run_once(&rt);
            let xml = junit::render(&r, "transcripts");
            let doc = json::render(&r, TOOL, "transcripts");
            black_box((xml, doc))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
