// The Account page's history in headless Chromium: the users chart is the
// server's inline SVG, laid out with a non-zero size, one marker group per
// committed sync inside the drawing, a legend, colours from the style sheet
// (no CSP report), and a sync's events one click away. Run by
// crates/roster/tests/browser/history_chart.rs, which syncs the Workato
// simulator SYNCS times and passes ROSTER_URL, ACCOUNT, SYNCS and SCREENSHOTS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { launch } from './browser.mjs';

const { ROSTER_URL, ACCOUNT, SYNCS, SCREENSHOTS } = process.env;
for (const [k, v] of Object.entries({ ROSTER_URL, ACCOUNT, SYNCS, SCREENSHOTS })) {
  assert.ok(v, `set ${k}`);
}

/** Whether box `inner` lies within box `outer` (to half a pixel). */
function within(inner, outer) {
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

test('the history chart renders with a marker per committed sync', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // Console errors (a CSP refusal among them); failed loads are checked by URL, the icon aside.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${ROSTER_URL}/accounts/${ACCOUNT}`);

    const chart = page.locator('#chart-users');
    const svg = chart.locator('svg.plot');
    assert.equal(await svg.count(), 1, 'one users chart');
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 50, `the chart has a size: ${JSON.stringify(box)}`);
    assert.match(await svg.locator(':scope > title').textContent(), new RegExp(`Users by status, ${SYNCS} syncs from `));

    // One marker group per committed sync, each with a visible circle per status, inside the drawing.
    const syncs = chart.locator('g.sync');
    assert.equal(await syncs.count(), Number(SYNCS));
    const circles = await chart.locator('g.sync circle').all();
    assert.equal(circles.length, Number(SYNCS) * 4);
    for (const c of circles) {
      const b = await c.boundingBox();
      assert.ok(b && b.width > 0 && within(b, box), `a marker inside the chart: ${JSON.stringify(b)}`);
    }
    assert.match(await circles[0].locator('title').textContent(), /^\d{4}-\d\d-\d\dT[\d:.]+Z · sync \d+ · active: \d+$/);
    const lines = chart.locator('path.line');
    assert.equal(await lines.count(), 4, 'a line per status');
    const line = await lines.first().boundingBox();
    assert.ok(line && line.width > 100, 'the active line spans the syncs');

    // The legend, with the line's colour from the style sheet (the CSP lets it apply).
    const legend = chart.locator('ul.legend li');
    assert.deepEqual(await legend.allTextContents(), ['active', 'invited', 'suspended', 'removed']);
    assert.ok(await legend.first().isVisible());
    const colours = await chart.locator('path.line').evaluateAll((ps) => ps.map((p) => getComputedStyle(p).stroke));
    assert.equal(new Set(colours).size, 4, `four colours: ${colours}`);
    assert.ok(!colours.includes('rgb(0, 0, 0)') && !colours.includes('none'), `styled: ${colours}`);

    // The recent syncs, and the events of the newest one.
    assert.equal(await page.locator('table.syncs tbody tr[data-run]').count(), Number(SYNCS));
    await page.locator('#history').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'account-history.png'), fullPage: true });
    await chart.screenshot({ path: join(SCREENSHOTS, 'history-chart.png') });
    await page.locator('table.syncs a.events').first().click();
    await page.waitForURL(/[?&]run=\d+#events$/);
    const events = page.locator('#events');
    assert.match(await events.locator('h3').textContent(), /Events of sync \d+/);
    assert.ok((await events.locator('table.events tbody tr').count()) > 0, 'the newest sync touched users');
    assert.equal(await page.locator('table.syncs tr.chosen').count(), 1, 'the chosen sync is marked');
    await events.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'history-events.png') });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
