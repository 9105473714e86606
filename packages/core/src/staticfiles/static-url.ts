import { resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import { loadManifest } from './manifest.js';

/**
 * The URL of a static file: STATIC_URL + path. Without DEBUG, and when
 * collectstatic wrote a manifest into STATIC_ROOT, the content-hashed name
 * (cacheable forever); a path the manifest lacks keeps its plain name.
 * A `?query` or `#fragment` on `path` is kept as given.
 * @example staticUrl(request.app, 'css/site.css') // '/static/css/site.3f2a9b0c1d2e.css' in production
 */
export function staticUrl(context: Pick<AppContext, 'settings' | 'root'>, path: string): string {
  const { STATIC_URL, STATIC_ROOT, DEBUG } = context.settings;
  const split = path.search(/[?#]/);
  const name = (split === -1 ? path : path.slice(0, split)).replace(/^\/+/, '');
  const suffix = split === -1 ? '' : path.slice(split);
  let target = name;
  if (!DEBUG && STATIC_ROOT !== null) {
    target = loadManifest(resolve(context.root, STATIC_ROOT))?.hashedName(name) ?? name;
  }
  return `${STATIC_URL}${encodePath(target)}${suffix}`;
}

/** Percent-encode each segment (spaces, '%', unicode) but keep the slashes. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
