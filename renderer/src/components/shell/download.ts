/**
 * Files in and out of the renderer, which cannot touch the disk itself: a download through a Blob
 * link, and a file the person picks through <input type=file>.
 */

export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads the text of a file the person chose; null when they cancel. */
export function pickTextFile(accept = '.json,application/json'): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then(
        (text) => resolve({ name: file.name, text }),
        () => resolve(null),
      );
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

/** A file name safe on every OS, with today's date: "topograph-profiles-2025-01-31.json". */
export function datedFileName(base: string, extension: string): string {
  const day = new Date().toISOString().slice(0, 10);
  return `${base.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'topograph'}-${day}.${extension}`;
}
