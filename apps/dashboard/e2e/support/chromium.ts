import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; Playwright's own browser download does not work offline. */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container or CI: no sandbox (it runs as root there), no GPU,
 * and nothing that reaches for the network on its own (QUIC, updates, sync), which would hang
 * or slow down a machine without internet.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium to drive: CHROMIUM_PATH, or Debian's. Throws saying how to get one. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      [
        `The browser tests need Chromium, and there is no executable at ${path}.`,
        'On Debian or Ubuntu install it with: sudo apt-get install -y chromium',
        '(bash scripts/ensure-services.sh does this too), or set CHROMIUM_PATH to the',
        'chromium or chrome executable you have.',
      ].join('\n'),
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    headless: true,
    timeout: 60_000,
  });
}
