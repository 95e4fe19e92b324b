// The one-tag embed on a clinic page without a target element: a floating
// chat button, the deployment's emergency number, and Escape to close.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const h = require('./lib/harness');

const env = h.useServerAndBrowser();

function clinicPage(attributes) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Clinic</title></head><body><h1>Our clinic</h1><p>Opening hours.</p>
<script src="/widget.js" ${attributes}></script></body></html>`;
}

test('a floating button opens the chat; Escape closes it', async () => {
  const { page } = env.browser;
  const url = env.server.baseUrl + '/clinic.html';
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html',
    body: clinicPage('data-kneechat-emergency-number="999" data-kneechat-storage="session"'),
  }));
  await page.goto(url);
  const launcher = page.getByRole('button', { name: 'Knee pain help' });
  await launcher.waitFor();
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('.kc').isVisible(), false);

  await launcher.click();
  await page.locator('.kc').waitFor({ state: 'visible' });
  await page.locator('.kc-bot').first().waitFor();
  assert.equal((await h.deepActiveElement(page)).id, 'kc-input');
  assert.match(await page.locator('.kc-emergency').textContent(),
    /In an emergency call your local emergency number: 999\./);

  // Session storage was asked for: nothing in localStorage.
  assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0);
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage)
    .filter((k) => k.startsWith('kneechat.session:')).length), 1);

  await page.keyboard.press('Escape');
  await page.locator('.kc').waitFor({ state: 'hidden' });
  assert.equal((await h.deepActiveElement(page)).className, 'kc-launcher');
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  await page.unroute(url);
});

test('full screen on a phone-sized screen', async () => {
  const { page } = env.browser;
  await page.setViewportSize({ width: 360, height: 700 });
  const url = env.server.baseUrl + '/clinic-phone.html';
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html', body: clinicPage('data-kneechat-open="true"'),
  }));
  await page.goto(url);
  await page.locator('.kc-bot').first().waitFor();
  const panel = await page.locator('.kc').boundingBox();
  assert.deepEqual(
    [panel.x, panel.y, panel.width, panel.height].map(Math.round), [0, 0, 360, 700]);
  await page.unroute(url);
});

// Serves `html()` from a plain HTTP server on a loopback port of its own, so
// the page has another origin than kneechat (and, like it, is loopback, so
// Chromium's local-network rules do not apply).
async function hostPage(html) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();  // the browser's idle keep-alives
    }),
  };
}

test('a page on another origin reaches the API only when its origin is allowed', async () => {
  const { page } = env.browser;
  let html = '';
  const allowedHost = await hostPage(() => html);
  const otherHost = await hostPage(() => html);
  const corsServer = await h.startServer(['--http-allowed-origins', allowedHost.origin]);
  try {
    html = clinicPage('data-kneechat-open="true" data-kneechat-storage="none"')
      .replace('src="/widget.js"', `src="${corsServer.baseUrl}/widget.js"`);
    for (const [host, works] of [[allowedHost, true], [otherHost, false]]) {
      // Chromium sends the preflight itself, out of Playwright's sight.
      const preflight = await fetch(
        `${corsServer.baseUrl}/kneechat.v1.KneeChat/CreateSession`, {
          method: 'OPTIONS',
          headers: {
            Origin: host.origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type,connect-protocol-version',
          },
        });
      assert.equal(preflight.status, works ? 204 : 403, host.origin);
      await page.goto(`${host.origin}/clinic.html`);
      if (works) {
        await page.locator('.kc-bot').first().waitFor();
        assert.equal(await page.locator('.kc-notice').count(), 0);
      } else {
        await page.locator('.kc-notice').waitFor();
        assert.equal(await page.locator('.kc-bot').count(), 0);
      }
    }
  } finally {
    await corsServer.stop();
    await allowedHost.close();
    await otherHost.close();
  }
});
