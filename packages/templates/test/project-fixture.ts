import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateSettings, type AppConfig, type AppContext, type HttpRequest, type TemplateBackend } from '@atrium/core';
import { createTemplateBackend } from '../src/template-backend.js';

/** A temporary project folder; `cleanup()` removes it. */
export interface TempProject {
  root: string;
  write(relativePath: string, content: string, mtime?: Date): string;
  cleanup(): void;
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'atrium-templates-'));
  const project: TempProject = {
    root,
    write(relativePath, content, mtime) {
      const path = join(root, relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      if (mtime) utimesSync(path, mtime, mtime);
      return path;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [path, content] of Object.entries(files)) project.write(path, content);
  return project;
}

export const SECRET = 'test-secret-key-0123456789-abcdefghijklmnop';

/** An installed app whose folder is `<root>/<label>`. */
export function fakeApp(root: string, label: string, extensions: Record<string, unknown> = {}): AppConfig {
  return { label, name: label, path: join(root, label), verboseName: label, middleware: {}, extensions };
}

/** An AppContext built by hand, as core would build it, with settings validated by core. */
export function fakeContext(options: { root: string; settings?: Record<string, unknown>; apps?: AppConfig[] }): AppContext {
  const settings = validateSettings({ SECRET_KEY: SECRET, ...options.settings }, { env: {} });
  const apps = options.apps ?? [];
  return {
    settings,
    root: options.root,
    apps: { all: () => apps },
    templates: null,
    reverse: (name: string, params: Record<string, unknown> = {}) => {
      const query = Object.entries(params)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join('&');
      return `/reversed/${name}/${query ? `?${query}` : ''}`;
    },
  } as unknown as AppContext;
}

export async function backendFor(context: AppContext): Promise<TemplateBackend> {
  const backend = await createTemplateBackend(context);
  (context as { templates: TemplateBackend | null }).templates = backend;
  return backend;
}

/** A request as context processors see it: `state` filled by (future) middleware, `app` the context. */
export function fakeRequest(context: AppContext, state: Record<string, unknown> = {}, path = '/page/'): HttpRequest {
  return { method: 'GET', path, state, app: context } as unknown as HttpRequest;
}

/**
 * Time allowed for one filter call on about a megabyte of input. Linear code
 * takes a few hundred ms at most even on a loaded machine; quadratic code
 * (the CVE class this guards against) would take minutes. So the bound is
 * loose on purpose, and the outputs are asserted exactly.
 */
export const LINEAR_TIME_BUDGET_MS = 2000;

/** Run `fn` and measure it; used to bound pathological inputs (asserted loosely). */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = fn();
  return { result, ms: performance.now() - start };
}
