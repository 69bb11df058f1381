// The page script of `roster serve`: the Connect form and an account's Edit
// form (rendered by the react-jsonschema-form bundle from the connector's
// schema), Test connection, Save, and Sync now. Every POST carries the session's CSRF token. Text from
// the server is put in the page with textContent, never as HTML.
(() => {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  async function post(url, body) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(body ?? {}),
        credentials: 'same-origin',
      });
      try {
        return await res.json();
      } catch {
        return { ok: false, message: `the server answered ${res.status}` };
      }
    } catch (e) {
      return { ok: false, message: `roster serve could not be reached (${e.message}); is it still running?` };
    }
  }

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const c of children) node.append(c instanceof Node ? c : String(c ?? ''));
    return node;
  }

  function show(target, ...nodes) {
    target.replaceChildren(...nodes);
  }

  function failure(r) {
    const box = el('div', 'result bad', el('span', 'mark bad', '✗'), ' ');
    if (r.kind) box.append(el('strong', 'kind', r.kind), ': ');
    box.append(el('span', 'message', r.message ?? 'failed'));
    if (r.remediation) box.append(el('div', 'fix', r.remediation));
    return box;
  }

  function connected(r) {
    const a = r.account ?? {};
    const who = el('div', 'result ok', el('span', 'mark ok', '✓'), ' Connected to ', el('strong', 'account-name', a.name ?? a.tenant_id));
    const facts = [`tenant ${a.tenant_id}`];
    if (a.plan) facts.push(`plan ${a.plan}`);
    who.append(' ', el('span', 'muted', `(${facts.join(', ')})`));
    const list = el('ul', 'access');
    for (const c of r.access ?? []) {
      const item = el('li', c.granted ? 'granted' : 'refused', el('span', `mark ${c.granted ? 'ok' : 'bad'}`, c.granted ? '✓' : '✗'), ' ', c.capability);
      if (c.detail) item.append(el('div', 'fix', c.detail));
      list.append(item);
    }
    who.append(list);
    return who;
  }

  function connect(form) {
    const box = document.querySelector('.connect');
    const connector = box.dataset.connector;
    // Set on an account's Edit page, whose name is fixed.
    const editing = box.dataset.account;
    const api = editing ? `/api/accounts/${encodeURIComponent(editing)}` : `/api/integrations/${connector}`;
    const result = document.getElementById('result');
    const idInput = document.getElementById('account-id');
    const idError = document.getElementById('account-id-error');
    idInput?.addEventListener('input', () => (idError.textContent = ''));
    let controller;
    const fieldErrors = (fields) => {
      const schema = {};
      for (const f of fields ?? []) {
        if (f.field === 'account_id') idError.textContent = f.message;
        else (schema[f.field] ??= { __errors: [] }).__errors.push(f.message);
      }
      controller.setErrors(Object.keys(schema).length ? schema : undefined);
    };
    const onSubmit = async (credentials, action) => {
      if (action === 'save' && !editing) {
        idInput.value = idInput.value.trim();
        if (!idInput.checkValidity()) {
          idError.textContent = 'Give the account a name: letters, digits, - and _, starting with a letter or digit.';
          idInput.focus();
          return;
        }
      }
      show(result, el('div', 'result busy', action === 'save' ? 'Saving…' : 'Testing the connection…'));
      if (action === 'save') {
        const r = editing
          ? await post(`${api}/edit`, { credentials })
          : await post(`${api}/accounts`, { account_id: idInput.value, credentials });
        if (!r.ok) {
          fieldErrors(r.fields);
          show(result, failure(r));
          return;
        }
        const done = el('div', 'result ok saved', el('span', 'mark ok', '✓'), ' Saved ', el('code', '', r.account_file), '.');
        if (r.secrets_file) {
          done.append(
            el('p', '', `The ${r.secret_fields.join(', ')} went to `, el('code', '', r.secrets_file),
              ', readable only by you; it is never shown again. To keep secrets out of files, delete that file and set ',
              ...r.env.flatMap((v, i) => (i ? [' and ', el('code', '', v)] : [el('code', '', v)])), ' instead.'),
          );
        }
        if (r.kept?.length) done.append(el('p', 'kept', `Kept the current ${r.kept.join(', ')}.`));
        const next = el('a', 'button', editing ? `Back to ${editing}` : 'Go to Accounts to sync it');
        next.href = editing ? `/accounts/${encodeURIComponent(editing)}` : '/accounts';
        done.append(el('p', '', next));
        show(result, done);
      } else {
        const r = await post(`${api}/check`, { credentials });
        if (r.ok) {
          controller.setErrors(undefined);
          show(result, connected(r));
        } else {
          fieldErrors(r.fields);
          show(result, failure(r));
        }
      }
    };
    controller = window.RosterForm.render(document.getElementById('connect-form'), {
      ...form,
      buttons: [
        { action: 'test', label: 'Test connection', className: 'btn secondary' },
        { action: 'save', label: editing ? 'Save changes' : 'Save', className: 'btn btn-info' },
      ],
      onSubmit,
    });
  }

  async function syncNow(button) {
    const id = button.dataset.account;
    const row = button.closest('tr');
    button.disabled = true;
    button.textContent = 'Syncing…';
    row?.classList.add('syncing');
    const r = await post(`/api/accounts/${encodeURIComponent(id)}/sync`);
    if (r.result || r.ok) {
      window.location.reload();
      return;
    }
    button.disabled = false;
    button.textContent = 'Sync now';
    row?.classList.remove('syncing');
    const cell = row?.querySelector('.last-sync');
    if (cell) show(cell, failure(r));
  }

  const spec = document.getElementById('form-spec');
  if (spec) connect(JSON.parse(spec.textContent));
  for (const b of document.querySelectorAll('button.sync')) b.addEventListener('click', () => syncNow(b));
})();
