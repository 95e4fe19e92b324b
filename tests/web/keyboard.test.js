// The widget works with the keyboard alone, with visible focus.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

async function tabUntil(page, predicate, maxPresses, key = 'Tab') {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press(key);
    const focused = await h.deepActiveElement(page);
    if (focused && predicate(focused)) return focused;
  }
  throw new Error(`focus never reached the target after ${maxPresses} ${key} presses`);
}

test('Tab to the input, type, Enter, Tab to a quick reply, Space and Enter', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');

  const input = await tabUntil(page, (f) => f.id === 'kc-input', 30);
  assert.notEqual(input.outlineStyle, 'none', 'the input shows focus');

  let bots = await w.bots.count();
  await page.keyboard.type('My knee hurts');
  await page.keyboard.press('Enter');
  await h.waitForBotCount(page, ++bots);
  assert.equal(await w.users.last().locator('.kc-text').textContent(), 'My knee hurts');
  assert.equal((await h.deepActiveElement(page)).id, 'kc-input', 'focus stays in the input');

  // Quick replies follow the input in the tab order.
  assert.ok(await w.chips.count() > 0, 'the question offers quick replies');
  const chip = await tabUntil(page, (f) => /kc-chip/.test(f.className), 5);
  assert.ok(chip.outlineStyle !== 'none' && chip.outlineWidth !== '0px',
    `a visible focus ring: ${chip.outlineStyle} ${chip.outlineWidth}`);
  await page.keyboard.press('Space');
  await h.waitForBotCount(page, ++bots);
  assert.equal(await w.users.last().locator('.kc-text').textContent(), chip.text);
  assert.equal((await h.deepActiveElement(page)).id, 'kc-input',
    'focus goes back to the input when the chips go');

  // Enter works on a quick reply too.
  assert.ok(await w.chips.count() > 0, 'the next question offers quick replies');
  const next = await tabUntil(page, (f) => /kc-chip/.test(f.className), 5);
  await page.keyboard.press('Enter');
  await h.waitForBotCount(page, ++bots);
  assert.equal(await w.users.last().locator('.kc-text').textContent(), next.text);

  // Escape returns to the input from anywhere in the widget.
  await page.getByRole('button', { name: 'New conversation' }).focus();
  await page.keyboard.press('Escape');
  assert.equal((await h.deepActiveElement(page)).id, 'kc-input');
  assert.deepEqual(env.browser.errors, []);
});

test('roles and labels for assistive technology', async () => {
  const { page } = env.browser;
  await h.openWidget(page, env.server.baseUrl + '/');
  assert.equal(await page.getByRole('log', { name: 'Conversation' }).count(), 1);
  assert.equal(await page.getByRole('textbox', { name: 'Your message' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Send' }).count(), 1);
  // Present even while empty (then hidden).
  assert.equal(await page.locator('.kc-quick[role="group"][aria-label="Suggested replies"]').count(), 1);
  assert.equal(await page.locator('[aria-live="polite"]').count(), 1);
  // Only real buttons are clickable.
  const fakeButtons = await page.locator('.kc [onclick], .kc [role="button"]').count();
  assert.equal(fakeButtons, 0);
});
