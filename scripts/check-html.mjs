// Opens oxconf's HTML report in headless Chromium and checks what a reader relies on: the
// summary, a failing scenario's evidence (checks with expected and actual, the annotated hex
// dump), the verdict and requirement filters, #fragment links, the scenarios x implementations
// matrix, and that the page fetches nothing. Screenshots go to reports/html-check/.
//
// Usage: node scripts/check-html.mjs OXCONF_BINARY [PAGE.html]
// PAGE.html, when given (the main CI job's reports/index.html), is opened and checked too.
// The reports it opens are made here: the notif-decoder suite against the reference decoder
// with two protocol faults switched on (so scenarios fail), against the fault-free reference,
// and the two side by side with `oxconf report --html`.

import { chromium } from "playwright-core";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const oxconf = resolve(process.argv[2] || "target/release/oxconf");
const out = resolve("reports/html-check");
const extra = process.argv[3] ? resolve(process.argv[3]) : null;
const failing = "notif-decoder/invalid/trailing-bytes";

function fail(msg) {
  console.error(`check-html: FAILED: ${msg}`);
  process.exit(1);
}
function check(cond, msg) {
  if (!cond) fail(msg);
  console.log(`  ok  ${msg}`);
}

if (!existsSync(CHROMIUM)) {
  fail(`${CHROMIUM} not found (install the Debian package chromium, or set CHROMIUM)`);
}
if (!existsSync(oxconf)) fail(`${oxconf} not found: pass the oxconf binary`);

// --- the reports -------------------------------------------------------------------------
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "oxconf-html-"));
const profile = join(work, "faulty.toml");
writeFileSync(
  profile,
  `suite = "notif-decoder"\n[target]\ndecode = ${JSON.stringify(
    `'${oxconf}' mock notif-decoder --fault counts-swapped --fault accepts-trailing-bytes`,
  )}\n`,
);
function run(args, wantStatus) {
  const r = spawnSync(oxconf, args, { encoding: "utf8" });
  if (r.status !== wantStatus) {
    fail(`oxconf ${args.join(" ")} exited ${r.status}, expected ${wantStatus}\n${r.stdout}\n${r.stderr}`);
  }
}
const faultyHtml = join(out, "faulty.html");
const matrixHtml = join(out, "matrix.html");
run(["run", "-q", "--suite", "notif-decoder", "--profile", profile, "--html", faultyHtml,
  "--json", join(work, "faulty.json"), "--junit", join(work, "faulty.xml"),
  "--transcripts", join(work, "t1")], 1);
run(["run", "-q", "--suite", "notif-decoder", "--json", join(work, "reference.json"),
  "--junit", join(work, "reference.xml"), "--transcripts", join(work, "t2")], 0);
execFileSync(oxconf, ["report", "--html", matrixHtml, join(work, "reference.json"), join(work, "faulty.json")]);

// --- the browser -------------------------------------------------------------------------
// A fresh user-data-dir each run (Playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(join(work, "profile"), {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const fetched = [];
const problems = [];
async function open(file, hash = "") {
  const page = await browser.newPage();
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) fetched.push(r.url());
  });
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(pathToFileURL(file).href + hash, { waitUntil: "load" });
  return page;
}
const visible = (page, sel) => page.locator(sel).filter({ visible: true }).count();

