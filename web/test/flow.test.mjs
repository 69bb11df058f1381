// The whole `roster serve` flow as a person clicks through it, in headless
// Chromium: Integrations → Connect Workato (a wrong token first, then the
// right one) → Test connection → Save → Accounts → Sync now → green check →
// the account's users → filter the inactive ones → CSV. Run by
// crates/roster/tests/browser/serve_flow.rs, which starts `roster serve` and
// the Workato simulator and passes ROSTER_URL, SIM_URL, SIM_TOKEN, ACCOUNT
// and SCREENSHOTS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { launch } from './browser.mjs';

const { ROSTER_URL, SIM_URL, SIM_TOKEN, ACCOUNT, SCREENSHOTS } = process.env;
for (const [k, v] of Object.entries({ ROSTER_URL, SIM_URL, SIM_TOKEN, ACCOUNT, SCREENSHOTS })) {
  assert.ok(v, `set ${k}`);
}
const DAYS = 30;

/** A screenshot of what the window shows (long user lists are cut at the fold). */
async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

test('connect, test, save, sync now, see the green check, filter inactive users', { timeout: 300_000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));

    // Integrations: a tile per connector.
    await page.goto(`${ROSTER_URL}/`);
    await page.waitForURL(/\/integrations$/);
    const tiles = page.locator('section.tile');
    assert.ok((await tiles.count()) >= 2, 'a tile per registered connector');
    const workato = page.locator('section.tile[data-connector="workato"]');
    assert.match(await workato.textContent(), /Not connected/);
    await shot(page, 'integrations');
    await workato.getByRole('link', { name: 'Connect' }).click();

    // Connect: the form comes from the schema.
    await page.waitForSelector('#root_data_center');
    assert.equal(await page.locator('#root_data_center').inputValue(), '', 'no data center is preselected');
    assert.equal(await page.locator('#root_base_url').count(), 0, 'no base URL before custom is chosen');
    await page.fill('#account-id', ACCOUNT);
    await page.selectOption('#root_data_center', { label: 'Virtual Private Workato (custom URL)' });
    await page.fill('#root_base_url', SIM_URL);
    assert.equal(await page.locator('#root_api_token').getAttribute('type'), 'password');

    // A wrong token: the error, its remediation, next to the token field.
    const wrong = 'wrka-wrong-token-0123456789';
    await page.fill('#root_api_token', wrong);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#result .result.bad').waitFor();
    const failure = await page.locator('#result').textContent();
    assert.match(failure, /invalid_credentials/);
    assert.match(await page.locator('#result .fix').textContent(), /token/, 'the remediation is shown');
    assert.ok(!failure.includes(wrong), 'the result never repeats the token');
    assert.match(await page.locator('#root_api_token__error').textContent(), /\S/, 'error next to the token');

    // The right token: who the account is.
    await page.fill('#root_api_token', SIM_TOKEN);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#result .result.ok').waitFor();
    assert.match(await page.locator('#result').textContent(), /Acme Automation \(simulated\)/);
    await shot(page, 'connect');

    // Save: files, not the secret, are named.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#result .result.saved').waitFor();
    const saved = await page.locator('#result').textContent();
    assert.match(saved, new RegExp(`accounts/${ACCOUNT}\\.toml`));
    assert.match(saved, new RegExp(`secrets/${ACCOUNT}\\.toml`));
    assert.match(saved, /ROSTER_ACCOUNT_ACME_WORKATO__CREDENTIALS__API_TOKEN/);
    assert.ok(!saved.includes(SIM_TOKEN), 'the saved message never shows the token');

    // A mutating request without the session's CSRF token is refused.
    const forged = await page.request.post(`${ROSTER_URL}/api/accounts/${ACCOUNT}/sync`, { data: {} });
    assert.equal(forged.status(), 403);

    // Accounts: never synced, then Sync now, then the green check.
    await page.getByRole('link', { name: 'Go to Accounts to sync it' }).click();
    await page.waitForURL(/\/accounts$/);
    const row = page.locator(`tr[data-account="${ACCOUNT}"]`);
    assert.match(await row.locator('.last-sync').textContent(), /never synced/);
    await row.getByRole('button', { name: 'Sync now' }).click();
    await page.locator(`tr[data-account="${ACCOUNT}"] .last-sync .mark.ok`).waitFor({ timeout: 120_000 });
    const users = Number(await page.locator(`tr[data-account="${ACCOUNT}"] .users .count`).textContent());
    assert.ok(users > 0, 'users were counted');
    assert.match(await page.locator(`tr[data-account="${ACCOUNT}"] .last-sync`).textContent(), /synced/);
    await shot(page, 'accounts');
    assert.ok(!(await page.content()).includes(SIM_TOKEN), 'no page holds the token');

    // Account: a page of the users, then the inactive ones.
    await page.getByRole('link', { name: ACCOUNT, exact: true }).click();
    await page.waitForURL(new RegExp(`/accounts/${ACCOUNT}$`));
    const all = Number(await page.locator('#matched').textContent());
    assert.equal(all, users);
    const PER = 50;
    assert.equal(await page.locator('table.users tbody tr').count(), Math.min(all, PER));
    assert.equal(Number(await page.locator('#page-count').textContent()), Math.max(1, Math.ceil(all / PER)));
    assert.ok(await page.locator('table.users tbody tr td').filter({ hasText: /dev|test|prod/ }).count(), 'roles per environment');
    await shot(page, 'account');

    // Paging, sorting and search, each a plain link or form the server answers.
    if (all > PER) {
      await page.getByRole('link', { name: 'Next ›' }).click();
      await page.waitForURL(/page=2/);
      assert.equal(await page.locator('#page-number').textContent(), '2');
      assert.equal(await page.locator('table.users tbody tr').count(), Math.min(all - PER, PER));
    }
    await page.locator('th a.sort[data-sort="name"]').click();
    await page.waitForURL(/sort=name&dir=asc/);
    assert.equal(await page.locator('th[aria-sort="ascending"] a').getAttribute('data-sort'), 'name');
    const names = await page.locator('table.users td.name').allTextContents();
    await page.locator('th a.sort[data-sort="name"]').click();
    await page.waitForURL(/sort=name&dir=desc/);
    assert.equal(await page.locator('th[aria-sort="descending"] a').getAttribute('data-sort'), 'name');
    assert.notDeepEqual(await page.locator('table.users td.name').allTextContents(), names);
    const email = (await page.locator('table.users td.email').first().textContent()).trim();
    await page.fill('#q', email);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/q=/);
    assert.equal(Number(await page.locator('#matched').textContent()), 1);
    assert.equal((await page.locator('table.users td.email').first().textContent()).trim(), email);
    await shot(page, 'account-search');
    await page.getByRole('link', { name: 'Clear' }).click();
    await page.waitForURL(new RegExp(`/accounts/${ACCOUNT}\\?$`));
    assert.equal(Number(await page.locator('#matched').textContent()), all);

    await page.selectOption('#show', 'inactive');
    await page.fill('#days', String(DAYS));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/show=inactive/);
    const inactive = Number(await page.locator('#matched').textContent());
    assert.ok(inactive < all, `inactive (${inactive}) is a subset of all (${all})`);
    const visits = await page.locator('table.users td.last-visit').evaluateAll((cells) => cells.map((c) => c.dataset.at));
    assert.equal(visits.length, Math.min(inactive, PER));
    const cutoff = Date.now() - DAYS * 86_400_000;
    for (const at of visits) assert.ok(!at || Date.parse(at) < cutoff, `${at} is older than ${DAYS} days`);
    await shot(page, 'account-inactive');

    // The CSV holds the same selection, every row of it.
    const csv = await page.request.get(await page.locator('#csv').evaluate((a) => a.href));
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /text\/csv/);
    assert.equal((await csv.text()).trim().split('\n').length, inactive + 1);

    // Integrations: the green check next to Workato.
    await page.getByRole('link', { name: 'Integrations' }).click();
    assert.match(await page.locator('section.tile[data-connector="workato"]').textContent(), /1 of 1 account synced/);
    assert.equal(await page.locator('section.tile[data-connector="workato"] .mark.ok').count(), 1);
    await shot(page, 'integrations-synced');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
