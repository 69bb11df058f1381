// The setup form bundle: react-jsonschema-form with its AJV validator, as one
// static script for `roster serve` and the browser tests. It exposes
// `window.RosterForm.render(element, options)`; everything else is rjsf's own
// default theme, driven by the schema, uiSchema and form props `roster schema
// --ui` prints.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import Form from '@rjsf/core';
import { customizeValidator } from '@rjsf/validator-ajv8';

// `password` is a UI hint (OpenAPI's), not a format AJV checks: accept any string.
const validator = customizeValidator({ customFormats: { password: () => true } });

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
