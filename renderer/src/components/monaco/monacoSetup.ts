/**
 * The Monaco editor as Topograph uses it: the editor core with its contributions, JSON (with its
 * worker), XML and YAML highlighting and a hex dump language; none of the other ~80 languages.
 * Loaded lazily by loadMonaco(), so none of this is in the first bundle. Workers are separate
 * same-origin files (CSP `worker-src 'self'`).
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
// The JSON language loads Monaco's worker glue, which brings every editor contribution with it.
// Loading that set before the first editor exists lets each contribution find the services it
// needs (loaded later, CodeLens and drop-into-editor fail to start).
import 'monaco-editor/internal/common/workers.js';
import 'monaco-editor/languages/features/json/register.js';
import 'monaco-editor/languages/definitions/xml/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker.js?worker';
import { registerHexdump } from './hexdump';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

registerHexdump(monaco);

export { monaco };
