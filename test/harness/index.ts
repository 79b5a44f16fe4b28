// One import for suites: `import { startMosquitto, mosquittoPub } from '../harness'`.
export { makeCerts, sharedCerts, type CertPair, type HarnessCerts } from './certs';
export { startMosquitto, type MosquittoBroker, type MosquittoOptions } from './mosquitto';
export { canConnect, freePort, isPortFree, stopAll } from './processes';
export {
  binaryPath,
  mosquittoPub,
  mosquittoSub,
  requireBinaries,
  runTool,
  type HarnessBinary,
  type MosquittoSubOptions,
  type MosquittoSubscriber,
  type ToolOutput,
} from './tools';
export { startWebSocketBridge, type WebSocketBridge, type WebSocketBridgeOptions } from './ws-bridge';
