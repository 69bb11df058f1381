// The setup form bundle: react-jsonschema-form with its AJV validator, as one
// static script for `roster serve` and the browser tests. It exposes
// `window.RosterForm.render(element, options)`; everything else is rjsf's own
// default theme, driven by the schema, uiSchema and form props `roster schema
// --ui` prints.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import Form, { getDefaultRegistry } from '@rjsf/core';
import { customizeValidator } from '@rjsf/validator-ajv8';

// `password` is a UI hint (OpenAPI's), not a format AJV checks: accept any string.
const validator = customizeValidator({ customFormats: { password: () => true } });

const DefaultPasswordWidget = getDefaultRegistry().widgets.PasswordWidget;

// A secret that is a whole file (a service account's JSON key): `ui:options.accept` asks
// for a masked multi-line box to paste it into, and a file picker that reads it. The
// text is never shown back: the box masks it, and a stored secret is never sent to the
// page in the first place.
function SecretWidget(props) {
  const { id, value, required, disabled, readonly, options, onChange, onBlur, onFocus, placeholder } = props;
  if (!options?.accept) return <DefaultPasswordWidget {...props} />;
  const set = (text) => onChange(text === '' ? options.emptyValue : text);
  return (
    <div className="secret-file">
      <textarea
        id={id}
        name={id}
        className="form-control secret-text"
        rows={options.rows ?? 8}
        value={value ?? ''}
        required={required}
        disabled={disabled || readonly}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        style={{ WebkitTextSecurity: 'disc' }}
        onChange={(e) => set(e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
      <input
        id={`${id}__file`}
        type="file"
        accept={options.accept}
        disabled={disabled || readonly}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (file) set((await file.text()).trim());
          e.target.value = '';
        }}
      />
      {value ? <p className="help-block secret-loaded">{value.length} characters loaded</p> : null}
    </div>
  );
}

function RosterForm({ options, controller }) {
  const { schema, uiSchema, formProps, formData: initial, buttons, onSubmit, onChange } = options;
  const [formData, setFormData] = useState(initial ?? {});
  const [extraErrors, setExtraErrors] = useState(undefined);
  useEffect(() => {
    controller.setErrors = setExtraErrors;
  }, [controller]);
  return (
    <Form
      schema={schema}
      uiSchema={uiSchema}
      validator={validator}
      widgets={{ PasswordWidget: SecretWidget }}
      formData={formData}
      extraErrors={extraErrors}
      showErrorList="top"
      noHtml5Validate
      {...formProps}
      onChange={(e) => {
        setFormData(e.formData);
        setExtraErrors(undefined);
        onChange?.(e.formData);
      }}
      onSubmit={(e, event) => {
        const action = event?.nativeEvent?.submitter?.value || 'submit';
        onSubmit?.(e.formData, action);
      }}
      onError={(errors) => options.onError?.(errors)}
    >
      {buttons && (
        <div className="form-actions">
          {buttons.map((b) => (
            <button key={b.action} type="submit" name="action" value={b.action} className={b.className}>
              {b.label}
            </button>
          ))}
        </div>
      )}
    </Form>
  );
}

/**
 * Renders a form into `element`.
 * options: { schema, uiSchema, formProps, formData, buttons: [{action, label, className}],
 *            onSubmit(formData, action), onChange(formData), onError(errors) }
 * Returns { setErrors(errorSchema) } to show errors next to fields (rjsf extraErrors).
 */
function render(element, options) {
  const controller = { setErrors: () => {} };
  createRoot(element).render(<RosterForm options={options} controller={controller} />);
  return controller;
}

window.RosterForm = { render };
