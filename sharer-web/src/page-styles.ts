// Page-level styles, adopted from script (the same way the components get theirs), so the pages
// need no inline <style> and work under a strict Content-Security-Policy.
import { css } from 'lit';

export const pageStyles = css`
  body { margin: 0; font-family: system-ui, sans-serif; background: #fafafc; color: #1a1a22; }
  main { max-inline-size: 72rem; margin-inline: auto; padding-block: 1.5rem; padding-inline: 1rem; }
  h1 { font-size: 1.5rem; margin-block: 0.5rem 1rem; }
  .product-bar { display: flex; justify-content: space-between; align-items: center; gap: 1em; flex-wrap: wrap; margin-block-end: 0.5rem; }
  .product-bar .product { margin-block: 0; }
  .product { display: flex; gap: 0.75em; align-items: baseline; margin-block: 0 0.5rem; font-weight: 700; color: #0b57d0; }
  .product .organization { font-weight: 600; color: #3c3c46; }
  .product .organization::before { content: "·"; margin-inline-end: 0.75em; color: #8a8a96; }
  .steps { padding-inline-start: 1.5em; line-height: 1.5; }
  .account { display: flex; gap: 1em; align-items: center; justify-content: flex-end; flex-wrap: wrap; }
  button, .button {
    font: inherit; padding-block: 0.45em; padding-inline: 1em; border-radius: 6px; border: 1px solid #5a5a66;
    background: #f4f4f8; color: #1a1a22; cursor: pointer; text-decoration: none; display: inline-block;
  }
  .primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
  button:focus-visible, a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .notice { border-inline-start: 4px solid #e37400; background: #fff4e5; padding-block: 0.5em; padding-inline: 1em; }
  .error { color: #b3261e; background: #fdecea; border-inline-start: 4px solid #b3261e; padding-block: 0.5em; padding-inline: 0.75em; }
`;

export function adoptPageStyles(doc: Document): void {
  if (pageStyles.styleSheet) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, pageStyles.styleSheet];
}
