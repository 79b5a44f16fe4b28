/**
 * Chromium's OS sandbox can be turned off from outside the app: electron-builder's AppImage AppRun
 * adds --no-sandbox where unprivileged user namespaces are blocked (Ubuntu 24.04+ AppArmor). The
 * renderer windows still ask for `sandbox: true`, but without the OS layer that request is moot,
 * so the person is told.
 */
import { app } from 'electron';

export const NO_SANDBOX_WARNING =
  "Topograph is running with Chromium's OS sandbox turned off (--no-sandbox), so a flaw in a page it shows could reach your files. " +
  'The AppImage does this on systems that block unprivileged user namespaces, such as Ubuntu 24.04 and later; install the .deb or .rpm package instead, which keeps the sandbox on.';

/** Sentences for the engine's start-up problems; empty when the sandbox is on. */
export function sandboxProblems(): string[] {
  return app.commandLine.hasSwitch('no-sandbox') ? [NO_SANDBOX_WARNING] : [];
}
