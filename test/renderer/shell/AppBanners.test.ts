import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import type { AppInfo } from '@common/api';
import AppBanners from '@renderer/components/shell/AppBanners.vue';
import { toasts } from '@renderer/components/ui/toast';
import { installFakeApi } from './fake-api';

// A start-up problem as main reports it (electron/main/sandbox.ts words the real one).
const NO_SANDBOX = "Topograph is running with Chromium's OS sandbox turned off (--no-sandbox). Install the .deb or .rpm package instead.";

const info = (overrides: Partial<AppInfo> = {}): AppInfo => ({
  version: '0.1.0',
  host: 'desktop',
  platform: 'linux',
  dataDir: '/tmp/topograph',
  secretStorage: { kind: 'safeStorage' },
  problems: [],
  ...overrides,
});

beforeEach(() => {
  toasts.value = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('AppBanners', () => {
  it('shows the weak secret storage warning in its banner', async () => {
    installFakeApi().on('app.info', () => info({ secretStorage: { kind: 'basic_text', warning: 'Your desktop has no keyring.' } }));
    const wrapper = mount(AppBanners);
    await flushPromises();
    expect(wrapper.get('[data-test="secret-banner"]').text()).toContain('Your desktop has no keyring.');
  });

  it('shows the sandbox being off as a warning that stays until dismissed', async () => {
    installFakeApi().on('app.info', () => info({ problems: [NO_SANDBOX] }));
    mount(AppBanners);
    await flushPromises();
    vi.advanceTimersByTime(60_000);
    expect(toasts.value.map(({ kind, message }) => ({ kind, message }))).toEqual([{ kind: 'warning', message: NO_SANDBOX }]);
  });
});
