// Opens report.html files in headless Debian Chromium (puppeteer-core, never a downloaded browser)
// and fails on any console error, page error or network request, on a chart that did not draw
// (no marks in its SVG), on visible axis labels that overlap or repeat, or on a page wider than
// 1280 px.
// Saves a full-page screenshot of each report into the output folder, and one of its top
// (NAME-top.png, 1280×800 unless HCESIM_SHOT_HEIGHT says otherwise).
//
//   node render_test.mjs OUT_DIR NAME=REPORT_HTML[:all] ... [text:NAME=TEXT] [drew:NAME=CHART] ...
// `:all` means every chart of that report must draw (none may say "not in this run");
// `text:NAME=TEXT` that the page NAME shows TEXT (a formatted number, a verdict, a count);
// `drew:NAME=CHART` that its chart CHART (data-chart id) drew.
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, ...rest] = process.argv.slice(2);
const pages = rest.filter((a) => !a.startsWith('text:') && !a.startsWith('drew:'));
const mustDraw = rest.filter((a) => a.startsWith('drew:')).map((a) => {
  const eq = a.indexOf('=');
  return { name: a.slice(5, eq), id: a.slice(eq + 1) };
});
const texts = rest.filter((a) => a.startsWith('text:')).map((a) => {
  const eq = a.indexOf('=');
  return { name: a.slice(5, eq), text: a.slice(eq + 1) };
});
if (!outDir || pages.length === 0) {
  console.error('usage: node render_test.mjs OUT_DIR NAME=REPORT_HTML[:all] ...');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const executablePath = process.env.HCESIM_CHROMIUM || '/usr/bin/chromium';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcesim-chromium-'));
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  userDataDir,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', `--user-data-dir=${userDataDir}`],
});

let failures = 0;
function fail(name, what) {
  ++failures;
  console.log(`FAIL ${name}: ${what}`);
}

try {
  for (const arg of pages) {
    const eq = arg.indexOf('=');
    let file = arg.slice(eq + 1);
    const name = arg.slice(0, eq);
    const all = file.endsWith(':all');
    if (all) file = file.slice(0, -4);
    if (!fs.existsSync(file)) { fail(name, `${file} does not exist`); continue; }
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) r.continue();
      else { problems.push('network request (the page must be self-contained): ' + url); r.abort(); }
    });
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    const charts = await page.evaluate(() => window.hcesimReport && window.hcesimReport.ready);
    if (!charts) { fail(name, 'the page script did not run (no window.hcesimReport)'); await page.close(); continue; }
    // Each chart: its marks, and its visible axis labels' boxes per axis.
    const seen = await page.evaluate(() => [...document.querySelectorAll('.chart')].map((c) => {
      const marks = c.querySelectorAll('svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect, svg g.role-mark text, svg g.role-mark circle').length;
      const overlaps = [];
      for (const axis of c.querySelectorAll('svg g.role-axis')) {
        const boxes = [...axis.querySelectorAll('g.role-axis-label text')]
          .filter((t) => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0' && t.textContent !== '')
          .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
        // Neighbouring ticks that read the same (101 INR, 101 INR) say nothing; a time axis over
        // several days may repeat 03:00, but never side by side.
        const twice = boxes.filter((b, i) => i > 0 && boxes[i - 1].text === b.text);
        if (twice.length) overlaps.push(`neighbouring ticks read the same: "${twice[0].text}"`);
        for (let i = 0; i < boxes.length; ++i) {
          for (let j = i + 1; j < boxes.length; ++j) {
            const a = boxes[i].r;
            const b = boxes[j].r;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 1) overlaps.push(`"${boxes[i].text}" / "${boxes[j].text}"`);
          }
        }
      }
      return { id: c.dataset.chart, absent: c.classList.contains('absent'), failed: c.classList.contains('failed'), marks, overlaps, text: c.classList.contains('absent') ? c.textContent : '' };
    }));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    for (const p of problems) fail(name, p);
    if (width > 1280) fail(name, `the page is ${width} px wide, more than 1280`);
    let drawn = 0;
    for (const c of seen) {
      if (c.failed) fail(name, `chart ${c.id} failed to draw`);
      else if (c.absent) {
        if (all) fail(name, `chart ${c.id} says ${c.text}`);
      } else if (c.marks === 0) fail(name, `chart ${c.id} drew no marks`);
      else ++drawn;
      if (c.overlaps.length) fail(name, `chart ${c.id}: axis labels: ${c.overlaps.slice(0, 3).join(', ')}`);
    }
    if (drawn === 0) fail(name, 'no chart drew');
    for (const m of mustDraw.filter((x) => x.name === name)) {
      const c = seen.find((x) => x.id === m.id);
      if (!c || c.absent || c.failed || c.marks === 0) fail(name, `chart ${m.id} did not draw`);
    }
    const shown = await page.evaluate(() => document.body.innerText);
    for (const t of texts.filter((x) => x.name === name)) {
      if (!shown.includes(t.text)) fail(name, `the page does not show "${t.text}"`);
    }
    const shot = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    // The top of the page, 1280 wide and HCESIM_SHOT_HEIGHT (default 800: the first screen) tall.
    const top = Number(process.env.HCESIM_SHOT_HEIGHT || 800);
    await page.screenshot({ path: path.join(outDir, `${name}-top.png`), clip: { x: 0, y: 0, width: 1280, height: top }, captureBeyondViewport: true });
    console.log(`${name}: ${drawn} charts drew, ${seen.filter((c) => c.absent).length} not in this run; screenshot ${shot}`);
    await page.close();
  }
} finally {
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
if (failures) {
  console.log(`${failures} failure(s)`);
  process.exit(1);
}
console.log('all reports rendered cleanly');
