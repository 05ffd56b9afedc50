// The console's own component styles on the design tokens (ui/src/design/tokens.css, linked by
// index.html; custom properties cross shadow roots). Put after baseStyles: the same controls, drawn
// from the tokens, so the light, dark and forced-colour themes and an organization's accent apply
// everywhere in the console. Logical properties only (Arabic mirrors).
import { css } from 'lit';

export const consoleStyles = css`
  :host {
    font-family: var(--rh-font-sans, system-ui, sans-serif);
    line-height: var(--rh-line, 1.5);
    color: var(--rh-color-text);
  }
  a { color: var(--rh-color-accent); }
  button {
    font: inherit; line-height: 1.25;
    display: inline-flex; align-items: center; justify-content: center; gap: var(--rh-space-2);
    min-block-size: 2.25rem; padding-block: var(--rh-space-1); padding-inline: var(--rh-space-4);
    border-radius: var(--rh-radius-md); border: 1px solid var(--rh-color-border);
    background: var(--rh-color-surface); color: var(--rh-color-text);
    cursor: pointer;
    transition: background-color var(--rh-duration), border-color var(--rh-duration);
  }
  button:not(.primary, .danger):hover:not(:disabled) { background: var(--rh-color-surface-raised); }
  button.primary { background: var(--rh-color-accent); border-color: var(--rh-color-accent); color: var(--rh-color-on-accent); }
  button.danger { background: var(--rh-color-danger); border-color: var(--rh-color-danger); color: var(--rh-color-on-danger); }
  button.primary:hover:not(:disabled), button.danger:hover:not(:disabled) { filter: brightness(1.08); }
  button:disabled { opacity: 0.6; cursor: default; }
  input, select, textarea {
    font: inherit; color: var(--rh-color-text); background: var(--rh-color-surface);
    border: 1px solid var(--rh-color-border); border-radius: var(--rh-radius-sm);
    padding-block: var(--rh-space-1); padding-inline: var(--rh-space-2); min-block-size: 2.25rem;
    box-sizing: border-box;
  }
  input[type='checkbox'], input[type='radio'] { min-block-size: auto; accent-color: var(--rh-color-accent); }
  input[type='color'] { padding: 2px; inline-size: 3rem; }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, a:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--rh-color-focus); outline-offset: 2px;
  }
  dialog {
    background: var(--rh-color-surface); color: var(--rh-color-text);
    border: 1px solid var(--rh-color-border); border-radius: var(--rh-radius-lg);
    box-shadow: var(--rh-shadow-card); padding: var(--rh-space-5);
  }
  dialog::backdrop { background: rgb(0 0 0 / 0.45); }
  .error {
    color: var(--rh-color-danger); background: var(--rh-color-danger-subtle);
    border-inline-start: 4px solid var(--rh-color-danger); border-radius: var(--rh-radius-sm);
    padding-block: var(--rh-space-2); padding-inline: var(--rh-space-3);
  }
  .notice {
    color: var(--rh-color-text); background: var(--rh-color-warning-subtle);
    border-inline-start: 4px solid var(--rh-color-warning); border-radius: var(--rh-radius-sm);
    padding-block: var(--rh-space-2); padding-inline: var(--rh-space-3);
  }
  .hint, .muted { color: var(--rh-color-text-muted); }
  /* An empty list: what is (not) there, and what to do next. */
  .rh-empty { color: var(--rh-color-text-muted); padding-block: var(--rh-space-5); padding-inline: var(--rh-space-4); text-align: center; }
  .rh-empty strong { display: block; color: var(--rh-color-text); margin-block-end: var(--rh-space-1); }
  /* Times and dates never break over lines; a table too wide for its column scrolls in its own box. */
  time, .nowrap { white-space: nowrap; }
  .scroll { overflow-x: auto; max-inline-size: 100%; }
  @media (forced-colors: active) {
    button, input, select, textarea, dialog { border-color: CanvasText; }
    button.primary { forced-color-adjust: none; background: Highlight; color: HighlightText; border-color: Highlight; }
  }
`;
