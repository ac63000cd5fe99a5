// The worker pages in a real browser (Debian's headless Chromium, driven by playwright-core).
//
// Runs against a fairhire that is already serving; `cargo test --test api browser` starts one on
// each backend with the agencies below and runs this file. By hand:
//
//   FAIRHIRE_BASE_URL=http://127.0.0.1:8080 \
//   FAIRHIRE_CERTIFIED_ID=<id> FAIRHIRE_CERTIFIED_NAME='<legal name>' \
//   [FAIRHIRE_SUSPENDED_ID=<id>] [FAIRHIRE_REPORTS_BURST=<the app's limits.reports_burst>] \
//   node --test-reporter=spec browser/pages.test.mjs
//
// What it checks, after the worker pages' contract (URLs, element ids, form field names):
// - with JavaScript off: search, open a status card, switch to Nepali and to Arabic (lang, dir,
//   the cookie), submit a report (and a wrong one), follow it up with its code;
// - with JavaScript on, as most browsers have it: axe-core's WCAG 2.x A/AA rules on every page in
//   English, Nepali and Arabic, with no violation allowed; no sideways scrolling at 320 CSS px
//   (WCAG 1.4.10, which axe does not check); in Arabic the Latin legal name isolated from the
//   right-to-left text; keyboard focus order and a visible focus ring;
//   labels, landmarks, headings;
// - no request leaves the site, each page with its CSS stays within 30 KB over the wire, and the
//   stylesheet is cached for good while pages are not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { axeViolations, baseUrl, formatViolations, launch, required } from './lib.mjs';

const BASE = baseUrl();
const ORIGIN = new URL(BASE).origin;
const CERTIFIED = { id: required('FAIRHIRE_CERTIFIED_ID'), name: required('FAIRHIRE_CERTIFIED_NAME') };
const SUSPENDED_ID = process.env.FAIRHIRE_SUSPENDED_ID || null;
/** A well-formed id that names no agency. */
const MISSING_ID = process.env.FAIRHIRE_MISSING_ID || '0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90';
const LANGUAGES = ['en', 'ne', 'bn', 'hi', 'id', 'tl', 'ar'];
const RTL = new Set(['ar']);
const BUDGET_BYTES = 30 * 1024;
const STATUSES = ['certified', 'suspended', 'withdrawn', 'expired', 'never_certified', 'applicant'];
const STATES = ['received', 'under_review', 'substantiated', 'unsubstantiated', 'referred'];
const DEVANAGARI = /[\u0900-\u097F]/;
const ARABIC = /[\u0600-\u06FF]/;

// A hung browser must not hang `cargo test`: the whole run has five minutes (it takes under one).
const WATCHDOG_MS = Number(process.env.FAIRHIRE_BROWSER_TIMEOUT_MS || 300_000);
setTimeout(() => {
  console.error(`browser tests: still running after ${WATCHDOG_MS} ms; giving up`);
  process.exit(1);
}, WATCHDOG_MS).unref();

let browser;
/** Every request any page made that left the site. */
const offsite = [];
/** Notes that are no failure, printed at the end. */
const notes = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const n of notes) console.log(`note: ${n}`);
});

/** A fresh browser context (no cookies, cold cache) that records requests leaving the site. */
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
  context.on('page', (page) => page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()) {
      lastReferrerPolicy.set(page, r.headers()['referrer-policy']);
    }
  }));
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && !url.startsWith('about:') && new URL(url).origin !== ORIGIN) offsite.push(url);
  });
  return context;
}

const url = (path) => `${BASE}${path}`;

/** Goes to `path` and returns the document's response. */
async function open(page, path, expectedStatus = 200) {
  const response = await page.goto(url(path), { waitUntil: 'load' });
  assert.ok(response, `GET ${path}: no response`);
  assert.equal(response.status(), expectedStatus, `GET ${path}: status`);
  assert.match(response.headers()['content-type'] || '', /^text\/html/, `GET ${path}: an HTML page`);
  return response;
}

