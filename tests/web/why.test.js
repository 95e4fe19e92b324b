// "Why do you ask?" in the widget: each question carries its reason
// (Reply.why), shown on request by a disclosure button, without a turn.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

async function tabUntil(page, predicate, maxPresses, key) {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press(key);
    const focused = await h.deepActiveElement(page);
    if (focused && predicate(focused)) return focused;
  }
  throw new Error(`focus never reached the target after ${maxPresses} ${key} presses`);
}

test('a question shows its reason on request, by keyboard, with no turn', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  assert.equal(await page.locator('.kc-why-toggle').count(), 0, 'the greeting asks nothing');

  const reply = await h.sendText(page, 'My knee hurts');
  assert.equal(reply.kind, 'REPLY_KIND_QUESTION', reply.text);
  assert.ok(reply.why, 'the reply carries the question\'s reason');
  const question = w.lastBot;
  const toggle = question.getByRole('button', { name: 'Why do you ask?' });
  assert.equal(await toggle.count(), 1);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const reason = question.locator('#' + (await toggle.getAttribute('aria-controls')));
  assert.equal(await reason.isVisible(), false, 'hidden until asked for');
  assert.equal(await reason.textContent(), reply.why);

  // Keyboard: back from the input to the button, Enter opens, Space closes.
  await w.input.focus();
  const focused = await tabUntil(page, (f) => /kc-why-toggle/.test(f.className), 6, 'Shift+Tab');
  assert.notEqual(focused.outlineStyle, 'none', 'the button shows focus');
  const bots = await w.bots.count();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await reason.isVisible(), true);
  assert.equal(await page.locator('.kc-sr-only[aria-live="polite"]').textContent(), reply.why);
  await page.keyboard.press('Space');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await reason.isVisible(), false);
  assert.equal(await w.bots.count(), bots, 'no message was sent');

  // The question is still open, asking unchanged; a typed "why?" gets the
  // reason as text, so that reply offers no second button.
  const typed = await h.sendText(page, 'why do you ask?');
  assert.equal(typed.asking, reply.asking);
  assert.ok(typed.text.startsWith(reply.why), typed.text);
  assert.equal(await w.lastBot.locator('.kc-why-toggle').count(), 0);

  // After a reload the transcript keeps the question's button.
  await page.reload();
  await w.bots.first().waitFor();
  await h.waitIdle(page);
  assert.equal(await page.locator('.kc-why-toggle').count(), 1);
  assert.deepEqual(env.browser.errors, []);
});
