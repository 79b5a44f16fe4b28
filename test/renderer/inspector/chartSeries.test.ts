import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { MessageSummary } from '@common/model';
import ChartView from '@renderer/components/inspector/chart/ChartView.vue';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

/** Settings as the engine keeps them: per scope, surviving a new window (a fresh Pinia). */
let stored: Record<string, Record<string, unknown>>;
let api: FakeApi;
function freshWindow(): void {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('settings.get', ({ scope }) => ({ ...stored[scope] }));
  api.on('settings.set', ({ scope, key, value }) => {
    stored[scope] = { ...stored[scope], [key]: value };
  });
  api.on('messages.history', (): MessageSummary[] => []);
}
beforeEach(() => {
  stored = {};
  freshWindow();
});

const mounted: VueWrapper[] = [];
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
});
async function mountChart(connectionId: string, topic = 'plant/boiler'): Promise<VueWrapper> {
  // uPlot draws on a canvas, which happy-dom does not have; the series list is what is tested here.
  const wrapper = mount(ChartView, { props: { connectionId, topic, message: null }, attachTo: document.body, global: { stubs: { TimeChart: true } } });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}
const seriesShown = (wrapper: VueWrapper) => wrapper.findAll('.chart__item .chart__label').map((label) => label.text());
async function addPath(wrapper: VueWrapper, path: string): Promise<void> {
  await wrapper.find('input[aria-label="JSON path to chart"]').setValue(path);
  await wrapper.find('form.chart__add').trigger('submit');
  await flushPromises();
}

describe('chart series per profile', () => {
  it("saves the series in the profile's settings and shows them again in a new window, for that profile only", async () => {
    const chart = await mountChart('p1');
    await addPath(chart, '$.temperature');
    await addPath(chart, '$.pressure');
    expect(seriesShown(chart)).toEqual(['$.temperature plant/boiler', '$.pressure plant/boiler']);
    expect(stored.p1?.['chart:series']).toEqual([
      { topic: 'plant/boiler', path: '$.temperature' },
      { topic: 'plant/boiler', path: '$.pressure' },
    ]);
    chart.unmount();
    mounted.splice(0);

    freshWindow();
    const again = await mountChart('p1', 'plant/other');
    expect(seriesShown(again)).toEqual(['$.temperature plant/boiler', '$.pressure plant/boiler']);
    const otherProfile = await mountChart('p2');
    expect(seriesShown(otherProfile)).toEqual([]);
    expect(otherProfile.text()).toContain('Nothing charted yet');
  });

  it('saves the shorter list when a series is removed, and nothing for a path it cannot read', async () => {
    stored = { p1: { 'chart:series': [{ topic: 'plant/boiler', path: '$.temperature' }, { topic: 'plant/pump', path: '' }] } };
    freshWindow();
    const chart = await mountChart('p1');
    expect(seriesShown(chart)).toEqual(['$.temperature plant/boiler', 'value plant/pump']);
    await chart.find('button[title="Remove $.temperature · plant/boiler"]').trigger('click');
    await flushPromises();
    expect(stored.p1?.['chart:series']).toEqual([{ topic: 'plant/pump', path: '' }]);

    await addPath(chart, '$.[oops');
    expect(chart.find('.chart__error[role="alert"]').exists()).toBe(true);
    expect(stored.p1?.['chart:series']).toEqual([{ topic: 'plant/pump', path: '' }]);
    // Adding a series already charted does not save it twice.
    await addPath(chart, '');
    await chart.setProps({ topic: 'plant/pump' });
    await addPath(chart, '');
    expect(stored.p1?.['chart:series']).toEqual([
      { topic: 'plant/pump', path: '' },
      { topic: 'plant/boiler', path: '' },
    ]);
  });

  it('ignores saved entries that are not series', async () => {
    stored = { p1: { 'chart:series': [{ topic: 'plant/boiler', path: '$.t' }, { topic: 3 }, 'junk'] } };
    freshWindow();
    const chart = await mountChart('p1');
    expect(seriesShown(chart)).toEqual(['$.t plant/boiler']);
  });
});
