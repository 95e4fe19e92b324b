// Each message carries a fresh message_id; a network failure is retried
// once with the same id, so the server applies the message once.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a dropped request is retried once with the same message id', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  const attempts = [];
  await page.route('**/kneechat.v1.KneeChat/SendMessage', async (route) => {
    attempts.push(route.request().postDataJSON());
    if (attempts.length === 1) await route.abort('connectionreset');
    else await route.continue();
  });
  const reply = await h.sendText(page, 'My knee hurts');
  assert.ok(reply && reply.kind);
  assert.equal(attempts.length, 2);
  assert.match(attempts[0].messageId, UUID);
  assert.equal(attempts[1].messageId, attempts[0].messageId);
  assert.equal(attempts[1].text, 'My knee hurts');
  await page.unroute('**/kneechat.v1.KneeChat/SendMessage');

  // The next message gets a new id.
  const next = page.waitForRequest((r) => r.url().endsWith('/SendMessage'));
  await h.sendText(page, 'At the front');
  const id = (await next).postDataJSON().messageId;
  assert.match(id, UUID);
  assert.notEqual(id, attempts[0].messageId);

  // One user turn per message on the server, despite the retry.
  const session = await page.evaluate(async (base) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kneechat.session:'));
    const r = await fetch(base + '/kneechat.v1.KneeChat/GetSession', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sessionId: localStorage.getItem(key) }),
    });
    return r.json();
  }, env.server.baseUrl);
  const userTurns = session.session.transcript.filter((t) => t.role === 'ROLE_USER');
  assert.deepEqual(userTurns.map((t) => t.text), ['My knee hurts', 'At the front']);
  assert.equal(await w.users.count(), 2);
});

test('when the service stays unreachable the widget says so and keeps the text', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  let attempts = 0;
  await page.route('**/kneechat.v1.KneeChat/SendMessage', async (route) => {
    attempts++;
    await route.abort('connectionrefused');
  });
  await w.input.fill('Still there?');
  await w.input.press('Enter');
  const notice = page.locator('.kc-notice').last();
  await notice.waitFor();
  assert.match(await notice.textContent(), /cannot be reached/);
  assert.equal(attempts, 2, 'one retry, no more');
  assert.equal(await w.input.inputValue(), 'Still there?');
  await h.waitIdle(page);
  await page.unroute('**/kneechat.v1.KneeChat/SendMessage');
});
