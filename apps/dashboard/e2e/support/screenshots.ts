import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_DIR, SCREENSHOTS_DIR } from './paths';

export interface ScreenshotOptions {
  /**
   * Also copy it to docs/images/<docsImage>.png, for the README, when the run is asked to
   * (UPDATE_DOCS_SCREENSHOTS=1): an ordinary run must not rewrite tracked files.
   */
  readonly docsImage?: string;
  /** The whole page (the default), or only what the 1280 x 900 window shows. */
  readonly fullPage?: boolean;
  /** Only this part of the page (page coordinates). */
  readonly clip?: { x: number; y: number; width: number; height: number };
}

/** Saves a PNG as e2e/screenshots/<name>.png and returns its path. */
export async function screenshot(
  page: Page,
  name: string,
  options: ScreenshotOptions = {},
): Promise<string> {
  const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({
    path: file,
    fullPage: options.clip ? true : (options.fullPage ?? true),
    ...(options.clip ? { clip: options.clip } : {}),
    animations: 'disabled',
  });
  if (options.docsImage && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    const target = path.join(REPO_DIR, 'docs', 'images', `${options.docsImage}.png`);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
    console.log(`[e2e] Updated ${path.relative(REPO_DIR, target)}`);
  }
  return file;
}
