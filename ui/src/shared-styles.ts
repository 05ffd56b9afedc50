// Styles every rh-* element shares: readable buttons with a visible focus ring, logical properties
// only (so right-to-left locales mirror without extra rules).
import { css } from 'lit';

export const baseStyles = css`
  :host {
    font-family: system-ui, sans-serif;
    color: CanvasText;
    line-height: 1.4;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    padding-block: 0.45em;
    padding-inline: 1em;
    border-radius: 6px;
    border: 1px solid #5a5a66;
    background: #f4f4f8;
    color: #1a1a22;
    cursor: pointer;
  }
  button.primary {
    background: #0b57d0;
    border-color: #0b57d0;
    color: #fff;
  }
  button.danger {
    background: #b3261e;
    border-color: #b3261e;
    color: #fff;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  a:focus-visible {
    outline: 3px solid #1a73e8;
    outline-offset: 2px;
  }
  .error {
    color: #b3261e;
    background: #fdecea;
    border-inline-start: 4px solid #b3261e;
    padding-block: 0.5em;
    padding-inline: 0.75em;
    margin-block: 0.5em;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
