// What the browser tests, the screenshots and the slow-3G bench share: where Chromium is, how it is
// started (never downloaded: Debian's own build), and how a page's facts are read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

/** The Chromium to drive: `CHROMIUM_PATH`, else Debian's package. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Starts headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: chromiumPath, headless: true });
}

/** axe-core's source, to evaluate in a page. */
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.x A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** A required setting from the environment, or an exit with a message saying what is missing. */
export function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set; see the top of ${process.argv[1]} for what it runs against`);
    process.exit(2);
  }
  return value;
}

/** The base URL without a trailing slash. */
export function baseUrl() {
  return required('FAIRHIRE_BASE_URL').replace(/\/+$/, '');
}

/** Runs axe-core on the page with `tags` and returns its violations. */
export async function axeViolations(page, tags = WCAG_TAGS) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy (no script at
  // all) does not govern: the page is tested with its CSP in force, and nothing is bypassed.
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] })
      .then((r) => ({ passed: r.passes.length, violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
      })) })),
    tags,
  );
  // A canary: axe that checked nothing would find nothing.
  if (result.passed + result.violations.length === 0) throw new Error(`axe-core checked no rule on ${page.url()}`);
  return result.violations;
}

/** axe violations as lines a person can read. */
export function formatViolations(where, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`  ${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`      at ${n.target}`);
      lines.push(`         ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const s of (n.summary || '').split('\n')) if (s.trim()) lines.push(`         ${s.trim()}`);
    }
    if (v.nodes.length > 5) lines.push(`      … and ${v.nodes.length - 5} more element(s)`);
  }
  return lines.join('\n');
}
