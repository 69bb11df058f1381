// Actions as a person clicks through them, in headless Chromium: the account's
// users → remove_user on one → the confirmation page's dry-run plan → Apply →
// the result (applied, verified, synced) → the audit trail → Reclaim's plan.
// Run by crates/roster/tests/browser/actions_flow.rs, which starts `roster
// serve` over an account synced from the Workato simulator (its file allows
// remove_user) and passes ROSTER_URL, ACCOUNT, USER_ID, MEMBERS and SCREENSHOTS;
// and REMOTE_URL, the same config and store served with --allow-remote, where
// the dry run and the audit stay visible but Apply is refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { launch } from './browser.mjs';

const { ROSTER_URL, REMOTE_URL, ACCOUNT, USER_ID, MEMBERS, SCREENSHOTS } = process.env;
for (const [k, v] of Object.entries({ ROSTER_URL, REMOTE_URL, ACCOUNT, USER_ID, MEMBERS, SCREENSHOTS })) {
  assert.ok(v, `set ${k}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

test('choose an action, see the dry run, apply, see the result, the audit and a reclaim plan', { timeout: 300_000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));

    // The account: each user row offers the actions its file allows.
    await page.goto(`${ROSTER_URL}/accounts/${ACCOUNT}`);
    const row = page.locator(`table.users tr[data-user="${USER_ID}"]`);
    const email = (await row.locator('td.email').textContent()).trim();
    assert.equal(await row.locator('td.actions a.action').count(), 1, 'remove_user only: the file allows nothing else');
    await shot(page, 'actions-account');
    await row.locator('a.action[data-action="remove_user"]').click();

    // The confirmation: the dry run, nothing sent.
    await page.waitForURL(/\/act\/remove_user\?user=/);
    assert.match(await page.locator('h1').textContent(), /remove_user/);
    assert.match(await page.locator('.plan .before').textContent(), /^active|^invited/);
    assert.equal((await page.locator('.plan .after').textContent()).trim(), 'no access (not in the app)');
    assert.ok((await page.locator('ol.writes li').count()) >= 1, 'the writes are listed');
    assert.match(await page.locator('.outcome').textContent(), /dry run: nothing was sent/);
    assert.match(await page.locator('.about').textContent(), /cannot be undone/);
    await shot(page, 'actions-confirm');

    // Apply: the result, verified, and the account synced.
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.act-result').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('.act-result').getAttribute('data-outcome'), 'applied');
    assert.match(await page.locator('.outcome.applied').textContent(), /applied/);
    assert.match(await page.locator('.sync').textContent(), new RegExp(`ok \\(${Number(MEMBERS) - 1} users\\)`));
    await shot(page, 'actions-result');

    // The audit trail: newest first, by the web UI.
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.waitForURL(/\/audit$/);
    const first = page.locator('table.audit tbody tr').first();
    assert.equal((await first.locator('td.user').textContent()).trim(), USER_ID);
    assert.equal((await first.locator('td.email').textContent()).trim(), email);
    assert.equal((await first.locator('.outcome').textContent()).trim(), 'applied');
    assert.match(await first.textContent(), /web UI/);
    await shot(page, 'actions-audit');

    // The user is gone from the account; its row offers nothing any more.
    await page.goto(`${ROSTER_URL}/accounts/${ACCOUNT}`);
    assert.equal(await page.locator(`table.users tr[data-user="${USER_ID}"]`).count(), 0);

    // Reclaim: everyone not seen today, within a raised cap, planned but not applied.
    await page.getByRole('link', { name: 'Reclaim' }).click();
    await page.waitForURL(/\/reclaim$/);
    await page.fill('#days', '0');
    await page.selectOption('#action', 'remove_user');
    await page.fill('#max', '1000');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await page.locator('#planned').waitFor();
    const planned = Number(await page.locator('#planned').textContent());
    assert.ok(planned > 0 && planned < Number(MEMBERS), `${planned} users planned`);
    assert.equal(await page.locator('table.plan tbody tr').count(), planned);
    assert.equal(await page.locator('table.plan td.user').filter({ hasText: new RegExp(`^${USER_ID}$`) }).count(), 0);
    assert.match(await page.getByRole('button', { name: /^Apply remove_user to these/ }).textContent(), new RegExp(`${planned} users`));
    await shot(page, 'actions-reclaim');

    // Over the cap: no Apply button, and why.
    await page.fill('#max', '0');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await page.locator('.over-max').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Apply/ }).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('beyond loopback: the dry run and the audit are shown, Apply is refused with why', { timeout: 300_000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${REMOTE_URL}/accounts/${ACCOUNT}`);
    // Any user but the workspace owner (whom Workato cannot remove, so no plan).
    const row = page.locator('table.users tbody tr').filter({ hasNotText: /owner/i }).first();
    const user = await row.getAttribute('data-user');
    await row.locator('a.action[data-action="remove_user"]').click();
    await page.waitForURL(/\/act\/remove_user\?user=/);
    assert.equal((await page.locator('.plan .after').textContent()).trim(), 'no access (not in the app)');
    assert.match(await page.locator('.warning.remote').textContent(), /--allow-remote/);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').textContent(), /Apply refused/);
    assert.match(await page.locator('.error').textContent(), /no login/);
    await shot(page, 'actions-remote-refused');

    // Nothing was done: the user is still there, and the audit has no new entry.
    await page.goto(`${REMOTE_URL}/accounts/${ACCOUNT}`);
    assert.equal(await page.locator(`table.users tr[data-user="${user}"]`).count(), 1);
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.waitForURL(/\/audit$/);
    assert.equal(await page.locator('table.audit tbody tr').count(), 1, 'only the applied removal of the first test');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
