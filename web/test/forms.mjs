// Helpers shared by the browser tests: reading `roster schema --all` output,
// describing a form's fields the way the Rust side does (conditional fields
// right after the field that reveals them), and filling a rendered form the
// way a person would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every `<id>.json` in `dir`, as [id, {schema, uiSchema, formProps}]. */
export function readForms(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
}

/** The fields of a form schema: {name, schema, required, condition: {switch, value} | null}. */
export function fields(schema) {
  const conditionals = [schema, ...(schema.allOf ?? [])]
    .filter((s) => s.if?.properties && s.then)
    .map((s) => {
      const [switchName, test] = Object.entries(s.if.properties)[0];
      return { switch: switchName, value: test.const, then: s.then };
    });
  const required = schema.required ?? [];
  const out = [];
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    out.push({ name, schema: p, required: required.includes(name), condition: null });
    for (const c of conditionals.filter((c) => c.switch === name)) {
      for (const [n, s] of Object.entries(c.then.properties ?? {})) {
        out.push({
          name: n,
          schema: s,
          required: (c.then.required ?? []).includes(n),
          condition: { switch: c.switch, value: c.value },
        });
      }
    }
  }
  return out;
}

/** The label a person sees for the option of `field` whose value is `value`. */
export function optionTitle(field, value) {
  const option = field.schema.oneOf?.find((o) => o.const === value);
  if (!option) throw new Error(`${field.name} has no option ${JSON.stringify(value)}`);
  return option.title;
}

/** The input id rjsf gives a top-level field. */
export const inputId = (name) => `#root_${name}`;

/** Fills `data` into the rendered form in display order, as a person would. */
export async function fill(page, schema, data) {
  for (const field of fields(schema)) {
    if (!(field.name in data)) continue;
    const value = data[field.name];
    const input = page.locator(inputId(field.name));
    if (field.schema.oneOf) {
      await input.selectOption({ label: optionTitle(field, value) });
    } else if (field.schema.type === 'boolean') {
      await input.setChecked(Boolean(value));
    } else {
      await input.fill(String(value));
    }
  }
}
