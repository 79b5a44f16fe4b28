import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import MessageHeader from '@renderer/components/inspector/MessageHeader.vue';
import PropertiesView from '@renderer/components/inspector/PropertiesView.vue';
import { installFakeApi } from '../tree/fakeApi';
import { record, text } from './fixtures';

describe('inspector metadata', () => {
  beforeEach(() => {
    installFakeApi();
    setActivePinia(createPinia());
  });

  it('shows topic, time with milliseconds, size, QoS, retain and dup', () => {
    const header = mount(MessageHeader, { props: { topic: 'home/kitchen/temp', message: record({ payload: new Uint8Array(2048) }), pinned: false } });
    expect(header.find('[data-testid="inspector-topic"]').text()).toBe('home/kitchen/temp');
    expect(header.find('[data-testid="meta-time"]').text()).toBe('2025-03-01 14:03:27.518');
    expect(header.find('[data-testid="meta-size"]').text()).toBe('2.0 KB');
    expect(header.find('[data-testid="meta-size"]').attributes('title')).toBe('2,048 bytes');
    expect(header.find('[data-testid="meta-qos"]').text()).toBe('1');
    expect(header.find('[data-testid="meta-retain"]').text()).toBe('yes');
    expect(header.find('[data-testid="meta-dup"]').text()).toBe('no');
  });

  it('offers a way back to the latest message when an older one is shown', async () => {
    const header = mount(MessageHeader, { props: { topic: 't', message: record(), pinned: true } });
    await header.find('.message-header__link').trigger('click');
    expect(header.emitted('latest')).toHaveLength(1);
  });
});

describe('properties table', () => {
  beforeEach(() => {
    installFakeApi();
    setActivePinia(createPinia());
  });

  it('lists user properties in the order received, repeated names included', () => {
    const view = mount(PropertiesView, {
      props: {
        message: record({
          properties: {
            userProperties: [
              { name: 'zone', value: 'north' },
              { name: 'unit', value: '°C' },
              { name: 'zone', value: 'east' },
            ],
          },
        }),
      },
    });
    const rows = view.findAll('[data-testid="user-properties"] tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()));
    expect(rows).toEqual([
      ['1', 'zone', 'north'],
      ['2', 'unit', '°C'],
      ['3', 'zone', 'east'],
    ]);
    expect(view.find('.properties__note').text()).toMatch(/groups repeated names/);
  });

  it('shows correlation data as text and as hex', () => {
    const view = mount(PropertiesView, { props: { message: record({ properties: { correlationData: text('req-42') } }) } });
    const cell = view.find('[data-property="cd"]');
    expect(cell.find('.properties__value').text()).toBe('req-42');
    expect(cell.find('.properties__detail').text()).toContain('72 65 71 2d 34 32');
  });

  it('says when correlation data is not text and still shows its hex', () => {
    const view = mount(PropertiesView, { props: { message: record({ properties: { correlationData: new Uint8Array([0xff, 0x00, 0x10]) } }) } });
    const cell = view.find('[data-property="cd"]');
    expect(cell.find('.properties__value').text()).toBe('(not UTF-8 text)');
    expect(cell.find('.properties__detail').text()).toContain('ff 00 10');
  });

  it('shows every other v5 property', () => {
    const view = mount(PropertiesView, {
      props: {
        message: record({
          properties: {
            payloadFormatIndicator: true,
            messageExpiryInterval: 3600,
            contentType: 'application/json',
            responseTopic: 'reply/here',
            subscriptionIdentifiers: [3, 17],
            topicAlias: 4,
          },
        }),
      },
    });
    const table = Object.fromEntries(view.findAll('[data-testid="properties"] tr').map((tr) => [tr.find('th').text(), tr.find('.properties__value').text()]));
    expect(table).toEqual({
      'Payload format indicator': '1 — UTF-8 text',
      'Message expiry interval': '3,600 s',
      'Content type': 'application/json',
      'Response topic': 'reply/here',
      'Subscription identifiers': '3, 17',
      'Topic alias': '4',
    });
  });

  it('says so when there are no properties', () => {
    const view = mount(PropertiesView, { props: { message: record() } });
    expect(view.text()).toContain('No MQTT 5 properties');
  });
});

describe('history merging', () => {
  it('keeps each message once, newest first, when pages and live updates overlap', async () => {
    const { mergeNewestFirst } = await import('@renderer/stores/messages');
    const m = (id: number) => ({ id, topic: 't', time: id, size: 1, qos: 0 as const, retain: false, preview: '', previewCut: false });
    expect(mergeNewestFirst([m(9), m(8)], [m(8), m(7)], [m(9)]).map((x) => x.id)).toEqual([9, 8, 7]);
  });
});
