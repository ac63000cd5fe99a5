// A worker's status card on a slow mobile line: load time and bytes, against a baseline measured
// in the same run under the same throttling.
//
// Starts nothing: give it a fairhire that serves (bench/status-card.sh starts one on the demo
// registry and runs this) and a certified agency's id:
//
//   FAIRHIRE_BASE_URL=http://127.0.0.1:8080 FAIRHIRE_AGENCY_ID=<id> [RUNS=3] node bench/status-card-slow3g.mjs
//
// Headless Chromium (Debian's, as the browser tests use) with DevTools' network throttling,
// `Network.emulateNetworkConditions` with the figures of DevTools' "3G" preset (named "Slow 3G"
// before 2024; front_end/core/sdk/NetworkManager.ts, Slow3GConditions): 400 ms round trips
// times DevTools' adjustment factor 5 = 2000 ms latency, 500 kbit/s times 0.8 = 50 000 bytes/s
// down and up. Each run loads, in a fresh browser context (cold cache, no cookie):
// - the baseline, `GET /healthz` as a page: one round trip of a tiny JSON body;
// - the status card, cold: the page and its stylesheet;
// - the status card again in the same context (a return visit): the stylesheet must come from
//   the cache (it is served immutable), so only the page crosses the line.
// Printed: time to `load`, to DOMContentLoaded (navigation timing) and to the first contentful
// paint (when the worker sees the card: after the stylesheet, which blocks rendering; "-" if
// none came within 10 s), bytes over the wire (the
// sum of `Network.loadingFinished.encodedDataLength`: headers and body as sent), the number of
// requests (the baseline's include the /favicon.ico Chromium asks for by itself; the pages name
// an inline icon, so they ask for none) and how many were served from the cache; the median of
// RUNS runs, and each load's time as a ratio of the baseline's.
import { baseUrl, launch, required } from '../browser/lib.mjs';

const BASE = baseUrl();
const AGENCY = required('FAIRHIRE_AGENCY_ID');
const RUNS = Number(process.env.RUNS || 3);

/** DevTools' "3G" (formerly "Slow 3G") preset. */
const SLOW_3G = {
  offline: false,
  latency: 400 * 5,
  downloadThroughput: ((500 * 1000) / 8) * 0.8,
  uploadThroughput: ((500 * 1000) / 8) * 0.8,
};

/** Loads `path` in a new page of `context` under slow 3G and measures it. */
async function load(context, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const requests = new Map();
  const entry = (id) => {
    if (!requests.has(id)) requests.set(id, { url: '', bytes: 0, cached: false, status: 0 });
    return requests.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => { entry(e.requestId).url = e.request.url; });
  cdp.on('Network.requestServedFromCache', (e) => { entry(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = entry(e.requestId);
    r.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromMemoryCache || e.response.fromPrefetchCache) r.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => { entry(e.requestId).bytes = e.encodedDataLength; });
  const response = await page.goto(`${BASE}${path}`, { waitUntil: 'load', timeout: 120_000 });
  if (!response || response.status() !== 200) throw new Error(`${path}: ${response?.status()}`);
  const timing = await page.evaluate(() => new Promise((resolve) => {
    const n = performance.getEntriesByType('navigation')[0];
    const done = (fcp) => resolve({ load: n.loadEventStart, dcl: n.domContentLoadedEventEnd, fcp });
    // The first paint may come just after the load event: wait for it a little.
    new PerformanceObserver((list) => {
      const fcp = list.getEntriesByName('first-contentful-paint')[0];
      if (fcp) done(fcp.startTime);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => done(NaN), 10_000);
  }));
  // loadingFinished of the last response may trail the load event by a moment.
  await new Promise((r) => setTimeout(r, 200));
  await page.close();
  const all = [...requests.values()];
  return {
    load: timing.load,
    dcl: timing.dcl,
    fcp: timing.fcp,
    bytes: all.reduce((sum, r) => sum + r.bytes, 0),
    requests: all.length,
    cached: all.filter((r) => r.cached).map((r) => new URL(r.url).pathname),
    fetched: all.filter((r) => !r.cached).map((r) => `${new URL(r.url).pathname} ${r.bytes} B`),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await launch();
const results = { baseline: [], cold: [], warm: [] };
for (let run = 0; run < RUNS; run++) {
  const baseContext = await browser.newContext();
  results.baseline.push(await load(baseContext, '/healthz'));
  await baseContext.close();
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  results.cold.push(await load(context, `/agencies/${AGENCY}`));
  results.warm.push(await load(context, `/agencies/${AGENCY}`));
  await context.close();
}
const version = browser.version();
await browser.close();

const rows = [
  ['baseline: GET /healthz', results.baseline],
  ['status card, cold cache', results.cold],
  ['status card, return visit', results.warm],
];
const fmt = (ms) => (Number.isNaN(ms) ? '-' : ms.toFixed(0));
const baseLoad = median(results.baseline.map((r) => r.load));
console.log(`\nslow 3G: DevTools "3G" preset (${SLOW_3G.latency} ms latency, ${SLOW_3G.downloadThroughput} B/s down, ${SLOW_3G.uploadThroughput} B/s up)`);
console.log(`Chromium ${version}, ${BASE}/agencies/${AGENCY}, median of ${RUNS} run(s)\n`);
console.log(`${'load'.padEnd(28)} ${'load ms'.padStart(8)} ${'DCL ms'.padStart(8)} ${'FCP ms'.padStart(8)} ${'bytes'.padStart(7)} ${'requests'.padStart(8)} ${'cached'.padStart(6)} ${'ratio'.padStart(6)}`);
for (const [name, rs] of rows) {
  const load = median(rs.map((r) => r.load));
  console.log(
    `${name.padEnd(28)} ${load.toFixed(0).padStart(8)} ${median(rs.map((r) => r.dcl)).toFixed(0).padStart(8)} `
    + `${fmt(median(rs.map((r) => r.fcp))).padStart(8)} `
    + `${String(median(rs.map((r) => r.bytes))).padStart(7)} ${String(median(rs.map((r) => r.requests))).padStart(8)} `
    + `${String(median(rs.map((r) => r.cached.length))).padStart(6)} ${(load / baseLoad).toFixed(2).padStart(6)}`,
  );
}
const last = (rs) => rs[rs.length - 1];
console.log(`\ncold: fetched ${last(results.cold).fetched.join(', ')}`);
console.log(`return visit: fetched ${last(results.warm).fetched.join(', ')}; from the cache: ${last(results.warm).cached.join(', ') || 'nothing'}`);

const cssCached = results.warm.every((r) => r.cached.some((p) => p.startsWith('/assets/')));
if (!cssCached) {
  console.error('\nthe return visit fetched the stylesheet again: it should come from the cache');
  process.exit(1);
}
