// Runs axe-core (the npm package pinned in package.json) in a page and
// reports WCAG 2.0 and 2.1 level A and AA violations. axe looks inside open
// shadow roots, where the widget renders.
'use strict';

const fs = require('node:fs');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Injects axe into `page` (once per document) and runs it over the whole
// document. Resolves with axe's violations: [{id, impact, help, nodes}].
async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    // Evaluated through the DevTools protocol, so a page's CSP does not
    // stand in the way.
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
}

// A readable account of `violations`, one rule and its elements at a time.
function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    ${JSON.stringify(n.target)}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}`;
    })
    .join('\n');
}

module.exports = { axeViolations, describeViolations, WCAG_TAGS };
