// Markup typed as a message stays text: nothing runs, no element is made.
// The page's CSP is bypassed here so that the widget alone must keep it
// inert; a separate check confirms the demo page sends its CSP.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser({ serverArgs: [], browserOptions: { bypassCSP: true } });

const PAYLOADS = [
  '<img src=x onerror=window.__pwned=1>',
  '<script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  '[1] <a href="javascript:window.__pwned=4">my knee</a> hurts',
];

test('script and markup in messages render as text and never run', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  for (const payload of PAYLOADS) {
    const reply = await h.sendText(page, payload);
    assert.ok(reply, 'the server answered');
    const bubble = w.users.last().locator('.kc-text');
    assert.equal(await bubble.textContent(), payload);
    assert.ok(await bubble.isVisible());
  }
  // Give any injected handler a chance to fire.
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const injected = await page.locator('.kc-log img, .kc-log script, .kc-log svg, .kc-log a, .kc-log iframe').count();
  assert.equal(injected, 0);
  assert.deepEqual(env.browser.errors, []);

  // After a reload the transcript comes from the server: still inert.
  await page.reload();
  await w.users.nth(PAYLOADS.length - 1).waitFor();
  await h.waitIdle(page);
  const texts = await w.users.locator('.kc-text').allTextContents();
  assert.deepEqual(texts, PAYLOADS);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.kc-log img, .kc-log script, .kc-log svg, .kc-log a').count(), 0);
});

test('the demo page is served with a strict Content-Security-Policy', async () => {
  const response = await env.browser.page.goto(env.server.baseUrl + '/');
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
});
