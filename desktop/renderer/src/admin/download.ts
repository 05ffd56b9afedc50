// Saves text as a file from the renderer: a Blob behind a temporary anchor with `download`, which
// works the same in Electron and in a browser on the console host.
export function downloadText(doc: Document, filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // The click has started the download synchronously; the URL can go after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
