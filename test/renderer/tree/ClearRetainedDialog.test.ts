import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { RetainedClearProgress } from '@common/api';
import ClearRetainedDialog from '@renderer/components/tree/ClearRetainedDialog.vue';
import { installFakeApi, type FakeApi } from './fakeApi';

const C = 'conn-1';
const NODE = 7;
let api: FakeApi;
let wrapper: VueWrapper | undefined;

const open = async (): Promise<VueWrapper> => {
  wrapper = mount(ClearRetainedDialog, { props: { open: true, connectionId: C, nodeId: NODE, topic: 'attic' }, global: { stubs: { teleport: true } } });
  await flushPromises();
  return wrapper;
};
const progress = (p: Partial<RetainedClearProgress>): void =>
  api.emit({ type: 'retained.progress', progress: { connectionId: C, nodeId: NODE, done: 0, failed: 0, total: 3, ...p } });
const status = (w: VueWrapper): string => w.find('[role="status"]').text().replace(/\s+/g, ' ');

describe('ClearRetainedDialog', () => {
  beforeEach(() => {
    api = installFakeApi();
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('says how far the clear has come and lists what failed', async () => {
    api.on('retained.count', () => ({ count: 3, topics: ['attic/a', 'attic/b', 'attic/c'] }));
    let finish: (result: { cleared: number; failed: { topic: string; error: string }[] }) => void = () => undefined;
    api.on('retained.clear', () => new Promise((resolve) => (finish = resolve)));
    const w = await open();
    expect(w.text()).toContain('3 retained messages under attic will be cleared.');

    const clearButton = w.findAll('button').find((b) => b.text().includes('Clear 3 retained'));
    expect(clearButton).toBeDefined();
    await clearButton?.trigger('click');
    await flushPromises();
    expect(api.callsOf('retained.clear')).toEqual([{ connectionId: C, nodeId: NODE, subtree: true }]);
    expect(status(w)).toBe('Clearing 0 of 3…');

    progress({ done: 1 });
    await flushPromises();
    expect(status(w)).toBe('Clearing 1 of 3…');
    // Another node's clear is not this dialog's.
    api.emit({ type: 'retained.progress', progress: { connectionId: C, nodeId: NODE + 1, done: 9, failed: 0, total: 9 } });
    progress({ done: 2, failed: 1 });
    await flushPromises();
    expect(status(w)).toBe('Clearing 2 of 3… 1 failed so far.');

    finish({ cleared: 2, failed: [{ topic: 'attic/b', error: 'The broker refused the message: Not authorized (0x87).' }] });
    await flushPromises();
    expect(status(w)).toBe('Cleared 2 retained messages.');
    expect(w.text()).toContain('1 could not be cleared:');
    expect(w.find('.clear-retained__list li').text()).toBe('attic/b — The broker refused the message: Not authorized (0x87).');
  });

  it('says there is nothing to clear and offers only Close when nothing is retained', async () => {
    api.on('retained.count', () => ({ count: 0, topics: [] }));
    const w = await open();
    expect(w.text()).toContain('There are no retained messages under attic. Nothing to clear.');
    expect(w.findAll('button').map((b) => b.text())).not.toContain('Clear 0 retained');
    expect(w.findAll('button').some((b) => b.text() === 'Close')).toBe(true);
    expect(api.callsOf('retained.clear')).toEqual([]);
  });
});
