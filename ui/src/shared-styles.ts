// Styles every rh-* element shares, from the design tokens (ui/src/design/tokens.css; custom properties
// cross shadow roots, so light, dark, forced colours and an organization's accent reach every element):
// the same buttons, fields, cards and messages as the page base (page.css), a visible focus ring on
// every control, no motion when the person asked for less, system colours in forced-colour mode.
// Logical properties only, so right-to-left locales mirror without extra rules. A colour token that is
// missing (a host without tokens.css) falls back to the inherited colour, never to an unreadable one.
import { css } from 'lit';

export const baseStyles = css`
  :host {
    font-family: var(--rh-font-sans, system-ui, sans-serif);
    color: var(--rh-color-text);
    line-height: var(--rh-line, 1.5);
  }
  [hidden] {
    display: none !important;
  }
  *, *::before, *::after {
    box-sizing: border-box;
  }
  button, .button {
    font: inherit;
    line-height: 1.25;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--rh-space-2, 0.5rem);
    min-block-size: 2.5rem;
    padding-block: var(--rh-space-2, 0.5rem);
    padding-inline: var(--rh-space-4, 1rem);
    border-radius: var(--rh-radius-md, 8px);
    border: 1px solid var(--rh-color-border);
    background: var(--rh-color-surface);
    color: var(--rh-color-text);
    cursor: pointer;
    text-decoration: none;
    transition: background-color var(--rh-duration, 150ms), border-color var(--rh-duration, 150ms);
  }
  button:hover, .button:hover {
    background: var(--rh-color-surface-raised);
  }
  button.primary, .button.primary {
    background: var(--rh-color-accent);
    border-color: var(--rh-color-accent);
    color: var(--rh-color-on-accent);
  }
  button.danger, .button.danger {
    background: var(--rh-color-danger);
    border-color: var(--rh-color-danger);
    color: var(--rh-color-on-danger);
  }
  button.primary:hover, button.danger:hover, .button.primary:hover, .button.danger:hover {
    filter: brightness(1.08);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  a {
    color: var(--rh-color-link);
  }
  input, select, textarea {
    font: inherit;
    color: var(--rh-color-text);
    background: var(--rh-color-surface);
    border: 1px solid var(--rh-color-border);
    border-radius: var(--rh-radius-sm, 4px);
    padding-block: var(--rh-space-2, 0.5rem);
    padding-inline: var(--rh-space-3, 0.75rem);
    min-block-size: 2.5rem;
  }
  /* Visible focus on every control, in every theme; also on anything focused by script (tabindex). */
  :focus-visible {
    outline: 3px solid var(--rh-color-focus, Highlight);
    outline-offset: 2px;
  }
  /* The same look as page.css's .rh-card, inside a shadow root. */
  .card {
    background: var(--rh-color-surface);
    color: var(--rh-color-text);
    border: 1px solid var(--rh-color-border-subtle);
    border-radius: var(--rh-radius-lg, 12px);
    box-shadow: var(--rh-shadow-card, none);
    padding: var(--rh-space-5, 1.5rem);
  }
  .card > :first-child {
    margin-block-start: 0;
  }
  .card > :last-child {
    margin-block-end: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--rh-space-3, 0.75rem);
    align-items: center;
  }
  .hint {
    color: var(--rh-color-text-muted);
    font-size: var(--rh-text-sm, 0.875rem);
  }
  .error {
    color: var(--rh-color-danger);
    background: var(--rh-color-danger-subtle);
    border-inline-start: 4px solid var(--rh-color-danger);
    border-radius: var(--rh-radius-sm, 4px);
    padding-block: var(--rh-space-2, 0.5rem);
    padding-inline: var(--rh-space-3, 0.75rem);
    margin-block: var(--rh-space-2, 0.5rem);
  }
  .notice {
    color: var(--rh-color-text);
    background: var(--rh-color-warning-subtle);
    border-inline-start: 4px solid var(--rh-color-warning);
    border-radius: var(--rh-radius-sm, 4px);
    padding-block: var(--rh-space-2, 0.5rem);
    padding-inline: var(--rh-space-3, 0.75rem);
  }
  .empty {
    color: var(--rh-color-text-muted);
    text-align: center;
    padding-block: var(--rh-space-4, 1rem);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *, *::before, *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  /* Forced colours: system colours directly (an organization's accent set on <html> must not leak in),
     every control bordered, the main action still told apart. */
  @media (forced-colors: active) {
    button, .button, input, select, textarea, .card {
      border: 1px solid CanvasText;
    }
    button.primary, .button.primary {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
      border-color: Highlight;
    }
    button:disabled, button.primary:disabled {
      background: Canvas;
      color: GrayText;
      border-color: GrayText;
    }
    .error, .notice {
      border-inline-start-color: CanvasText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
