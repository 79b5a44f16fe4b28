/**
 * One line and one example per API method, for docs/API.md. Typed against the contract: a method
 * added to api.ts without an entry here, or an example that no longer fits its params, fails the
 * typecheck; test/web/api-docs.test.ts also validates every example with the real schema.
 */
import type { MethodName, ParamsOf } from '../../common/api';

export interface MethodDoc<M extends MethodName> {
  summary: string;
  /** The TypeScript type of `value` in a successful Result. */
  returns: string;
  example: ParamsOf<M>;
}

const CONN = 'b3c1d2e0-profile-id';

export const METHOD_DOCS: { [M in MethodName]: MethodDoc<M> } = {
  'app.info': { summary: 'Version, host kind (desktop or web), platform, data folder, how secrets are stored, and problems found at start.', returns: 'AppInfo', example: {} },
  'settings.get': { summary: 'All settings saved under a scope (`app`, or a profile id for per-connection settings).', returns: 'Record<string, JSON>', example: { scope: 'app' } },
  'settings.set': { summary: 'Saves one setting under a scope; any JSON value.', returns: 'void', example: { scope: 'app', key: 'theme', value: 'dark' } },

  'profiles.list': { summary: 'Every connection profile, in display order. Secrets show only as saved/not saved.', returns: 'ProfileView[]', example: {} },
  'profiles.presets': { summary: 'Ready-made profile fields for common brokers (local Mosquitto, public test brokers, ...).', returns: 'ProfilePreset[]', example: {} },
  'profiles.save': {
    summary: 'Creates a profile (no `id`) or updates one (with its `id`). Secrets are set, kept or cleared, never read back.',
    returns: 'ProfileView',
    example: {
      profile: {
        name: 'Local Mosquitto',
        host: '127.0.0.1',
        port: 1883,
        protocolVersion: 5,
        username: 'ana',
        secrets: { password: { action: 'set', value: 's3cret' } },
        subscriptions: [{ filter: 'sensors/#', qos: 1 }],
      },
    },
  },
  'profiles.duplicate': { summary: 'Copies a profile (with its secrets and settings) under a new id and name.', returns: 'ProfileView', example: { id: CONN } },
  'profiles.delete': { summary: 'Deletes a profile, its secrets, its settings and its recorded messages (its message store file); an open connection of it is closed first. A store file that cannot be removed is reported as an `app.problem` naming it; the profile is deleted anyway.', returns: 'void', example: { id: CONN } },
  'profiles.reorder': { summary: 'Sets the display order: the given ids first, in that order.', returns: 'ProfileView[]', example: { ids: [CONN, 'a7f0c9e1-other-profile'] } },
  'profiles.export': { summary: 'Profiles as JSON text for another machine; secrets only when asked for.', returns: '{ json: string }', example: { ids: [CONN], includeSecrets: false } },
  'profiles.import': { summary: 'Adds the profiles of an export; problems are reported per entry, as sentences.', returns: '{ imported: ProfileView[]; problems: string[] }', example: { json: '{"format":"topograph-profiles","version":1,"profiles":[]}' } },

  'connection.open': { summary: "Connects with a profile (the profile's id is the connection id) and subscribes to its subscriptions.", returns: 'SessionStatus', example: { connectionId: CONN } },
  'connection.close': { summary: 'Disconnects cleanly (DISCONNECT), stops reconnecting. The recorded tree stays.', returns: 'void', example: { connectionId: CONN } },
  'connection.list': { summary: 'The status of every open connection.', returns: 'SessionStatus[]', example: {} },
  'connection.stats': { summary: 'Message rates, topic and message counts and store state of every open connection.', returns: 'ConnectionStats[]', example: {} },
  'subscription.add': {
    summary: 'Subscribes on a live connection (with MQTT 5 options); the SUBACK result shows in the returned status.',
    returns: 'SessionStatus',
    example: { connectionId: CONN, subscription: { filter: 'sensors/+/temperature', qos: 1, noLocal: false, retainHandling: 0 } },
  },
  'subscription.remove': { summary: "Unsubscribes one filter. While connected an UNSUBSCRIBE is always sent and the broker's UNSUBACK for the filter is returned (0x11 = it held no such subscription); `unsuback` is null when nothing was sent. A refusing UNSUBACK (0x80 and up) is an error, and the subscription stays.", returns: '{ status: SessionStatus; unsuback: { filter: string; code: number; name: string; reasonString?: string } | null }', example: { connectionId: CONN, filter: 'sensors/+/temperature' } },
  'log.get': { summary: 'Protocol log entries (packets in and out, passwords redacted) after a sequence number.', returns: 'ProtocolLogEntry[]', example: { connectionId: CONN, afterSeq: 0, limit: 100 } },
  'log.export': { summary: 'The whole protocol log of a connection as text.', returns: '{ text: string }', example: { connectionId: CONN } },

  'tree.children': {
    summary: 'The children of a node (node 0 is the root). Their parent counts as expanded: later `tree.delta` events include changes to them.',
    returns: 'TreeNodeView[]',
    example: { connectionId: CONN, nodeId: 0 },
  },
  'tree.collapse': { summary: 'Collapses a node and everything below it: deltas stop carrying that subtree (the root stays expanded).', returns: 'void', example: { connectionId: CONN, nodeId: 12 } },
  'tree.expandAll': {
    summary:
      'Every node under a node, breadth first, up to a limit, as columns (ids, parents, names, counts, last change in ms after `timeBase`, flags: 1 `$SYS`, 2 retained, 4 recorded), and marks them expanded. No previews: ask `tree.nodes` for the rows you show. `truncated` says the limit was reached.',
    returns: 'TreeOutline',
    example: { connectionId: CONN, nodeId: 0, limit: 20000 },
  },
  'tree.reopen': {
    summary:
      'The top level and the children of each listed topic that can still be shown open (its parent is open too), as one outline (see `tree.expandAll`), parents first; each is marked expanded. For starting over after a reset or a paused view, instead of one `tree.children` call per open node.',
    returns: 'TreeOutline',
    example: { connectionId: CONN, topics: ['factory', 'factory/line-1'], limit: 100000 },
  },
  'tree.nodes': {
    summary: 'Full views (with the last message and its preview) of chosen nodes, in the order asked; null for an id the tree no longer holds. At most 2,000 ids.',
    returns: '(TreeNodeView | null)[]',
    example: { connectionId: CONN, ids: [12, 13, 14] },
  },
  'tree.find': { summary: 'The node of an exact topic, or null.', returns: 'TreeNodeView | null', example: { connectionId: CONN, topic: 'sensors/kitchen/temperature' } },
  'tree.search': {
    summary: 'Finds topics (and/or latest payloads) by substring, MQTT wildcard filter or regular expression.',
    returns: 'SearchResult',
    example: { connectionId: CONN, query: 'sensors/+/temperature', mode: 'wildcard', scope: 'topic', caseSensitive: false, limit: 5000 },
  },
  'tree.clear': { summary: 'Empties the topic tree of a connection (the broker is not touched).', returns: 'void', example: { connectionId: CONN } },
  'retained.clear': {
    summary:
      'Clears retained messages on the broker by publishing empty retained payloads to a topic or a whole subtree; progress arrives as `retained.progress` events, and the cleared topics lose their `retained` mark.',
    returns: '{ cleared: number; failed: { topic: string; error: string }[] }',
    example: { connectionId: CONN, nodeId: 12, subtree: true },
  },
  'retained.count': { summary: 'How many retained topics a node (or its subtree) holds: what `retained.clear` would clear.', returns: '{ count: number; topics: string[] }', example: { connectionId: CONN, nodeId: 12, subtree: true } },

  'messages.get': { summary: 'One stored message with its payload (bytes) and MQTT 5 properties; `maxPayloadBytes` sends only the first bytes and marks the record `payloadTruncated` with the full `payloadSize`.', returns: 'MessageRecord', example: { connectionId: CONN, id: 4711 } },
  'messages.latest': { summary: 'The latest stored message of a topic, or null; `maxPayloadBytes` caps the payload as in `messages.get`.', returns: 'MessageRecord | null', example: { connectionId: CONN, topic: 'sensors/kitchen/temperature' } },
  'messages.history': {
    summary: 'Stored messages of a topic, newest first, one page at a time (`beforeId` = the last id of the previous page).',
    returns: 'MessageSummary[]',
    example: { connectionId: CONN, topic: 'sensors/kitchen/temperature', limit: 200 },
  },
  'messages.decode': {
    summary: 'Decodes a stored payload for display: text, JSON, hex, base64, CBOR, MessagePack, Sparkplug B or protobuf (with a .proto). `maxChars` sends only the head of the text, marked `truncated` with the whole `textLength`.',
    returns: 'DecodedPayload',
    example: { connectionId: CONN, id: 4711, decoder: 'auto' },
  },
  'messages.export': {
    summary:
      "Writes stored messages of a topic (and its subtree), or of a list of exact topics (`topics`, e.g. a search result; give one of the two), from `from` to `to` (ms since 1970, both optional) to a JSON Lines or CSV file in the data dir's exports folder, streaming; a payload is UTF-8 text when valid, else base64, stated per row. filePath names a file there (a path leaving the folder is refused), default: a generated name.",
    returns: '{ filePath: string; rows: number }',
    example: { connectionId: CONN, topics: ['sensors/kitchen/temp', 'sensors/hall/temp'], from: 1767225600000, to: 1767229200000, format: 'jsonl' },
  },

  'publish.send': {
    summary: "Publishes one message with MQTT 5 properties; resolves with the broker's acknowledgement.",
    returns: 'PublishOutcome',
    example: {
      connectionId: CONN,
      message: {
        topic: 'devices/lamp/set',
        payload: { format: 'json', value: '{"on": true}' },
        qos: 1,
        retain: false,
        properties: { contentType: 'application/json', correlationData: new Uint8Array([1, 2, 3, 4]), userProperties: [{ name: 'source', value: 'script' }] },
      },
    },
  },
  'publish.history': { summary: 'Messages published through this connection, newest first, filtered by a text.', returns: 'PublishHistoryEntry[]', example: { connectionId: CONN, query: 'lamp', limit: 50 } },
  'publish.repeatStart': {
    summary: 'Publishes a message every `intervalMs`, `count` times or until stopped; progress arrives as `publish.repeat` events.',
    returns: 'RepeatProgress',
    example: { connectionId: CONN, message: { topic: 'load/test', payload: { format: 'text', value: 'ping' }, qos: 0 }, intervalMs: 1000, count: 10 },
  },
  'publish.repeatStop': { summary: 'Stops a repeat job.', returns: 'RepeatProgress', example: { jobId: 'repeat-1' } },
  'publish.request': {
    summary: 'MQTT 5 request/response: publishes with a response topic and correlation data and waits for the matching reply.',
    returns: 'RequestReply',
    example: { connectionId: CONN, message: { topic: 'rpc/thermostat/get', payload: { format: 'text', value: '' }, qos: 1 }, timeoutMs: 5000 },
  },
  'saved.list': { summary: 'Saved messages (publish templates) of a scope (a profile id, or `app` for ones shared by all).', returns: 'SavedMessage[]', example: { scope: CONN } },
  'saved.save': {
    summary: 'Saves a publish template (new without `id`, updated with it).',
    returns: 'SavedMessage',
    example: { scope: CONN, message: { name: 'Lamp on', folder: 'lamp', topic: 'devices/lamp/set', payload: { format: 'json', value: '{"on": true}' }, qos: 1 } },
  },
  'saved.delete': { summary: 'Deletes a saved message.', returns: 'void', example: { scope: CONN, id: 'saved-1' } },
  'saved.export': { summary: 'The saved messages of a scope as JSON text.', returns: '{ json: string }', example: { scope: CONN } },
  'saved.import': { summary: 'Adds saved messages from an export.', returns: '{ imported: number; problems: string[] }', example: { scope: CONN, json: '{"version":1,"messages":[]}' } },

  'broker.start': {
    summary: 'Starts the built-in MQTT broker (for trying things out or for devices on the network); another port is taken when the one asked for is busy.',
    returns: 'BrokerStatus',
    example: { port: 1883, host: '127.0.0.1' },
  },
  'broker.stop': { summary: 'Stops the built-in broker.', returns: 'BrokerStatus', example: {} },
  'broker.status': { summary: "The built-in broker's state, addresses and clients.", returns: 'BrokerStatus', example: {} },
  'demo.start': { summary: 'Starts simulated devices publishing realistic data (to the built-in broker, or through a connection).', returns: 'BrokerStatus', example: { messagesPerSecond: 50 } },
  'demo.stop': { summary: 'Stops the simulated devices.', returns: 'BrokerStatus', example: {} },
};
