// Renders every connector's setup form (from `roster schema --all --out DIR`,
// passed as ROSTER_FORMS_DIR) in the real @rjsf/core with
// @rjsf/validator-ajv8, in headless Chromium, and checks what a person sees.
// Also compiles each schema with AJV in strict mode (draft-07).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import { launch } from './browser.mjs';
import { fields, fill, inputId, optionTitle, readForms } from './forms.mjs';

const FORMS_DIR = process.env.ROSTER_FORMS_DIR;
assert.ok(FORMS_DIR, 'set ROSTER_FORMS_DIR to the output of `roster schema --all --out DIR`');
const BUNDLE = fileURLToPath(new URL('../dist/roster-form.js', import.meta.url));
const forms = readForms(FORMS_DIR);
assert.ok(forms.length > 0, `no forms in ${FORMS_DIR}`);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A fresh page with the form rendered; `window.submitted` collects submissions. */
async function render(form) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
  await page.addScriptTag({ path: BUNDLE });
  await page.evaluate((form) => {
    window.submitted = [];
    window.RosterForm.render(document.getElementById('root'), {
      ...form,
      onSubmit: (data) => window.submitted.push(data),
    });
  }, form);
  await page.waitForSelector('form.rjsf');
  return { page, problems };
}

/** The label text of a field without its required marker, and whether it has one. */
async function label(page, name) {
  const l = page.locator(`label[for="root_${name}"]`);
  return {
    text: (await l.evaluate((el) => el.childNodes[0]?.textContent ?? '')).trim(),
    required: (await l.locator('.required').count()) > 0,
  };
}

