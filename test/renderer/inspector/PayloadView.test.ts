import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { DecodedPayload, DecoderName } from '@common/api';
import { ApiFailure } from '@common/result';
import PayloadView from '@renderer/components/inspector/PayloadView.vue';
import { installFakeApi, type FakeApi } from '../tree/fakeApi';
import { record, text } from './fixtures';

const C = 'conn-1';
let api: FakeApi;

const decodedAs = (decoder: DecoderName, extra: Partial<DecodedPayload> = {}): DecodedPayload => ({
  decoder: decoder === 'auto' ? 'json' : decoder,
  language: decoder === 'hex' ? 'hexdump' : 'json',
  text: `decoded with ${decoder}`,
  size: 10,
  ms: 2,
  ...extra,
});

describe('payload decoder', () => {
  beforeEach(() => {
    api = installFakeApi();
    api.on('messages.decode', ({ decoder }) => decodedAs(decoder ?? 'auto'));
    setActivePinia(createPinia());
  });

  it('remembers the decoder per topic in the profile settings', async () => {
    const first = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record({ id: 1 }) } });
    await flushPromises();
    expect(api.callsOf('messages.decode').at(-1)?.decoder).toBe('auto');

    await first.find('select').setValue('3'); // hex
    await flushPromises();
    expect(api.callsOf('settings.set')).toContainEqual({ scope: C, key: 'decoder:a/b', value: 'hex' });
    expect(api.callsOf('messages.decode').at(-1)).toMatchObject({ connectionId: C, id: 1, decoder: 'hex' });
    expect(first.find('[data-testid="monaco-editor"]').attributes('data-language')).toBe('hexdump');
    first.unmount();

    // Another topic keeps its own choice; coming back to the first restores hex.
    const other = mount(PayloadView, { props: { connectionId: C, topic: 'a/c', message: record({ id: 2 }) } });
    await flushPromises();
    expect(api.callsOf('messages.decode').at(-1)).toMatchObject({ id: 2, decoder: 'auto' });
    other.unmount();
    mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record({ id: 3 }) } });
    await flushPromises();
    expect(api.callsOf('messages.decode').at(-1)).toMatchObject({ id: 3, decoder: 'hex' });
  });

  it('uses a decoder saved in an earlier session from the first decode on', async () => {
    api.on('settings.get', ({ scope }) => (scope === C ? { 'decoder:a/b': 'cbor' } : {}));
    mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record({ id: 1 }) } });
    await flushPromises();
    expect(api.callsOf('messages.decode').map((p) => p.decoder)).toEqual(['cbor']);
  });

  it('says when the chosen decoder failed and shows the bytes as hex', async () => {
    api.on('messages.decode', () =>
      decodedAs('cbor', { language: 'hexdump', text: '00000000  7b 22 74 22  |{"t"|', error: 'The payload is not valid CBOR (unexpected end of data).' }),
    );
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record() } });
    await flushPromises();
    expect(view.find('[data-testid="decode-error"]').text()).toContain('The payload is not valid CBOR (unexpected end of data).');
    const editor = view.find('[data-testid="monaco-editor"]');
    expect((editor.element as HTMLTextAreaElement).value).toContain('7b 22 74 22');
    expect(editor.attributes('data-language')).toBe('hexdump');
  });

  it('still shows a hex dump when the engine cannot decode at all', async () => {
    api.on('messages.decode', () => {
      throw new ApiFailure('not-found', 'This message is no longer stored; retention removed it.');
    });
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record({ payload: text('AB') }) } });
    await flushPromises();
    expect(view.find('[data-testid="decode-error"]').text()).toContain('retention removed it');
    expect((view.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value).toContain('00000000  41 42');
  });

  it('shows size and decode time, never HTML', async () => {
    api.on('messages.decode', () => decodedAs('text', { language: 'plaintext', text: '<img src=x onerror=alert(1)>', size: 2_500_000, ms: 140 }));
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record() } });
    await flushPromises();
    expect(view.find('[data-testid="decode-summary"]').text()).toBe('detected UTF-8 text · 2.4 MB · decoded in 140 ms');
    expect(view.find('img').exists()).toBe(false);
  });

  it('asks for a .proto file before decoding protobuf, then sends it with the message type', async () => {
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record() } });
    await flushPromises();
    await view.find('select').setValue('8'); // protobuf
    await flushPromises();
    expect(view.text()).toContain('Choose the .proto file');
    const before = api.callsOf('messages.decode').length;

    const source = 'syntax = "proto3";\npackage demo;\nmessage Reading { double t = 1; }\n';
    const input = view.find('[data-testid="proto-file"]');
    Object.defineProperty(input.element, 'files', { value: [new File([source], 'reading.proto')] });
    await input.trigger('change');
    await flushPromises();
    const call = api.callsOf('messages.decode').slice(before).at(-1);
    expect(call).toMatchObject({ decoder: 'protobuf', proto: { source, messageType: 'demo.Reading' } });
  });
});

describe('very large payloads', () => {
  beforeEach(() => {
    api = installFakeApi();
    setActivePinia(createPinia());
  });

  it('gives the editor the beginning of a huge text and the rest on request', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const huge = line.repeat(30_000); // 3 MB
    api.on('messages.decode', () => decodedAs('text', { language: 'plaintext', text: huge, size: huge.length, ms: 900 }));
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record() } });
    await flushPromises();
    const editor = () => (view.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value;
    expect(editor().length).toBeLessThanOrEqual(1_000_000);
    expect(huge.startsWith(editor())).toBe(true);
    expect(view.find('[data-testid="payload-cut"]').text()).toContain('of 2.9 MB');
    await view.find('[data-testid="payload-cut"] button').trigger('click');
    expect(editor()).toBe(huge);
    expect(view.find('[data-testid="payload-cut"]').exists()).toBe(false);
  });

  it('asks the engine for only the head of the text and for the whole text on "Show all"', async () => {
    const whole = 'y'.repeat(3_000_000);
    api.on('messages.decode', ({ maxChars }) => {
      const cut = maxChars !== undefined && maxChars < whole.length;
      const text = cut ? whole.slice(0, maxChars) : whole;
      return decodedAs('text', { language: 'plaintext', text, size: whole.length, ms: 5, ...(cut ? { truncated: true as const, textLength: whole.length } : {}) });
    });
    const view = mount(PayloadView, { props: { connectionId: C, topic: 'a/b', message: record({ payloadTruncated: true, payloadSize: whole.length }) } });
    await flushPromises();
    const editor = () => (view.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value;
    const first = api.callsOf('messages.decode').at(-1);
    expect(first?.maxChars).toBeGreaterThan(0);
    expect(editor().length).toBe(first?.maxChars);
    expect(view.find('[data-testid="payload-cut"]').text()).toContain('of 2.9 MB');
    await view.find('[data-testid="payload-cut"] button').trigger('click');
    await flushPromises();
    expect(api.callsOf('messages.decode').at(-1)?.maxChars).toBeUndefined();
    expect(editor()).toBe(whole);
    expect(view.find('[data-testid="payload-cut"]').exists()).toBe(false);
  });
});
