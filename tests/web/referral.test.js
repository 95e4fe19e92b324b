// A red flag in the first message interrupts everything: the widget shows a
// referral with its triage level banner and the red flags it heard.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

test('a red-flag conversation ends in a referral with a level banner', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  const reply = await h.sendText(page,
    "I twisted my knee playing football, it swelled up straight away and now I can't walk or put any weight on it");
  assert.equal(reply.kind, 'REPLY_KIND_REFERRAL', reply.text);
  const level = reply.triage && reply.triage.level;
  assert.ok(['TRIAGE_LEVEL_URGENT', 'TRIAGE_LEVEL_EMERGENCY'].includes(level), level);

  const last = w.lastBot;
  assert.equal(await last.getAttribute('data-kind'), 'REPLY_KIND_REFERRAL');
  const banner = last.locator('.kc-triage');
  await banner.waitFor({ state: 'visible' });
  const css = level === 'TRIAGE_LEVEL_EMERGENCY' ? 'kc-level-emergency' : 'kc-level-urgent';
  assert.match(await banner.getAttribute('class'), new RegExp(css));
  const headline = await banner.locator('.kc-triage-level').textContent();
  assert.match(headline, level === 'TRIAGE_LEVEL_EMERGENCY' ? /Emergency/ : /Urgent/);

  // The banner is prominent: first in the message, wide, and coloured.
  const box = await banner.boundingBox();
  const messageBox = await last.boundingBox();
  assert.ok(box.y - messageBox.y < 20, 'the banner leads the message');
  assert.ok(box.width > messageBox.width * 0.8, 'the banner spans the message');
  const colour = await banner.evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.notEqual(colour, 'rgba(0, 0, 0, 0)');

  // Red flags listed, with the person's own words.
  const flags = reply.triage.redFlags || [];
  assert.ok(flags.length > 0, 'the engine names the red flag');
  const items = banner.locator('.kc-triage-flags li');
  assert.equal(await items.count(), flags.length);
  const firstItem = await items.first().textContent();
  assert.ok(firstItem.includes(flags[0].title), firstItem);
  if (flags[0].evidence) assert.ok(firstItem.includes(flags[0].evidence), firstItem);
  if (reply.triage.action) {
    assert.equal(await banner.locator('.kc-triage-action').textContent(), reply.triage.action);
  }

  // The newest text is announced, level first.
  const announced = await page.locator('.kc-sr-only[aria-live="polite"]').textContent();
  assert.match(announced, /^(Emergency|Urgent)/);
  assert.deepEqual(env.browser.errors, []);
});
