import type { DecodedPayload } from '../../common/api';
import type { DecodeOptions } from './index';

/** One decode sent to the thread; the payload and birth buffers are transferred, not cloned. */
export interface DecodeRequest {
  id: number;
  payload: ArrayBuffer;
  options: Omit<DecodeOptions, 'birth'> & { birth?: ArrayBuffer };
  /** Cut the text here in the thread: a 5 MB JSON pretty-prints to ~9 M characters, and cloning
   * them back would block the engine's thread again. */
  maxChars?: number;
}

export interface DecodeReply {
  id: number;
  /** Which thread decoded: lets tests see the work left the engine's thread. */
  threadId: number;
  decoded: DecodedPayload;
}
