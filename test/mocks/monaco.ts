/**
 * Stand-ins for the Monaco wrapper components in component tests (happy-dom cannot run Monaco).
 * They keep the wrappers' props and events, so a test can read what an editor would show and type
 * into it. Only the wrappers are replaced; everything else in a test is real.
 */
/* eslint-disable vue/one-component-per-file -- the two stand-ins belong together */
import { defineComponent, h, ref } from 'vue';
import type { PropType } from 'vue';

export interface StubMarker {
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export const MonacoEditorStub = defineComponent({
  name: 'MonacoEditor',
  props: {
    value: { type: String, required: true },
    language: { type: String, required: true },
    readOnly: { type: Boolean, default: false },
    wordWrap: { type: Boolean, default: false },
    lineNumbers: { type: Boolean, default: true },
    placeholder: { type: String, default: undefined },
  },
  emits: { 'update:value': (value: string) => typeof value === 'string', ready: () => true },
  setup(props, { emit, expose }) {
    const markers = ref<StubMarker[]>([]);
    expose({
      setMarkers: (list: StubMarker[]) => {
        markers.value = list.map((m) => ({ message: m.message, severity: m.severity }));
      },
      focus: () => undefined,
      foldAll: () => undefined,
    });
    return () =>
      h('textarea', {
        class: 'monaco-stub',
        'data-testid': 'monaco-editor',
        'data-language': props.language,
        'data-markers': JSON.stringify(markers.value),
        readonly: props.readOnly,
        value: props.value,
        onInput: (event: Event) => emit('update:value', (event.target as HTMLTextAreaElement).value),
      });
  },
});

export const MonacoDiffStub = defineComponent({
  name: 'MonacoDiff',
  props: {
    original: { type: String, required: true },
    modified: { type: String, required: true },
    language: { type: String, required: true },
    inline: { type: Boolean as PropType<boolean>, default: false },
  },
  setup(props) {
    return () =>
      h('div', { class: 'monaco-diff-stub', 'data-testid': 'monaco-diff', 'data-language': props.language, 'data-inline': String(props.inline) }, [
        h('pre', { class: 'original' }, props.original),
        h('pre', { class: 'modified' }, props.modified),
      ]);
  },
});