for (const [id, form] of forms) {
  const { schema } = form;
  const all = fields(schema);
  const shown = all.filter((f) => !f.condition);

  describe(id, () => {
    test('compiles in AJV strict mode (draft-07) and its examples validate', () => {
      const warnings = [];
      const logger = { log() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
      const ajv = new Ajv({ strict: true, allErrors: true, logger });
      addFormats(ajv);
      ajv.addFormat('password', true);
      const validate = ajv.compile(schema);
      assert.deepEqual(warnings, []);
      assert.ok((schema.examples ?? []).length > 0, 'the schema has examples');
      for (const example of schema.examples) {
        assert.ok(validate(example), `${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`);
      }
      assert.equal(JSON.stringify(schema).includes('"$ref"'), false);
    });

    test('shows every field with its title, description and required marker', async () => {
      const { page, problems } = await render(form);
      assert.equal((await page.locator('#root__title').textContent()).trim(), schema.title);
      for (const f of shown) {
        const l = await label(page, f.name);
        assert.equal(l.text, f.schema.title, `${f.name} label`);
        assert.equal(l.required, f.required, `${f.name} required marker`);
        const description = await page.locator(`#root_${f.name}__description`).first().textContent();
        assert.equal(description.trim(), f.schema.description, `${f.name} description`);
      }
      const order = await page.locator('form.rjsf [id^="root_"][name]').evaluateAll((els) => els.map((e) => e.id));
      assert.deepEqual(order, shown.map((f) => `root_${f.name}`), 'fields in declaration order');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('dropdowns list every option by its title, with nothing preselected without a default', async () => {
      const { page } = await render(form);
      for (const f of shown.filter((f) => f.schema.oneOf)) {
        const select = page.locator(inputId(f.name));
        assert.equal(await select.evaluate((el) => el.tagName), 'SELECT', `${f.name} is a dropdown`);
        const labels = await select.locator('option').allTextContents();
        const titles = f.schema.oneOf.map((o) => o.title);
        if (f.schema.default === undefined) {
          const placeholder = form.uiSchema[f.name]?.['ui:placeholder'];
          assert.ok(placeholder, `${f.name} has a placeholder`);
          assert.deepEqual(labels, [placeholder, ...titles], `${f.name} options`);
          assert.equal(await select.inputValue(), '', `${f.name} is not preselected`);
        } else {
          assert.deepEqual(labels, titles, `${f.name} options`);
          const selected = await select.evaluate((el) => el.options[el.selectedIndex].text);
          assert.equal(selected, optionTitle(f, f.schema.default), `${f.name} preselects its default`);
        }
      }
      await page.close();
    });

    test('secrets are password inputs', async () => {
      const { page } = await render(form);
      const secrets = all.filter((f) => f.schema.writeOnly);
      assert.ok(secrets.length > 0, 'a secret field');
      for (const f of secrets.filter((f) => !f.condition)) {
        const input = page.locator(inputId(f.name));
        assert.equal(await input.getAttribute('autocomplete'), 'off', f.name);
        if (form.uiSchema[f.name]?.['ui:options']?.accept) {
          // A whole secret file: a masked box to paste into, and a file picker.
          assert.equal(await input.evaluate((el) => el.tagName), 'TEXTAREA', f.name);
          const picker = page.locator(`${inputId(f.name)}__file`);
          assert.equal(await picker.getAttribute('type'), 'file', f.name);
          const text = '{"type": "service_account", "private_key": "k"}';
          await picker.setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(`${text}\n`) });
          await page.locator('.secret-loaded').waitFor();
          assert.equal(await input.inputValue(), text, `${f.name} holds the file's text`);
        } else {
          assert.equal(await input.getAttribute('type'), 'password', f.name);
        }
      }
      await page.close();
    });

    test('conditional fields appear only with the choice that needs them', async () => {
      const { page } = await render(form);
      for (const f of all.filter((f) => f.condition)) {
        const sw = all.find((s) => s.name === f.condition.switch);
        const input = page.locator(inputId(f.name));
        assert.equal(await input.count(), 0, `${f.name} is hidden at first`);
        await page.locator(inputId(sw.name)).selectOption({ label: optionTitle(sw, f.condition.value) });
        await input.waitFor();
        const l = await label(page, f.name);
        assert.equal(l.text, f.schema.title);
        assert.equal(l.required, f.required, `${f.name} required marker`);
        const other = sw.schema.oneOf.find((o) => o.const !== f.condition.value);
        await page.locator(inputId(sw.name)).selectOption({ label: other.title });
        await input.waitFor({ state: 'detached' });
      }
      await page.close();
    });

    test('an empty form shows an error at every required field', async () => {
      const { page } = await render(form);
      await page.locator('form.rjsf button[type="submit"]').click();
      await page.locator('.panel-danger.errors').waitFor();
      for (const f of shown.filter((f) => f.required)) {
        const error = await page.locator(`#root_${f.name}__error`).textContent();
        assert.match(error, /required/, `${f.name}: ${error}`);
      }
      assert.deepEqual(await page.evaluate(() => window.submitted), []);
      await page.close();
    });

    for (const [i, example] of (schema.examples ?? []).entries()) {
      test(`example ${i + 1} filled in by hand validates and submits as is`, async () => {
        const { page, problems } = await render(form);
        await fill(page, schema, example);
        await page.locator('form.rjsf button[type="submit"]').click();
        await page.waitForFunction(() => window.submitted.length > 0);
        assert.equal(await page.locator('.panel-danger.errors').count(), 0);
        assert.deepEqual(await page.evaluate(() => window.submitted[0]), example);
        assert.deepEqual(problems, []);
        await page.close();
      });
    }

    test('a malformed URL is refused next to its field', async () => {
      const urls = all.filter((f) => f.schema.format === 'uri');
      if (urls.length === 0) return;
      const { page } = await render(form);
      for (const f of urls) {
        const example = schema.examples.find((e) => f.name in e);
        assert.ok(example, `an example fills ${f.name}`);
        await fill(page, schema, { ...example, [f.name]: 'not a url' });
        await page.locator('form.rjsf button[type="submit"]').click();
        const error = await page.locator(`#root_${f.name}__error`).textContent();
        assert.match(error, /format/, `${f.name}: ${error}`);
      }
      assert.deepEqual(await page.evaluate(() => window.submitted), []);
      await page.close();
    });
  });
}
