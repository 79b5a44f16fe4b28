/**
 * The web host's WebSocket subprotocols (electron/web/auth.ts holds the same two strings; the
 * renderer may not import it). The host selects RPC_PROTOCOL_NAME and never echoes the token.
 */
export const RPC_PROTOCOL_NAME = 'topograph.jsonrpc';
export const TOKEN_PROTOCOL = 'topograph.token.';
