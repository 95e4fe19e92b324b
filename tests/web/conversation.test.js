// A full conversation in the widget, from the greeting to a cited answer.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

test('a conversation reaches a cited answer whose footnotes reveal the quote', async (t) => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');

  // The always-visible parts.
  await assert.doesNotReject(page.locator('.kc-emergency').waitFor());
  assert.match(await page.locator('.kc-emergency').textContent(),
    /In an emergency call your local emergency number/);
  assert.match(await page.locator('.kc-disclaimer').textContent(), /not a\s+diagnosis/);
  assert.equal(await w.bots.count(), 1, 'the greeting');

  const answer = await h.converseToAnswer(
    page, 'My knee is sore at the front whenever I run');
  assert.ok(answer.citations && answer.citations.length > 0, 'the answer is cited');

  // The answer is the last bot message, with one footnote button per marker.
  const last = w.lastBot;
  assert.equal(await last.getAttribute('data-kind'), 'REPLY_KIND_ANSWER');
  const refs = last.locator('.kc-ref');
  assert.ok(await refs.count() > 0, 'footnote markers are buttons');
  const sources = last.locator('.kc-sources li');
  assert.equal(await sources.count(), answer.citations.length);

  // Closed at first; the marker opens the matching footnote and focuses it.
  const firstRef = refs.first();
  const marker = (await firstRef.textContent()).replace(/[\[\]]/g, '');
  const citation = answer.citations.find(
    (c, i) => String(c.number || i + 1) === marker);
  assert.ok(citation, `a citation numbered ${marker}`);
  const excerpt = last.locator(`.kc-sources li[value="${marker}"] .kc-excerpt`);
  assert.equal(await excerpt.isVisible(), false);
  await firstRef.click();
  await excerpt.waitFor({ state: 'visible' });
  assert.equal(await excerpt.textContent(), citation.excerpt);
  const summary = last.locator(`.kc-sources li[value="${marker}"] summary`);
  assert.match(await summary.textContent(), new RegExp(escapeRegExp(citation.title)));
  const focused = await h.deepActiveElement(page);
  assert.equal(focused.tag, 'summary', 'focus moves to the opened footnote');

  // The reply text shows without its [n] markers turned into raw text twice.
  const shown = await last.locator('.kc-text').textContent();
  assert.equal(shown, answer.text);

  // Show the answer from its start, with the opened footnote below.
  await last.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const screenshot = path.join(h.outputDir(), 'widget-answer.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  t.diagnostic(`screenshot: ${screenshot}`);
  console.log(`screenshot: ${screenshot}`);
  assert.deepEqual(env.browser.errors, []);
});

test('usable at 360 px: nothing overflows sideways', async () => {
  const { page } = env.browser;
  await page.setViewportSize({ width: 360, height: 740 });
  await h.openWidget(page, env.server.baseUrl + '/');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  const panel = await page.locator('.kc').boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= 360, JSON.stringify(panel));
  const input = await page.getByLabel('Your message').boundingBox();
  const send = await page.locator('.kc-send').boundingBox();
  assert.ok(send.x + send.width <= 360 && input.width >= 150,
    `input ${JSON.stringify(input)} send ${JSON.stringify(send)}`);
});

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
