// The conversation survives a page reload: the session id is kept in
// localStorage and the transcript is fetched again with GetSession.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

async function transcript(page) {
  return page.locator('.kc-msg').evaluateAll((nodes) =>
    nodes.map((n) => ({
      who: n.classList.contains('kc-user') ? 'user' : 'bot',
      text: n.querySelector('.kc-text').textContent,
    })));
}

async function storedSessionId(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kneechat.session:'));
    return key ? localStorage.getItem(key) : null;
  });
}

test('a reload shows the same conversation, which then carries on', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  await h.sendText(page, 'My knee hurts when I run');
  const before = await transcript(page);
  assert.equal(before.length, 3);
  const sessionId = await storedSessionId(page);
  assert.ok(sessionId, 'session id stored');

  const getSession = page.waitForResponse(
    (r) => r.url().endsWith('/kneechat.v1.KneeChat/GetSession'));
  let created = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/CreateSession')) created++;
  });
  await page.reload();
  assert.equal((await getSession).status(), 200);
  await w.bots.nth(1).waitFor();
  await h.waitIdle(page);
  assert.deepEqual(await transcript(page), before);
  assert.equal(created, 0, 'no new session on reload');
  assert.equal(await storedSessionId(page), sessionId);

  // The last question's quick replies come back too, and the dialogue goes on.
  const reply = await h.sendText(page, 'At the front of the knee');
  assert.ok(reply && reply.kind, 'a reply after the reload');
  assert.equal((await transcript(page)).length, 5);
  assert.deepEqual(env.browser.errors, []);
});

test('an unknown or expired session id starts a new conversation', async () => {
  const { page } = env.browser;
  await page.goto(env.server.baseUrl + '/');
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) {
      if (k.startsWith('kneechat.session:')) localStorage.setItem(k, 'no-such-session');
    }
  });
  // The GetSession for the planted id, not one still in flight from the
  // first load (a busy machine can finish that one after goto returns).
  const getSession = page.waitForResponse(
    (r) => r.url().endsWith('/GetSession') &&
      (r.request().postData() || '').includes('no-such-session'));
  const create = page.waitForResponse((r) => r.url().endsWith('/CreateSession'));
  await page.reload();
  assert.equal((await getSession).status(), 404);
  assert.equal((await create).status(), 200);
  const w = h.widget(page);
  await w.bots.first().waitFor();
  await h.waitIdle(page);
  assert.equal(await w.users.count(), 0);
  const fresh = await storedSessionId(page);
  assert.ok(fresh && fresh !== 'no-such-session', fresh);
});

test('"New conversation" erases the session and starts again', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  await h.sendText(page, 'My knee hurts');
  const old = await storedSessionId(page);
  const deleted = page.waitForResponse((r) => r.url().endsWith('/DeleteSession'));
  await page.getByRole('button', { name: 'New conversation' }).click();
  assert.equal((await deleted).status(), 200);
  await w.bots.first().waitFor();
  await h.waitIdle(page);
  assert.equal(await w.users.count(), 0);
  const fresh = await storedSessionId(page);
  assert.ok(fresh && fresh !== old);
});

test('a session that expires mid-conversation is replaced and the message resent', async () => {
  const { page } = env.browser;
  const w = await h.openWidget(page, env.server.baseUrl + '/');
  const sessionId = await storedSessionId(page);
  // Erase it behind the widget's back, as expiry would.
  const status = await page.evaluate(async ({ base, id }) => {
    const r = await fetch(base + '/kneechat.v1.KneeChat/DeleteSession', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sessionId: id }),
    });
    return r.status;
  }, { base: env.server.baseUrl, id: sessionId });
  assert.equal(status, 200);

  const bots = await w.bots.count();
  await w.input.fill('My knee hurts');
  await w.input.press('Enter');
  await h.waitForBotCount(page, bots + 1);
  assert.match(await page.locator('.kc-notice').last().textContent(), /expired/);
  const fresh = await storedSessionId(page);
  assert.ok(fresh && fresh !== sessionId);
  assert.equal(await w.lastBot.getAttribute('data-kind') !== null, true);
  assert.equal(await page.locator('.kc-notice').count(), 1, 'no error shown');
});
