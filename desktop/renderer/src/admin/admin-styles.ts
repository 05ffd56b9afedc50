// Styles the admin sections share: forms in a column (each label above its input), tables with a
// caption, a row of actions. Colours from the design tokens (after consoleStyles).
import { css } from 'lit';

export const adminStyles = css`
  :host { display: grid; gap: 1em; align-content: start; }
  h2 { margin: 0; font-size: 1.2em; }
  h3 { margin: 0; font-size: 1.05em; }
  form, .form { display: grid; gap: 0.9em; max-inline-size: 46em; }
  fieldset { border: 1px solid var(--rh-color-border-subtle); border-radius: var(--rh-radius-md); padding: 0.6em 0.9em; margin: 0; display: grid; gap: 0.4em; }
  legend { font-weight: 600; padding-inline: 0.3em; }
  .field { display: grid; gap: 0.25em; }
  .field > label, .field > .label { font-weight: 600; }
  .check { display: flex; gap: 0.5em; align-items: center; }
  .choices { display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; }
  input[type='text'], input[type='email'], input[type='search'], input[type='number'], input[type='date'], select, textarea {
    max-inline-size: 100%;
  }
  textarea { min-block-size: 5em; font-family: var(--rh-font-mono, ui-monospace, monospace); }
  .hint { color: var(--rh-color-text-muted); font-size: 0.9em; margin: 0; font-weight: normal; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; }
  .status { color: var(--rh-color-success); margin: 0; }
  /* A file field: the button that opens the hidden input, and what was picked beside it. */
  .file-pick { display: flex; flex-wrap: wrap; align-items: center; gap: var(--rh-space-2) var(--rh-space-3); }
  .file-pick .file-name { overflow-wrap: anywhere; min-inline-size: 0; }
  table { border-collapse: collapse; inline-size: 100%; }
  caption { text-align: start; font-weight: 600; padding-block-end: 0.4em; }
  th, td { text-align: start; padding: 0.35em 0.6em; border-block-end: 1px solid var(--rh-color-border-subtle); vertical-align: top; }
  thead th { background: var(--rh-color-surface-raised); border-block-end: 1px solid var(--rh-color-border); white-space: nowrap; }
  td ul { margin: 0; padding-inline-start: 1.1em; }
  .badge { display: inline-block; font-size: 0.8em; padding: 0.05em 0.5em; border-radius: 999px; background: var(--rh-color-accent-subtle); color: var(--rh-color-text); margin-inline-start: 0.4em; }
  .empty { color: var(--rh-color-text-muted); text-align: center; padding-block: var(--rh-space-4); }
  .empty strong { display: block; color: var(--rh-color-text); }
  .invalid { color: var(--rh-color-danger); margin: 0; }
  .scroll { overflow-x: auto; }
`;
