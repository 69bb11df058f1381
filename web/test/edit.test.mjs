// Editing and deleting an account as a person clicks through it, in headless
// Chromium: the account's page → Edit (the form filled in, the token blank) →
// a new base URL → Test connection and Save with the token kept → Delete →
// type the name → Accounts shows it deleted, its history kept. Run by
// crates/roster/tests/browser/edit_flow.rs, which starts `roster serve` and
// the Workato simulator, syncs the account once, and passes ROSTER_URL,
// SIM_URL, SIM_TOKEN, ACCOUNT, CONFIG and SCREENSHOTS.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { withPage } from './browser.mjs';

const { ROSTER_URL, SIM_URL, SIM_TOKEN, ACCOUNT, CONFIG, SCREENSHOTS } = process.env;
for (const [k, v] of Object.entries({ ROSTER_URL, SIM_URL, SIM_TOKEN, ACCOUNT, CONFIG, SCREENSHOTS })) {
  assert.ok(v, `set ${k}`);
}
const accountFile = join(CONFIG, 'accounts', `${ACCOUNT}.toml`);
const secretsFile = join(CONFIG, 'secrets', `${ACCOUNT}.toml`);

test('edit an account keeping its token, then delete it', { timeout: 300_000 }, async () => {
  await withPage(async (page) => {
    const secretsBefore = readFileSync(secretsFile, 'utf8');

    // Edit: the plain fields filled in, the token blank.
    await page.goto(`${ROSTER_URL}/accounts/${ACCOUNT}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForSelector('#root_base_url');
    assert.equal(await page.locator('#root_base_url').inputValue(), SIM_URL);
    assert.match(await page.locator('#root_data_center option:checked').textContent(), /custom URL/);
    const token = page.locator('#root_api_token');
    assert.equal(await token.getAttribute('type'), 'password');
    assert.equal(await token.inputValue(), '', 'the token is never sent to the page');
    assert.match(await token.getAttribute('placeholder'), /Leave blank to keep the current value/);
    assert.match(await page.locator('#account-name').textContent(), new RegExp(ACCOUNT));
    assert.ok(!(await page.content()).includes(SIM_TOKEN), 'the page holds no token');

    // A new base URL, the token kept: the test and the save use the current token.
    const localhost = SIM_URL.replace('127.0.0.1', 'localhost');
    await page.fill('#root_base_url', localhost);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#result .result.ok').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#result .result.saved').waitFor();
    const saved = await page.locator('#result').textContent();
    assert.match(saved, /Kept the current api_token/);
    assert.ok(!saved.includes(SIM_TOKEN));
    await page.screenshot({ path: join(SCREENSHOTS, 'edit-saved.png') });
    assert.match(readFileSync(accountFile, 'utf8'), new RegExp(`base_url = "${localhost}"`));
    assert.equal(readFileSync(secretsFile, 'utf8'), secretsBefore, 'the secrets file is untouched');

    // Delete: the confirmation names the files; the name must be typed.
    await page.getByRole('link', { name: `Back to ${ACCOUNT}` }).click();
    await page.waitForURL(new RegExp(`/accounts/${ACCOUNT}$`));
    await page.getByRole('link', { name: 'Delete' }).click();
    await page.waitForURL(/\/delete$/);
    assert.match(await page.locator('.account-file').textContent(), new RegExp(`${ACCOUNT}\\.toml$`));
    assert.match(await page.locator('.secrets-file').textContent(), new RegExp(`secrets/${ACCOUNT}\\.toml$`));
    await page.screenshot({ path: join(SCREENSHOTS, 'delete-confirm.png') });
    await page.fill('#confirm', ACCOUNT);
    await page.getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL(/\/accounts\?deleted=/);
    assert.match(await page.locator('.notice').textContent(), new RegExp(`Deleted ${ACCOUNT}`));
    const row = page.locator(`tr[data-account="${ACCOUNT}"]`);
    assert.match(await row.locator('.deleted').textContent(), new RegExp(`roster prune --account ${ACCOUNT}`));
    assert.equal(await row.getByRole('button', { name: 'Sync now' }).count(), 0, 'a deleted account cannot sync');
    assert.ok(!existsSync(accountFile) && !existsSync(secretsFile), 'both files are removed');
    await page.screenshot({ path: join(SCREENSHOTS, 'deleted.png') });
  });
});