try {
  console.log(`check-html: ${faultyHtml}`);
  let page = await open(faultyHtml);
  check(await page.locator("#summary h2").first().isVisible(), "the summary is shown");
  check((await page.locator(".tile.v-fail .n").innerText()) === "3", "the summary counts 3 failures");
  check(await page.locator("table.counts code", { hasText: "notif-decoder" }).first().isVisible(),
    "the per-suite counts name the suite");
  check((await page.locator(".cov .heat .cell").count()) > 0, "requirement coverage is drawn");
  check((await page.locator("details.scenario").count()) === 15, "one entry per scenario");

  // Verdict filter: only failures.
  for (const v of ["pass", "warn", "skip", "inconclusive", "error"]) {
    await page.locator(`input[name=verdict][value=${v}]`).uncheck();
  }
  check((await visible(page, "details.scenario")) === 3, "the verdict filter leaves the 3 failures");
  check((await visible(page, "details.scenario[data-verdict=pass]")) === 0, "and hides every pass");
  await page.locator("#f-reset").click();
  check((await visible(page, "details.scenario")) === 15, "'Show all' brings them back");
  await page.locator("#f-req").fill("CNOTIF-NO-SUCH");
  check((await visible(page, "details.scenario")) === 0, "a requirement id no scenario cites hides all");
  await page.locator("#f-reset").click();
  await page.close();

  // A #fragment link opens the failing scenario, even past a filter that hid it.
  page = await open(faultyHtml, `#${failing}`);
  const entry = page.locator(`details.scenario[id="${failing}"]`);
  check(await entry.evaluate((el) => el.open), "#fragment opens the failing scenario");
  check(await entry.locator("table.checks tr.c-fail").first().isVisible(), "its failing checks are shown");
  const failRow = await entry.locator("table.checks tr.c-fail").first().innerText();
  check(/trailing-bytes/.test(failRow), "with expected against actual");
  check(await entry.locator("table.reqs td", { hasText: "MS-OXCNOTIF" }).first().isVisible(),
    "its requirements carry spec sections");
  check(await entry.locator("pre.hexdump").first().isVisible(), "the binary frames are hex dumps");
  check((await entry.locator("pre.hexdump span[title]:not([title=''])").count()) > 0,
    "with bytes annotated by field");
  await page.screenshot({ path: join(out, "failing-scenario.png") });
  await entry.locator("details.entry", { has: page.locator("pre.hexdump") }).first()
    .screenshot({ path: join(out, "hex-dump.png") });
  // From the top (so the sticky filter bar sits in place), one picture with both: the summary
  // above, the failing scenario's evidence below.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, "summary.png") });
  await page.screenshot({ path: join(out, "report.png"), fullPage: true });
  await page.close();

  // The matrix of two implementations.
  console.log(`check-html: ${matrixHtml}`);
  page = await open(matrixHtml);
  const heads = await page.locator("table.matrix th.impl").allInnerTexts();
  check(heads.join(",") === "reference,faulty", `the matrix has one column per report (${heads})`);
  check((await page.locator("table.matrix tr.mrow").count()) === 15, "and one row per scenario");
  check((await page.locator("table.matrix tr.differs").count()) === 3, "3 rows where they disagree");
  await page.locator(`table.matrix a[href="#r2:${failing}"]`).click();
  check(await page.locator(`details.scenario[id="r2:${failing}"]`).evaluate((el) => el.open),
    "a matrix cell opens that implementation's evidence");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, "matrix.png") });
  await page.close();

  if (extra) {
    console.log(`check-html: ${extra}`);
    page = await open(extra);
    check(await page.locator("#summary .tiles").first().isVisible(), "the summary is shown");
    const n = await page.locator("details.scenario").count();
    const shown = await page.locator("#f-count").innerText();
    check(n > 0 && shown === `${n} of ${n} scenarios shown`, `the filters ran (${shown})`);
    await page.locator("#f-bad").click();
    const bad = await visible(page, "details.scenario");
    const notPassed = await page.locator("details.scenario:not([data-verdict=pass]):not([data-verdict=skip])").count();
    check(bad === notPassed, `'Only problems' shows the ${bad} scenarios that did not pass`);
    await page.locator("#f-reset").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(out, "index.png") });
    await page.close();
  }

  check(fetched.length === 0, `nothing was fetched from the network ${fetched.join(" ")}`);
  check(problems.length === 0, `no script error or CSP violation ${problems.join(" | ")}`);
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`check-html: passed; screenshots in ${out}`);
