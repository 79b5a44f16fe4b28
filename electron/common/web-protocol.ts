/**
 * The web host's WebSocket subprotocols, shared by the host (electron/web) and the renderer's
 * browser transport. Browsers cannot set headers on a WebSocket, so the client offers its token as
 * a subprotocol entry; the host selects RPC_PROTOCOL and never echoes the token entry.
 */
export const RPC_PROTOCOL = 'topograph.jsonrpc';
/** The subprotocol a client offers to carry its token. */
export const TOKEN_PROTOCOL_PREFIX = 'topograph.token.';