/** Clicks `locator`, which submits a form or follows a link, and returns the document's response. */
async function navigateBy(page, locator, what) {
  const policy = lastReferrerPolicy.get(page);
  const [response] = await Promise.all([
    page.waitForEvent('response', { predicate: (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame(), timeout: 30_000 }),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
  assert.ok(response, `${what}: no response`);
  if (response.status() === 403 && response.request().method() === 'POST') {
    // Say what the browser sent: a form refused as cross-site is the likeliest cause.
    const sent = await response.request().allHeaders();
    console.log(`${what}: the browser's POST was refused (403); it sent Origin: ${sent.origin ?? '(none)'}, `
      + `Sec-Fetch-Site: ${sent['sec-fetch-site'] ?? '(none)'}; the form page had Referrer-Policy: ${policy ?? '(none)'}`);
  }
  return response;
}

/** The Referrer-Policy of the last page each tab loaded (it decides the Origin a form sends). */
const lastReferrerPolicy = new WeakMap();

/** The `lang` and `dir` of the page's `<html>`. */
async function langDir(page) {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
}

async function assertLanguage(page, lang, where) {
  assert.deepEqual(await langDir(page), { lang, dir: RTL.has(lang) ? 'rtl' : 'ltr' }, `${where}: <html lang dir>`);
  const direction = await page.evaluate(() => getComputedStyle(document.body).direction);
  assert.equal(direction, RTL.has(lang) ? 'rtl' : 'ltr', `${where}: the body's computed direction`);
}

/** The page's path and query. */
const pathOf = (page) => {
  const u = new URL(page.url());
  return u.pathname + u.search;
};

/** Checks shared by every page: structure, the language switcher, the one stylesheet, no script. */
async function assertPageShape(page, where) {
  const shape = await page.evaluate(() => {
    const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1]));
    const nav = document.querySelector('nav#languages');
    return {
      title: document.title.trim(),
      mains: document.querySelectorAll('main').length,
      h1s: document.querySelectorAll('h1').length,
      headings,
      viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content') || null,
      charset: document.characterSet,
      positiveTabindex: [...document.querySelectorAll('[tabindex]')].filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80)),
      languageLinks: nav ? [...nav.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href'), lang: a.getAttribute('lang'), hreflang: a.getAttribute('hreflang'), text: a.textContent.trim(),
      })) : null,
      stylesheets: [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => l.getAttribute('href')),
      inlineStyles: document.querySelectorAll('style').length,
      scripts: document.querySelectorAll('script').length,
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    };
  });
  assert.ok(shape.title, `${where}: a <title>`);
  assert.equal(shape.mains, 1, `${where}: one <main> landmark`);
  assert.equal(shape.h1s, 1, `${where}: one <h1>`);
  for (let i = 1; i < shape.headings.length; i++) {
    assert.ok(shape.headings[i] <= shape.headings[i - 1] + 1, `${where}: headings skip a level: ${shape.headings.join(',')}`);
  }
  assert.equal(shape.headings[0], 1, `${where}: the first heading is the <h1>`);
  assert.match(shape.viewport || '', /width=device-width/, `${where}: a mobile viewport meta`);
  assert.equal(shape.charset, 'UTF-8', `${where}: UTF-8`);
  assert.deepEqual(shape.positiveTabindex, [], `${where}: no positive tabindex (it breaks the reading order)`);
  const dupes = shape.ids.filter((id, i) => shape.ids.indexOf(id) !== i);
  assert.deepEqual(dupes, [], `${where}: duplicate ids`);
  assert.ok(shape.languageLinks, `${where}: <nav id="languages">`);
  const offered = shape.languageLinks.map((l) => new URLSearchParams((l.href || '').split('?')[1] || '').get('lang'));
  assert.deepEqual([...offered].sort(), [...LANGUAGES].sort(), `${where}: the switcher offers each language once, by ?lang=`);
  for (const l of shape.languageLinks) {
    const lang = new URLSearchParams(l.href.split('?')[1]).get('lang');
    assert.equal(l.lang, lang, `${where}: the ${lang} link has lang="${lang}"`);
    assert.equal(l.hreflang, lang, `${where}: the ${lang} link has hreflang="${lang}"`);
    assert.ok(l.text, `${where}: the ${lang} link has a name`);
  }
  assert.equal(shape.stylesheets.length, 1, `${where}: one stylesheet`);
  assert.match(shape.stylesheets[0], /^\/assets\/site\.[A-Za-z0-9_-]+\.css$/, `${where}: the stylesheet by hashed name`);
  if (shape.scripts > 0) notes.push(`${where} carries ${shape.scripts} <script> element(s); the contract prefers none`);
  return shape;
}

/**
 * The elements in <main> that show `name` (left-to-right text) in a right-to-left page without
 * isolating it (`<bdi>`, an own `dir`, or Unicode isolates U+2066/7/8 … U+2069 around it in the
 * text): there the bidi algorithm moves its neutral characters, so that "Example Manpower Ltd."
 * reads ".Example Manpower Ltd".
 */
async function unisolatedNames(page, name) {
  return page.evaluate((name) => {
    const bare = (text) => text.split(name).slice(0, -1).some((before, i) => {
      const after = text.split(name)[i + 1];
      return !(/[\u2066\u2067\u2068]$/.test(before) && after.startsWith('\u2069'));
    });
    const holders = [...document.querySelectorAll('main *')].filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && bare(n.textContent)));
    return holders.filter((e) => !e.closest('bdi, main [dir]')).map((e) => e.outerHTML.slice(0, 120));
  }, name);
}

/** Form controls a person fills in, and whether each has a visible label with text. */
async function unlabelledControls(page, formSelector) {
  return page.evaluate((sel) => {
    const form = document.querySelector(sel);
    const controls = [...form.querySelectorAll('input, select, textarea')]
      .filter((c) => !['hidden', 'submit', 'button', 'reset'].includes(c.type));
    return controls
      .filter((c) => ![...(c.labels || [])].some((l) => l.textContent.trim() && l.checkVisibility()))
      .map((c) => c.outerHTML.slice(0, 120));
  }, formSelector);
}

/**
 * Tabs through the whole page and returns what took focus, in order, with whether a focus ring
 * showed; and the focusable elements in DOM order (what the order must be).
 */
