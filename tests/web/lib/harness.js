// Shared helpers for the widget's browser tests: start kneechat-server with
// its HTTP side, launch Debian's Chromium through playwright-core, and drive
// the widget (which renders inside an open shadow root; Playwright's CSS
// locators pierce it).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.KNEECHAT_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const REPLY_TIMEOUT_MS = 20000;

// Starts the server named by $KNEECHAT_SERVER on free loopback ports and
// resolves once it prints "kneechat-server http listening on HOST:PORT".
// `extraArgs` are appended to its command line.
async function startServer(extraArgs = []) {
  const binary = process.env.KNEECHAT_SERVER;
  if (!binary) {
    throw new Error('set KNEECHAT_SERVER to the kneechat-server binary');
  }
  const child = spawn(
    binary,
    ['--listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = readline.createInterface({ input: child.stdout });
  const result = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start within 60 s\n${stderr}`));
    }, 60000);
    const found = {};
    lines.on('line', (line) => {
      let m = /^kneechat-server listening on (\S+)$/.exec(line);
      if (m) found.grpcAddress = m[1];
      m = /^kneechat-server http listening on (\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        found.httpAddress = m[1];
        resolve(found);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  lines.on('line', () => {});  // keep draining stdout
  return {
    baseUrl: `http://${result.httpAddress}`,
    grpcAddress: result.grpcAddress,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// A fresh Chromium profile per call. `options` go to launchPersistentContext
// (viewport, bypassCSP, ...).
async function launchBrowser(options = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kneechat-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 420, height: 1000 },
    ...options,
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function widget(page) {
  return {
    log: page.locator('.kc-log'),
    input: page.getByLabel('Your message'),
    send: page.locator('.kc-send'),
    typing: page.locator('.kc-typing'),
    bots: page.locator('.kc-bot'),
    users: page.locator('.kc-user'),
    chips: page.locator('.kc-quick button'),
    lastBot: page.locator('.kc-bot').last(),
  };
}

// Opens `url` and waits until the widget shows its first bot message.
async function openWidget(page, url) {
  await page.goto(url);
  const w = widget(page);
  await w.bots.first().waitFor({ timeout: REPLY_TIMEOUT_MS });
  await waitIdle(page);
  return w;
}

async function waitIdle(page) {
  await page.locator('.kc-typing').waitFor({ state: 'hidden', timeout: REPLY_TIMEOUT_MS });
}

// Waits for bot message number `count` (1-based) and for the request to end.
async function waitForBotCount(page, count) {
  await page.locator('.kc-bot').nth(count - 1).waitFor({ timeout: REPLY_TIMEOUT_MS });
  await waitIdle(page);
}

// Types `text` into the widget, sends it, and resolves with the reply JSON
// the server returned (null if the response was not JSON).
async function sendText(page, text) {
  const w = widget(page);
  const before = await w.bots.count();
  const response = page.waitForResponse(
    (r) => r.url().endsWith('/kneechat.v1.KneeChat/SendMessage'),
    { timeout: REPLY_TIMEOUT_MS }
  );
  await w.input.fill(text);
  await w.input.press('Enter');
  const body = await (await response).json().catch(() => null);
  await waitForBotCount(page, before + 1);
  return body && body.reply;
}

// Clicks the quick reply titled `title`; resolves with the reply JSON.
async function clickQuickReply(page, title) {
  const w = widget(page);
  const before = await w.bots.count();
  const response = page.waitForResponse(
    (r) => r.url().endsWith('/kneechat.v1.KneeChat/SendMessage'),
    { timeout: REPLY_TIMEOUT_MS }
  );
  await w.chips.filter({ hasText: title }).first().click();
  const body = await (await response).json().catch(() => null);
  await waitForBotCount(page, before + 1);
  return body && body.reply;
}

// What a person answers to each follow-up slot, for a plain case of
// gradual pain at the front of the knee when running, with no serious sign.
const PROFILE_ANSWERS = {
  location: 'At the front, around the kneecap',
  onset: 'It came on gradually',
  activity: 'Running and going down stairs',
  duration: 'About three weeks',
  age: "I'm 34",
  swelling: 'No swelling',
  weight_bearing: 'Yes, I can walk on it normally',
  red_flags: 'No, none of those',
  other: 'No, nothing else',
};
const SAFE_CHIP = /^(no\b|none|neither|nothing)/i;

// Answers follow-up questions (a "no" quick reply for the red-flag screen,
// free text otherwise) until the engine answers. Resolves with that reply.
async function converseToAnswer(page, opening, maxTurns = 10) {
  let reply = await sendText(page, opening);
  for (let turn = 0; turn < maxTurns; turn++) {
    if (!reply) throw new Error('no reply');
    if (reply.kind === 'REPLY_KIND_ANSWER') return reply;
    if (reply.kind === 'REPLY_KIND_REFERRAL') {
      throw new Error(`unexpected referral: ${reply.text}`);
    }
    const slot = reply.asking || 'other';
    const titles = (reply.quickReplies || []).map((q) => q.title);
    const safe = slot === 'red_flags' ? titles.find((t) => SAFE_CHIP.test(t)) : undefined;
    if (safe) {
      reply = await clickQuickReply(page, safe);
    } else {
      reply = await sendText(page, PROFILE_ANSWERS[slot] || PROFILE_ANSWERS.other);
    }
  }
  throw new Error(`no answer after ${maxTurns} turns; last: ${reply && reply.text}`);
}

// The element that has focus, looking inside shadow roots.
async function deepActiveElement(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) {
      active = active.shadowRoot.activeElement;
    }
    if (!active) return null;
    const style = getComputedStyle(active);
    return {
      tag: active.tagName.toLowerCase(),
      className: typeof active.className === 'string' ? active.className : '',
      id: active.id,
      text: active.textContent,
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
    };
  });
}

function outputDir() {
  const dir =
    process.env.KNEECHAT_TEST_OUTPUT || path.join(__dirname, '..', 'test-output');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Starts a real kneechat-server and a browser before the file's tests and
// stops both after them. Returns { server, browser }, filled in by then.
function useServerAndBrowser({ serverArgs = [], browserOptions = {} } = {}) {
  const { before, after } = require('node:test');
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(serverArgs);
    env.browser = await launchBrowser(browserOptions);
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.stop();
  });
  return env;
}

module.exports = {
  useServerAndBrowser,
  startServer,
  launchBrowser,
  widget,
  openWidget,
  waitIdle,
  waitForBotCount,
  sendText,
  clickQuickReply,
  converseToAnswer,
  deepActiveElement,
  outputDir,
  REPLY_TIMEOUT_MS,
};
