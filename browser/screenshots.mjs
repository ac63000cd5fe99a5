// Screenshots of a worker's status card for the README, as a phone shows it (360×740 CSS px),
// in English, Nepali and Arabic.
//
//   scripts/with-demo-server.sh node browser/screenshots.mjs     # starts a demo registry
//   FAIRHIRE_BASE_URL=... FAIRHIRE_AGENCY_ID=<id> node browser/screenshots.mjs [out dir]
//
// Writes docs/screenshots/status-card-{en,ne,ar}.png (or into the directory given). JavaScript
// is off, as many workers' phones and data plans have it in effect: the pages need none.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { baseUrl, launch, required } from './lib.mjs';

const BASE = baseUrl();
const AGENCY = required('FAIRHIRE_AGENCY_ID');
const out = process.argv[2] || fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

const browser = await launch();
for (const lang of ['en', 'ne', 'ar']) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(`${BASE}/agencies/${AGENCY}?lang=${lang}`, { waitUntil: 'load' });
  if (response?.status() !== 200) throw new Error(`status card in ${lang}: ${response?.status()}`);
  const path = join(out, `status-card-${lang}.png`);
  await page.screenshot({ path, type: 'png' });
  console.log(`${path}: ${statSync(path).size} bytes`);
  await context.close();
}
await browser.close();
