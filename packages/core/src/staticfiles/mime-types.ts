import { extname } from 'node:path';

/**
 * Media types by lower-case extension, for the files a web project serves.
 * A small built-in table rather than a dependency: anything missing falls back
 * to application/octet-stream, which browsers download instead of sniffing.
 */
const typesByExtension: ReadonlyMap<string, string> = new Map(Object.entries({
  // Documents and code
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  cjs: 'text/javascript',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  xml: 'application/xml',
  pdf: 'application/pdf',
  wasm: 'application/wasm',
  // Images
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  bmp: 'image/bmp',
  // Fonts
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  // Audio and video
  mp4: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  vtt: 'text/vtt',
  // Archives
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
}));

/** Textual types that are not `text/*` but still need a charset to decode right. */
const textualApplicationTypes = new Set(['application/json', 'application/manifest+json', 'application/xml', 'image/svg+xml']);

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The Content-Type for a file name, with `; charset=utf-8` on textual types.
 * @example contentTypeFor('css/site.css') // 'text/css; charset=utf-8'
 * @example contentTypeFor('img/logo.png') // 'image/png'
 */
export function contentTypeFor(fileName: string): string {
  const ext = extname(fileName).slice(1).toLowerCase();
  const type = typesByExtension.get(ext);
  if (type === undefined) return DEFAULT_CONTENT_TYPE;
  return isTextual(type) ? `${type}; charset=utf-8` : type;
}

function isTextual(type: string): boolean {
  return type.startsWith('text/') || textualApplicationTypes.has(type);
}
