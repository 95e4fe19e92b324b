// Accessibility checked by a machine: axe-core over the demo page and the
// widget with a conversation in it, failing on any WCAG 2.0 / 2.1 level A
// or AA violation, in the light and the dark colour scheme.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');
const { axeViolations, describeViolations } = require('./lib/axe');

const env = h.useServerAndBrowser();

const YES_NO = /^(yes|no)\b/i;

async function assertNoViolations(page, when) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0,
    `WCAG A/AA violations ${when}:\n${describeViolations(violations)}`);
}

// Opens the newest question's "Why do you ask?" reason.
async function showWhy(page) {
  const toggle = page.locator('.kc-bot').last().locator('.kc-why-toggle');
  await toggle.click();
  await page.locator('.kc-bot').last().locator('.kc-why-text').waitFor({ state: 'visible' });
}

for (const colorScheme of ['light', 'dark']) {
  test(`no WCAG A/AA violation in a whole conversation (${colorScheme})`, async () => {
    const { page } = env.browser;
    await page.emulateMedia({ colorScheme });
    // A fresh conversation: forget the one an earlier test left.
    await page.goto(env.server.baseUrl + '/');
    await page.evaluate(() => localStorage.clear());
    await h.openWidget(page, env.server.baseUrl + '/');
    await assertNoViolations(page, 'with the greeting');

    // A question with quick replies, its reason shown.
    let reply = await h.sendText(page, 'My knee hurts');
    assert.equal(reply.kind, 'REPLY_KIND_QUESTION', reply.text);
    assert.ok((reply.quickReplies || []).length > 0, 'the question offers quick replies');
    await showWhy(page);
    await assertNoViolations(page, 'with a question, its quick replies and its reason');

    // Questions answered to a cited answer, a footnote opened.
    reply = await h.converseToAnswer(page, 'At the front, around the kneecap');
    assert.ok((reply.citations || []).length > 0, 'the answer is cited');
    await page.locator('.kc-bot').last().locator('.kc-ref').first().click();
    await assertNoViolations(page, 'with a cited answer and an open footnote');

    // A red flag: a referral with its banner.
    reply = await h.sendText(page,
      'Now the knee has gone hot, red and swollen and I have a fever and chills');
    assert.equal(reply.kind, 'REPLY_KIND_REFERRAL', reply.text);
    await assertNoViolations(page, 'with a referral');

    // A yes/no question, with its reason shown. Every yes/no question the
    // engine asks renders the same way (text, reason, Yes/No quick
    // replies), so this also covers the handoff-consent question ("may we
    // pass this on to the clinic?"), which is an ordinary bot question with
    // yes/no quick replies.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await h.waitForBotCount(page, 1);
    reply = await h.sendText(page,
      'I slipped on the ice and banged my head, and my knee hurts too');
    const titles = (reply.quickReplies || []).map((q) => q.title);
    assert.equal(reply.kind, 'REPLY_KIND_QUESTION', reply.text);
    assert.ok(titles.some((t) => YES_NO.test(t)), `yes/no quick replies: ${titles}`);
    await showWhy(page);
    await assertNoViolations(page, 'with a yes/no question and its reason');
    assert.deepEqual(env.browser.errors, []);
  });
}

test('the check sees inside the widget: a violation there fails it', async () => {
  const { page } = env.browser;
  await page.emulateMedia({ colorScheme: 'light' });
  await h.openWidget(page, env.server.baseUrl + '/');
  // A button with no accessible name, put where the widget renders.
  await page.evaluate(() => {
    const root = document.querySelector('.kneechat-widget').shadowRoot;
    const button = document.createElement('button');
    button.className = 'kc-test-unnamed';
    root.querySelector('.kc-log').appendChild(button);
  });
  const violations = await axeViolations(page);
  const ids = violations.map((v) => v.id);
  assert.ok(ids.includes('button-name'), `axe reported: ${ids}`);
  await page.evaluate(() => {
    document.querySelector('.kneechat-widget').shadowRoot
      .querySelector('.kc-test-unnamed').remove();
  });
  assert.deepEqual(await axeViolations(page), []);
});
