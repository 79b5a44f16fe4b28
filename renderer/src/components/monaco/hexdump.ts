import type * as Monaco from 'monaco-editor/editor/editor.api.js';

/**
 * A small tokenizer for hex dumps (`00000010  7b 22 61 22 ...  |{"a"...|`): offsets, bytes and
 * the ASCII column each get their own colour, so a person can find their way in binary payloads.
 */
export function registerHexdump(monaco: typeof Monaco): void {
  monaco.languages.register({ id: 'hexdump' });
  monaco.languages.setMonarchTokensProvider('hexdump', {
    tokenizer: {
      root: [
        [/^[0-9a-fA-F]{4,16}:?/, 'comment'],
        [/\|[^|\n]*\|\s*$/, 'string'],
        [/\b[0-9a-fA-F]{2}\b/, 'number.hex'],
        [/\S+/, 'keyword'],
      ],
    },
  });
}
