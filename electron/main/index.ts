// Electron main entry: everything lives in lifecycle.ts so tests can drive it with electron mocked.
import { startDesktop } from './lifecycle';

startDesktop();
