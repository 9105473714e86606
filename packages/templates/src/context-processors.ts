import { ImproperlyConfigured, type AppContext, type HttpRequest } from '@atrium/core';
import { ContextProcessorError } from './errors.js';
import { escapeHtml, markSafe } from './safe-html.js';

/** Template variables computed from the request, added to every rendered template. */
export type ContextProcessor = (request: HttpRequest) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** A processor with the name it was configured under (for error messages). */
export interface NamedContextProcessor {
  readonly name: string;
  readonly process: ContextProcessor;
}

/** Form field name the CSRF middleware reads, as in Django. */
export const CSRF_FIELD_NAME = 'csrfmiddlewaretoken';

/** Read a value a middleware put on `request.state`, without knowing its declared type. */
function stateValue(request: HttpRequest, key: string): unknown {
  const state = request.state as Readonly<Record<string, unknown>>;
  return Object.hasOwn(state, key) ? state[key] : undefined;
}

/** The settings templates may see: DEBUG, STATIC_URL and TEMPLATE_VISIBLE_SETTINGS, never secrets. */
function visibleSettings(context: AppContext, extra: readonly string[]): Readonly<Record<string, unknown>> {
  const settings = context.settings as Readonly<Record<string, unknown>>;
  const visible: Record<string, unknown> = { DEBUG: context.settings.DEBUG, STATIC_URL: context.settings.STATIC_URL };
  for (const name of extra) visible[name] = settings[name];
  return Object.freeze(visible);
}

function builtinProcessors(context: AppContext, extraSettings: readonly string[]): Record<string, ContextProcessor> {
  // Computed once: settings do not change while the project runs.
  const settings = visibleSettings(context, extraSettings);
  return {
    request: (request) => ({ request }),
    settings: () => ({ settings }),
    csrf: (request) => {
      const token = stateValue(request, 'csrfToken');
      if (typeof token !== 'string') return { csrf_token: '', csrf_input: markSafe('') };
      return {
        csrf_token: token,
        csrf_input: markSafe(`<input type="hidden" name="${CSRF_FIELD_NAME}" value="${escapeHtml(token)}">`),
      };
    },
    messages: (request) => ({ messages: stateValue(request, 'messages') ?? [] }),
    csp: (request) => ({ csp_nonce: stateValue(request, 'cspNonce') ?? '' }),
  };
}

/**
 * Turn TEMPLATES.OPTIONS.contextProcessors into functions, at start-up.
 * Built-in names: 'request', 'settings', 'csrf', 'messages', 'csp'. Other names are
 * looked up in the installed apps' `extensions.contextProcessors`, in
 * INSTALLED_APPS order. An unknown name throws ImproperlyConfigured.
 */
export function resolveContextProcessors(context: AppContext, names: readonly string[], extraSettings: readonly string[]): NamedContextProcessor[] {
  const builtins = builtinProcessors(context, extraSettings);
  const fromApps = appProcessors(context);
  return names.map((name) => {
    const process = Object.hasOwn(builtins, name) ? builtins[name] : fromApps.get(name);
    if (!process) {
      const known = [...Object.keys(builtins), ...fromApps.keys()].join(', ');
      throw new ImproperlyConfigured(
        `TEMPLATES.OPTIONS.contextProcessors lists '${name}', which is neither built in nor offered by an installed app (extensions.contextProcessors). Known: ${known}. Fix the name or add the app that provides it to INSTALLED_APPS.`,
      );
    }
    return { name, process };
  });
}

function appProcessors(context: AppContext): Map<string, ContextProcessor> {
  const found = new Map<string, ContextProcessor>();
  for (const app of context.apps.all()) {
    const offered = app.extensions.contextProcessors;
    if (offered === undefined) continue;
    if (typeof offered !== 'object' || offered === null) {
      throw new ImproperlyConfigured(`App '${app.label}' has extensions.contextProcessors of type ${typeof offered}; it must be an object of name -> (request) => variables.`);
    }
    for (const [name, process] of Object.entries(offered)) {
      if (typeof process !== 'function') {
        throw new ImproperlyConfigured(`App '${app.label}' offers context processor '${name}' that is not a function; it must be (request) => variables.`);
      }
      // First app in INSTALLED_APPS wins, as for templates.
      if (!found.has(name)) found.set(name, process as ContextProcessor);
    }
  }
  return found;
}

/**
 * The variables a template sees: every processor's output in order, then the
 * view's own context, which wins on a clash (as in Django). `__proto__` keys
 * are dropped so nothing can change a prototype. Synchronous when every
 * processor is (the built-in ones are): no promise per processor per render;
 * a promise only when a processor returns one.
 */
export function templateContext(
  processors: readonly NamedContextProcessor[],
  request: HttpRequest | undefined,
  context: Readonly<Record<string, unknown>>,
): Record<string, unknown> | Promise<Record<string, unknown>> {
  if (!request) return merge(processors, [], context);
  const outputs: Array<Record<string, unknown> | Promise<Record<string, unknown>>> = new Array(processors.length);
  let waiting = false;
  for (let i = 0; i < processors.length; i++) {
    const output = processors[i]!.process(request);
    if (typeof (output as { then?: unknown } | null)?.then === 'function') waiting = true;
    outputs[i] = output;
  }
  return waiting ? Promise.all(outputs).then((done) => merge(processors, done, context)) : merge(processors, outputs as Array<Record<string, unknown>>, context);
}

function merge(
  processors: readonly NamedContextProcessor[],
  outputs: ReadonlyArray<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (let index = 0; index < outputs.length; index++) {
    const output = outputs[index] as unknown;
    if (typeof output !== 'object' || output === null || Array.isArray(output)) {
      throw new ContextProcessorError(processors[index]!.name, output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output);
    }
    assignVariables(merged, output as Record<string, unknown>);
  }
  assignVariables(merged, context);
  return merged;
}

function assignVariables(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(source)) {
    if (key !== '__proto__') target[key] = source[key];
  }
}
