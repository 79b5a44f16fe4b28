/** A real Engine behind a real web host; the method `test.hang` never answers. */
export interface HostFixture {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Closes the web host (the engine stays). */
  stop(): Promise<void>;
  /** Starts the web host again on the same port with the same token. */
  restart(): Promise<void>;
  close(): Promise<void>;
}
export function startHostFixture(): Promise<HostFixture>;
