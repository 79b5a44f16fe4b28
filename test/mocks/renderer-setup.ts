/**
 * Setup for renderer component tests: Monaco's wrappers become stubs (test/mocks/monaco.ts).
 * Nothing else is mocked here; a test talks to a fake TopographApi through useTransport().
 */
import { vi } from 'vitest';

vi.mock('@renderer/components/monaco/MonacoEditor.vue', async () => ({ default: (await import('./monaco')).MonacoEditorStub }));
vi.mock('@renderer/components/monaco/MonacoDiff.vue', async () => ({ default: (await import('./monaco')).MonacoDiffStub }));