async function tabThrough(page) {
  const describe = () => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    const name = e.id ? `#${e.id}` : e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : `"${(e.textContent || e.getAttribute('href') || '').trim().slice(0, 30)}"`;
    return { key: e.dataset.focusKey, label: `${e.tagName.toLowerCase()}${name}`, ring, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` };
  };
  const expected = await page.evaluate(() => {
    const seenRadio = new Set();
    const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')];
    const focusable = all.filter((e) => {
      if (e.disabled || e.tabIndex < 0) return false;
      if (e.tagName === 'INPUT' && e.type === 'hidden') return false;
      if (!e.checkVisibility({ visibilityProperty: true })) return false;
      if (e.type === 'radio') {
        if (seenRadio.has(e.name)) return false;
        seenRadio.add(e.name);
      }
      return true;
    });
    return focusable.map((e, i) => {
      e.dataset.focusKey = String(i);
      return String(i);
    });
  });
  await page.evaluate(() => document.activeElement?.blur());
  const seen = [];
  // A date field takes several Tab stops of its own (day, month, year, picker): one stop here.
  for (let i = 0; i < expected.length * 5 + 5; i++) {
    await page.keyboard.press('Tab');
    const d = await page.evaluate(describe);
    if (!d || (seen.length && d.key === seen[0].key)) break;
    if (seen.length && d.key === seen[seen.length - 1].key) continue;
    seen.push(d);
  }
  return { expected, seen };
}

async function assertFocusOrder(page, where) {
  const { expected, seen } = await tabThrough(page);
  assert.ok(expected.length > 0, `${where}: something to focus`);
  assert.deepEqual(seen.map((s) => s.key), expected,
    `${where}: Tab follows the DOM reading order; focus went: ${seen.map((s) => s.label).join(' → ')}`);
  const ringless = seen.filter((s) => !s.ring).map((s) => `${s.label} (outline: ${s.outline})`);
  assert.deepEqual(ringless, [], `${where}: a visible focus ring on each stop`);
}

/** Sets the language by the switcher's link, as a person would. */
async function switchLanguage(page, lang) {
  const link = page.locator(`nav#languages a[hreflang="${lang}"]`);
  const response = await navigateBy(page, link, `switch to ${lang}`);
  assert.equal(response.status(), 200, `switch to ${lang}: status`);
}

/** The document response and the stylesheet response of a fresh load, in bytes over the wire. */
async function weight(context, path) {
  const page = await context.newPage();
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await open(page, path);
  let total = 0;
  const parts = [];
  for (const r of responses) {
    const sizes = await r.request().sizes();
    const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
    total += bytes;
    parts.push(`${new URL(r.url()).pathname} ${bytes} B`);
  }
  await page.close();
  return { total, parts, responses };
}

/** Fills in the report form with a valid report. */
async function fillReport(page, { description = 'The agent in Kathmandu took 150000 rupees for the visa and gave no receipt.' } = {}) {
  const form = page.locator('form#report-form');
  await form.locator('[name=category]').selectOption('recruitment_fee');
  await form.locator('[name=fee_amount]').fill('150000');
  await form.locator('[name=fee_currency]').fill('NPR');
  const country = form.locator('[name=country]');
  if ((await country.evaluate((e) => e.tagName)) === 'SELECT') await country.selectOption('NP');
  else await country.fill('NP');
  await form.locator('[name=occurred_on]').fill('2025-11-20');
  await form.locator('[name=description]').fill(description);
}

const REFERENCE = /^R-[A-Z0-9]{4}-[A-Z0-9]{4}$/;
const CODE = /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

/** Submits the filled report form; returns the reference and the follow-up code shown. */
async function submitReport(page, where) {
  const response = await navigateBy(page, page.locator('#submit-report'), `${where}: submit the report`);
  assert.equal(response.request().method(), 'POST', `${where}: the form posts`);
  assert.equal(new URL(response.url()).pathname, '/report', `${where}: it posts to /report`);
  assert.equal(response.status(), 200, `${where}: a valid report is accepted; page said: ${(await page.locator('body').innerText()).slice(0, 500)}`);
  const reference = (await page.locator('#reference').innerText()).trim();
  const code = (await page.locator('#follow-up-code').innerText()).trim();
  assert.match(reference, REFERENCE, `${where}: the reference`);
  assert.match(code, CODE, `${where}: the follow-up code`);
  return { reference, code };
}

/** Opens the follow-up page of `reference` and sends `code`; returns the response. */
async function followUp(page, reference, code) {
  const form = page.locator('form#follow-up-form');
  assert.equal(await form.getAttribute('method'), 'post', 'the follow-up form posts (the code never goes in a URL)');
  assert.equal(await form.getAttribute('action'), `/report/${reference}`, 'the follow-up form posts to its reference');
  await form.locator('input#code[name=code]').fill(code);
  const submit = form.locator('button[type=submit], input[type=submit]');
  assert.equal(await submit.count(), 1, 'the follow-up form has one submit button');
  return navigateBy(page, submit, 'follow up');
}

// ---------------------------------------------------------------------------------------------

describe('with JavaScript off', () => {
  test('search, open a status card, switch to Nepali and to Arabic', async () => {
    const context = await newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();

    // The search page.
    const home = await open(page, '/');
    await assertLanguage(page, 'en', '/');
    await assertPageShape(page, '/');
    assert.match(home.headers()['cache-control'] || '', /no-cache|private/, '/: a page is not cached as it is');
    const form = page.locator('form[role=search]');
    assert.equal(await form.count(), 1, '/: one <form role="search">');
    assert.equal(await form.getAttribute('method'), 'get', '/: the search form uses GET');
    assert.equal(await form.getAttribute('action'), '/', '/: the search form goes to /');
    const q = form.locator('input#q');
    assert.equal(await q.getAttribute('type'), 'search', '/: #q is type=search');
    assert.equal(await q.getAttribute('name'), 'q', '/: #q is named q');
    const label = page.locator('label[for=q]');
    assert.ok(await label.isVisible(), '/: a visible <label for="q">');
    assert.ok((await label.innerText()).trim(), '/: the label says something');

    // Search for the certified agency by its name; Enter submits without JavaScript.
    await q.fill(CERTIFIED.name);
    const [searched] = await Promise.all([page.waitForEvent('response', (r) => r.request().isNavigationRequest()), q.press('Enter')]);
    await page.waitForLoadState('load');
    assert.equal(searched.status(), 200, 'search: status');
    assert.equal(new URL(page.url()).searchParams.get('q'), CERTIFIED.name, 'search: the query is in the URL');
    assert.equal(await page.locator('input#q').inputValue(), CERTIFIED.name, 'search: the box keeps the query');
    const hit = page.locator(`ul#results > li:has(a[href="/agencies/${CERTIFIED.id}"])`);
    assert.equal(await hit.count(), 1, `search: one result links to /agencies/${CERTIFIED.id}; results: ${await page.locator('#results').innerText().catch(() => '(no #results)')}`);
    const hitLink = hit.locator(`a[href="/agencies/${CERTIFIED.id}"]`);
    assert.equal((await hitLink.innerText()).trim(), CERTIFIED.name, 'search: the result link is the legal name');
    const hitText = (await hit.innerText()).replace(CERTIFIED.name, '').trim();
    assert.ok(hitText.length > 0, 'search: the result shows a status word beside the name');
    assert.equal(await page.locator('#no-results').count(), 0, 'search: no "no results" with results');

    // No results.
    await open(page, `/?q=${encodeURIComponent('zz no such agency qq')}`);
    assert.ok(await page.locator('p#no-results').isVisible(), 'search: <p id="no-results"> when nothing matches');
    assert.equal(await page.locator('#results li').count(), 0, 'search: no result items when nothing matches');

    // Open the status card from the result.
    await open(page, `/?q=${encodeURIComponent(CERTIFIED.name)}`);
    const cardResponse = await navigateBy(page, page.locator(`#results a[href="/agencies/${CERTIFIED.id}"]`), 'open the status card');
    assert.equal(cardResponse.status(), 200, 'status card: status');
    assert.equal(pathOf(page), `/agencies/${CERTIFIED.id}`, 'status card: its address');
    assert.match(cardResponse.headers()['cache-control'] || '', /no-cache|private/, 'status card: not cached as it is (status must not be stale)');
    await assertPageShape(page, 'status card');
    const card = page.locator('section#status-card');
    assert.equal(await card.count(), 1, 'status card: <section id="status-card">');
    assert.ok(STATUSES.includes(await card.getAttribute('data-status')), 'status card: data-status is one of the contract\'s');
    assert.equal(await card.getAttribute('data-status'), 'certified', 'status card: data-status');
    assert.equal((await page.locator('h1').innerText()).trim(), CERTIFIED.name, 'status card: the <h1> is the legal name');
    assert.ok(await card.locator('h1').count(), 'status card: the <h1> is in the card');
    // The contract lists the QR code and the report link with the card; they may sit just after
    // its <section>, in the same <main>.
    const qr = page.locator('main svg[role=img]');
    assert.equal(await qr.count(), 1, 'status card: one inline <svg role="img"> QR code');
    assert.ok((await qr.getAttribute('aria-label'))?.trim(), 'status card: the QR code has an aria-label');
    if (!(await card.locator('svg[role=img]').count())) notes.push('the QR code is outside <section id="status-card"> (the contract lists it in the card)');
    if (!(await card.locator('a#report-link').count())) notes.push('#report-link is outside <section id="status-card"> (the contract lists it in the card)');
    const address = page.locator('#page-address');
    if (await address.count()) {
      assert.equal((await address.innerText()).trim(), url(`/agencies/${CERTIFIED.id}`), 'status card: the address the QR code holds, written out');
    }
    const reportLink = page.locator('a#report-link');
    assert.equal(await reportLink.getAttribute('href'), `/report?agency=${CERTIFIED.id}`, 'status card: #report-link');
    const english = await card.innerText();

    // Nepali, by the switcher: lang, dir, the cookie, Devanagari text; the name stays.
    await switchLanguage(page, 'ne');
    assert.equal(new URL(page.url()).pathname, `/agencies/${CERTIFIED.id}`, 'Nepali: the same page');
    await assertLanguage(page, 'ne', 'status card in Nepali');
    await assertPageShape(page, 'status card in Nepali');
    assert.equal(await page.locator('section#status-card').getAttribute('data-status'), 'certified', 'Nepali: data-status');
    assert.equal((await page.locator('h1').innerText()).trim(), CERTIFIED.name, 'Nepali: the legal name is not translated');
    const nepali = await page.locator('section#status-card').innerText();
    assert.match(nepali, DEVANAGARI, 'Nepali: the card is in Devanagari');
    assert.notEqual(nepali, english, 'Nepali: the card reads differently than in English');
    const cookie = (await context.cookies(BASE)).find((c) => c.name === 'lang');
    assert.ok(cookie, 'Nepali: ?lang= sets the lang cookie');
    assert.equal(cookie.value, 'ne', 'Nepali: the cookie holds the language');
    assert.equal(cookie.sameSite, 'Lax', 'Nepali: the cookie is SameSite=Lax');
    assert.equal(cookie.path, '/', 'Nepali: the cookie has Path=/');
    await open(page, '/');
    await assertLanguage(page, 'ne', '/ after choosing Nepali (the cookie)');
    assert.match(await page.locator('main').innerText(), DEVANAGARI, '/ after choosing Nepali: Devanagari text');

    // Arabic: right to left.
    await open(page, `/agencies/${CERTIFIED.id}`);
    await switchLanguage(page, 'ar');
    await assertLanguage(page, 'ar', 'status card in Arabic');
    await assertPageShape(page, 'status card in Arabic');
    assert.equal(await page.locator('section#status-card').getAttribute('data-status'), 'certified', 'Arabic: data-status');
    assert.match(await page.locator('section#status-card').innerText(), ARABIC, 'Arabic: the card is in Arabic script');
    await open(page, `/?q=${encodeURIComponent(CERTIFIED.name)}`);
    await assertLanguage(page, 'ar', 'search in Arabic (the cookie)');

    // Back to English by the switcher.
    await switchLanguage(page, 'en');
    await assertLanguage(page, 'en', 'search back in English');
    await context.close();
  });

  test('the language comes from ?lang=, else the cookie, else Accept-Language, else English', async () => {
    for (const [locale, lang] of [['ar-SA', 'ar'], ['ne-NP', 'ne'], ['hi', 'hi'], ['fr-FR', 'en']]) {
      const context = await newContext({ javaScriptEnabled: false, locale });
      const page = await context.newPage();
      await open(page, '/');
      await assertLanguage(page, lang, `/ with Accept-Language ${locale}`);
      await open(page, '/?lang=en');
      await assertLanguage(page, 'en', `/?lang=en with Accept-Language ${locale}`);
      await open(page, '/');
      await assertLanguage(page, 'en', `/ after ?lang=en with Accept-Language ${locale} (the cookie wins)`);
      await context.close();
    }
  });

  test('a suspended agency, and unknown ones', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    if (SUSPENDED_ID) {
      await open(page, `/agencies/${SUSPENDED_ID}`);
      assert.equal(await page.locator('section#status-card').getAttribute('data-status'), 'suspended', 'suspended card: data-status');
      assert.equal(await page.locator('a#report-link').getAttribute('href'), `/report?agency=${SUSPENDED_ID}`, 'suspended card: #report-link');
    }
    await open(page, `/agencies/${MISSING_ID}`, 404);
    await assertLanguage(page, 'en', 'unknown agency');
    await assertPageShape(page, 'unknown agency');
    assert.equal(await page.locator('#status-card').count(), 0, 'unknown agency: no status card');
    await open(page, '/agencies/not-an-id', 404);
    await open(page, '/agencies/not-an-id?lang=ar', 404);
    await assertLanguage(page, 'ar', 'unknown agency in Arabic');
    await context.close();
  });

  test('submit a report from a status card and follow it up', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await open(page, `/agencies/${CERTIFIED.id}`);
    const formResponse = await navigateBy(page, page.locator('a#report-link'), 'open the report form');
    assert.equal(formResponse.status(), 200, 'report form: status');
    assert.equal(pathOf(page), `/report?agency=${CERTIFIED.id}`, 'report form: its address');
    await assertPageShape(page, 'report form');
    const form = page.locator('form#report-form');
    assert.equal(await form.count(), 1, 'report form: <form id="report-form">');
    assert.equal(await form.getAttribute('method'), 'post', 'report form: method=post');
    assert.equal(await form.getAttribute('action'), '/report', 'report form: action=/report');
    const agencyId = form.locator('input[name=agency_id]');
    assert.equal(await agencyId.getAttribute('type'), 'hidden', 'report form: agency_id is hidden when ?agency= is given');
    assert.equal(await agencyId.inputValue(), CERTIFIED.id, 'report form: agency_id holds the agency');
    assert.ok((await form.locator('input[type=hidden][name=csrf_token]').inputValue()).length >= 16, 'report form: a CSRF token');
    for (const name of ['category', 'fee_amount', 'fee_currency', 'country', 'occurred_on', 'description', 'contact']) {
      const field = form.locator(`#${name}[name=${name}]`);
      assert.equal(await field.count(), 1, `report form: a field with id and name ${name}`);
    }
    assert.equal(await form.locator('select#category').count(), 1, 'report form: category is a <select>');
    assert.equal(await form.locator('#occurred_on').getAttribute('type'), 'date', 'report form: occurred_on is type=date');
    assert.equal(await form.locator('textarea#description').count(), 1, 'report form: description is a <textarea>');
    assert.equal(await form.locator('button[type=submit]#submit-report').count(), 1, 'report form: <button type="submit" id="submit-report">');
    assert.deepEqual(await unlabelledControls(page, 'form#report-form'), [], 'report form: each field has a visible label');
    const categories = await form.locator('select#category option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(categories.includes('recruitment_fee') && categories.includes('other'), `report form: the categories (${categories})`);

    // A report without a description is sent back with the errors marked and the rest kept.
    await fillReport(page, { description: '' });
    const refused = await navigateBy(page, page.locator('#submit-report'), 'submit an incomplete report');
    assert.equal(refused.status(), 422, 'incomplete report: 422');
    const summary = page.locator('div#error-summary[role=alert]');
    assert.ok(await summary.isVisible(), 'incomplete report: a visible <div id="error-summary" role="alert">');
    assert.ok((await summary.innerText()).trim(), 'incomplete report: the summary says something');
    const invalid = await page.evaluate(() => [...document.querySelectorAll('#report-form [aria-invalid=true]')].map((e) => {
      const ids = (e.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return { name: e.getAttribute('name'), described: ids.map((id) => document.getElementById(id)?.textContent.trim() || '') };
    }));
    assert.ok(invalid.some((f) => f.name === 'description'), `incomplete report: description is aria-invalid (marked: ${invalid.map((f) => f.name)})`);
    for (const f of invalid) {
      assert.ok(f.described.length && f.described.every(Boolean), `incomplete report: ${f.name} is described by its message (aria-describedby → ${JSON.stringify(f.described)})`);
    }
    assert.equal(await page.locator('#fee_amount').inputValue(), '150000', 'incomplete report: what was typed is kept');
    assert.equal(await page.locator('input[name=agency_id]').inputValue(), CERTIFIED.id, 'incomplete report: the agency is kept');
    assert.ok(await page.locator('input[type=hidden][name=csrf_token]').inputValue(), 'incomplete report: a CSRF token again');
    await assertPageShape(page, 'incomplete report');

    // Completed, it is received: a reference and a follow-up code, and a link to follow it up.
    await fillReport(page);
    const { reference, code } = await submitReport(page, 'report');
    assert.ok(!page.url().includes(code), 'report received: the code is not in the address');
    await assertPageShape(page, 'report received');
    const followLink = page.locator(`a[href="/report/${reference}"]`);
    assert.ok(await followLink.count() >= 1, `report received: a link to /report/${reference}`);
    for (const href of await page.locator('a').evaluateAll((as) => as.map((a) => a.href))) {
      assert.ok(!href.includes(code), `report received: no link carries the code (${href})`);
    }

    // Follow it up by its code.
    await navigateBy(page, followLink.first(), 'open the follow-up page');
    assert.equal(pathOf(page), `/report/${reference}`, 'follow-up: its address');
    await assertPageShape(page, 'follow-up form');
    assert.deepEqual(await unlabelledControls(page, 'form#follow-up-form'), [], 'follow-up form: each field has a visible label');
    const followed = await followUp(page, reference, code);
    assert.equal(followed.status(), 200, 'follow-up with the right code: 200');
    assert.ok(!page.url().includes(code), 'follow-up: the code is not in the address');
    const state = page.locator('p#report-state');
    assert.equal(await state.getAttribute('data-state'), 'received', 'follow-up: a new report is received');
    assert.ok(STATES.includes(await state.getAttribute('data-state')));
    assert.ok((await state.innerText()).trim(), 'follow-up: the state in words');
    await assertPageShape(page, 'follow-up result');

    // A wrong code and an unknown reference get the same 404 page: no oracle.
    await open(page, `/report/${reference}`);
    const wrong = await followUp(page, reference, 'AAAA-BBBB-CCCC');
    assert.equal(wrong.status(), 404, 'follow-up with a wrong code: 404');
    const wrongText = await page.locator('main').innerText();
    const unknownRef = 'R-ZZZZ-ZZZZ';
    const unknownForm = await open(page, `/report/${unknownRef}`);
    assert.equal(unknownForm.status(), 200, 'an unknown reference shows the same form as a known one (no oracle)');
    const unknown = await followUp(page, unknownRef, code);
    assert.equal(unknown.status(), 404, 'follow-up of an unknown reference: 404');
    assert.equal(await page.locator('main').innerText(), wrongText, 'a wrong code and an unknown reference read the same');

    // Without the CSRF token: 403, as HTML.
    const forged = await context.request.post(url('/report'), {
      form: { agency_id: CERTIFIED.id, category: 'other', description: 'forged', country: 'NP' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403, 'a report without its CSRF token: 403');
    assert.match(forged.headers()['content-type'] || '', /^text\/html/, 'the 403 is an HTML page');
    const forgedFollow = await context.request.post(url(`/report/${reference}`), { form: { code }, maxRedirects: 0 });
    assert.equal(forgedFollow.status(), 403, 'a follow-up without its CSRF token: 403');
    // From another site, even with this browser's token and cookie: 403.
    await open(page, `/report?agency=${CERTIFIED.id}`);
    const token = await page.locator('input[name=csrf_token]').inputValue();
    const crossSite = await context.request.post(url('/report'), {
      form: { csrf_token: token, agency_id: CERTIFIED.id, category: 'other', country: 'NP', description: 'from elsewhere' },
      headers: { origin: 'https://elsewhere.example' },
      maxRedirects: 0,
    });
    assert.equal(crossSite.status(), 403, 'a report posted with another site\'s Origin: 403');
    await context.close();
  });

  test('the report form without an agency asks for its name', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await open(page, '/report');
    await assertPageShape(page, 'report form without an agency');
    const name = page.locator('form#report-form [name=agency_name]');
    assert.equal(await name.count(), 1, 'report form without an agency: an agency_name field');
    assert.ok(['text', 'search'].includes(await name.getAttribute('type')), 'agency_name is a text or search field');
    const hiddenId = page.locator('form#report-form input[name=agency_id]');
    if (await hiddenId.count()) assert.equal(await hiddenId.inputValue(), '', 'no agency id is filled in');
    assert.deepEqual(await unlabelledControls(page, 'form#report-form'), [], 'report form without an agency: each field has a visible label');
    await context.close();
  });
});

describe('the wire', () => {
  test('each page with its CSS is within 30 KB; the stylesheet is cached for good, pages are not', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const paths = ['/', `/?q=${encodeURIComponent(CERTIFIED.name)}`, `/agencies/${CERTIFIED.id}`,
      `/agencies/${CERTIFIED.id}?lang=ne`, `/agencies/${CERTIFIED.id}?lang=ar`, `/report?agency=${CERTIFIED.id}`];
    const figures = [];
    for (const path of paths) {
      // A fresh context for each, so the stylesheet counts every time (a cold cache).
      const cold = await newContext({ javaScriptEnabled: false });
      const { total, parts, responses } = await weight(cold, path);
      await cold.close();
      figures.push(`${path}: ${total} B (${parts.join(', ')})`);
      assert.ok(total <= BUDGET_BYTES, `${path}: ${total} bytes over the wire with its CSS, over the ${BUDGET_BYTES} budget (${parts.join(', ')})`);
      const css = responses.find((r) => new URL(r.url()).pathname.startsWith('/assets/'));
      assert.ok(css, `${path}: its stylesheet was fetched`);
      assert.equal(css.status(), 200, `${path}: the stylesheet loads`);
      const cc = css.headers()['cache-control'] || '';
      for (const part of ['public', 'max-age=31536000', 'immutable']) {
        assert.ok(cc.includes(part), `${path}: the stylesheet is cached for good (Cache-Control: ${cc})`);
      }
      assert.match(css.headers()['content-type'] || '', /^text\/css/, `${path}: the stylesheet is text/css`);
      const doc = responses.find((r) => r.request().isNavigationRequest());
      const dc = doc.headers()['cache-control'] || '';
      const maxAge = Number((/max-age=(\d+)/.exec(dc) || [])[1] || 0);
      assert.ok(dc.includes('no-cache') || dc.includes('no-store') || (dc.includes('private') && maxAge <= 300),
        `${path}: a page must not be served stale (Cache-Control: ${dc})`);
    }
    console.log(`bytes over the wire, cold cache:\n  ${figures.join('\n  ')}`);
    await context.close();
  });

});

describe('with JavaScript on', () => {
  const pages = [
    ['search', '/'],
    ['search results', () => `/?q=${encodeURIComponent(CERTIFIED.name)}`],
    ['no results', '/?q=zz%20no%20such%20agency%20qq'],
    ['status card', () => `/agencies/${CERTIFIED.id}`],
    ['suspended status card', () => SUSPENDED_ID && `/agencies/${SUSPENDED_ID}`],
    ['unknown agency', `/agencies/${MISSING_ID}`, 404],
    ['report form', () => `/report?agency=${CERTIFIED.id}`],
    ['report form without an agency', '/report'],
  ];

  for (const lang of ['en', 'ne', 'ar']) {
    test(`every page in ${lang}: no axe-core WCAG 2.x A/AA violation, no sideways scroll at 320 px`, async () => {
      // 320 CSS px wide: WCAG 1.4.10 (reflow) asks for no sideways scrolling there.
      const context = await newContext({ javaScriptEnabled: true, viewport: { width: 320, height: 640 } });
      const page = await context.newPage();
      await open(page, `/?lang=${lang}`);
      // Every page is checked, whatever happened on the one before; all is told at the end.
      const failures = [];
      let checked = 0;
      const check = async (name) => {
        await assertLanguage(page, lang, `${name} (${lang})`);
        const violations = await axeViolations(page);
        checked += 1;
        const wide = await page.evaluate(() => {
          const root = document.documentElement;
          if (root.scrollWidth <= root.clientWidth) return [];
          // What sticks out on the side the page scrolls to: the end side of its direction.
          const rtl = getComputedStyle(root).direction === 'rtl';
          const out = (e) => (rtl ? e.getBoundingClientRect().left < -0.5 : e.getBoundingClientRect().right > root.clientWidth + 0.5);
          const culprits = [...document.body.querySelectorAll('*')].filter((e) => out(e) && ![...e.children].some(out));
          return [`the page is ${root.scrollWidth} px wide`, ...culprits.slice(0, 5).map((e) => {
            const st = getComputedStyle(e);
            return `${e.outerHTML.slice(0, 80)}… is ${Math.round(e.getBoundingClientRect().width)} px wide (min-width: ${st.minWidth})`;
          })];
        });
        if (wide.length) failures.push(`  ${name} (${lang}): wider than 320 CSS px, it scrolls sideways (WCAG 1.4.10 reflow): ${wide.join(' | ')}`);
        if (RTL.has(lang)) {
          const unisolated = await unisolatedNames(page, CERTIFIED.name);
          if (unisolated.length) failures.push(`  ${name} (${lang}): the legal name is not isolated (<bdi> or dir) in right-to-left text: ${unisolated.join(' | ')}`);
        }
        if (violations.length) failures.push(formatViolations(`${name} (${lang}) ${pathOf(page)}`, violations));
      };
      const attempt = async (name, steps) => {
        try {
          await steps();
        } catch (e) {
          failures.push(`  ${name} (${lang}): could not be checked: ${e.message.split('\n')[0]}`);
        }
      };
      for (const [name, path, status = 200] of pages) {
        const p = typeof path === 'function' ? path() : path;
        if (!p) continue;
        await attempt(name, async () => {
          await open(page, p, status);
          await check(name);
        });
      }
      // The pages a POST answers: an incomplete report, a received one, its follow-up.
      await attempt('the report pages', async () => {
        await open(page, `/report?agency=${CERTIFIED.id}`);
        await fillReport(page, { description: '' });
        const refused = await navigateBy(page, page.locator('#submit-report'), 'incomplete report');
        assert.equal(refused.status(), 422, `incomplete report (${lang}): 422`);
        await check('incomplete report');
        await fillReport(page);
        const { reference, code } = await submitReport(page, `report (${lang})`);
        await check('report received');
        await open(page, `/report/${reference}`);
        await check('follow-up form');
        const followed = await followUp(page, reference, code);
        assert.equal(followed.status(), 200, `follow-up (${lang}): 200`);
        await check('follow-up result');
        await open(page, `/report/${reference}`);
        const wrong = await followUp(page, reference, 'AAAA-BBBB-CCCC');
        assert.equal(wrong.status(), 404, `wrong code (${lang}): 404`);
        await check('wrong follow-up code');
      });
      await context.close();
      console.log(`axe-core (${lang}): ${checked} page(s) checked`);
      assert.equal(failures.length, 0, `axe-core (${lang}):\n${failures.join('\n')}`);
    });
  }

  test('best-practice rules of axe-core (reported, not required)', async () => {
    const context = await newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    for (const path of ['/', `/agencies/${CERTIFIED.id}`, `/report?agency=${CERTIFIED.id}`]) {
      await open(page, path);
      const violations = await axeViolations(page, ['best-practice']);
      if (violations.length) notes.push(`axe best-practice on ${path}:\n${formatViolations(path, violations)}`);
    }
    await context.close();
  });

  for (const lang of ['en', 'ar']) {
    test(`keyboard: Tab follows the reading order with a visible focus ring (${lang})`, async () => {
      const context = await newContext({ javaScriptEnabled: true });
      const page = await context.newPage();
      await open(page, `/?lang=${lang}`);
      const failures = [];
      for (const [name, path] of [['search', '/'], ['search results', `/?q=${encodeURIComponent(CERTIFIED.name)}`],
        ['status card', `/agencies/${CERTIFIED.id}`], ['report form', `/report?agency=${CERTIFIED.id}`]]) {
        try {
          await open(page, path);
          await assertFocusOrder(page, `${name} (${lang})`);
        } catch (e) {
          failures.push(e.message);
        }
      }
      await context.close();
      assert.equal(failures.length, 0, failures.join('\n'));
    });
  }

  test('the search works by keyboard alone', async () => {
    const context = await newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    await open(page, '/');
    // Tab until the search box has focus, type, Enter.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'q')) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'Tab reaches the search box');
    await page.keyboard.type(CERTIFIED.name);
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    assert.equal(await page.locator(`#results a[href="/agencies/${CERTIFIED.id}"]`).count(), 1, 'Enter searches');
    await context.close();
  });
});

describe('too many reports', () => {
  const burst = Number(process.env.FAIRHIRE_REPORTS_BURST || 0);
  test('past the per-address bucket, a report gets the 429 page with Retry-After', { skip: !burst && 'FAIRHIRE_REPORTS_BURST is not set' }, async () => {
    const context = await newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    await open(page, `/report?agency=${CERTIFIED.id}`);
    // Use the allowance up without a browser, with valid reports (only those use it up), on the
    // form's token and cookie; the reports filed by the tests before count too.
    const valid = {
      csrf_token: await page.locator('input[name=csrf_token]').inputValue(), agency_id: CERTIFIED.id,
      category: 'recruitment_fee', fee_amount: '1000', fee_currency: 'NPR', country: 'NP', occurred_on: '2025-11-20',
      description: 'Filed to use up the allowance.',
    };
    let status = 0;
    for (let i = 0; i <= burst && status !== 429; i++) {
      status = (await context.request.post(url('/report'), { form: valid, maxRedirects: 0 })).status();
      assert.ok(status === 200 || status === 429, `a valid report sent directly: ${status}`);
    }
    assert.equal(status, 429, `${burst + 1} reports from one address: the last is refused`);
    await fillReport(page);
    const refused = await navigateBy(page, page.locator('#submit-report'), 'a report past the bucket');
    assert.equal(refused.status(), 429, 'a report past the bucket: 429');
    assert.match(refused.headers()['content-type'] || '', /^text\/html/, 'the 429 is an HTML page');
    assert.ok(Number(refused.headers()['retry-after']) > 0, `the 429 says when to try again (Retry-After: ${refused.headers()['retry-after']})`);
    await assertLanguage(page, 'en', '429 page');
    await assertPageShape(page, '429 page');
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe-core found violations:\n${formatViolations('429 page', violations)}`);
    await context.close();
  });
});

describe('everywhere', () => {
  test('no page asked anything of another site', () => {
    assert.deepEqual([...new Set(offsite)], [], 'requests that left the site');
  });
});
