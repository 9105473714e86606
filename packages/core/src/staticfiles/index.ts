export { contentTypeFor, DEFAULT_CONTENT_TYPE } from './mime-types.js';
export { StaticFinder, normaliseStaticPath, resolveInside, type StaticFinderOptions, type StaticFileEntry } from './finders.js';
export { staticMiddleware } from './static-middleware.js';
export { collectStatic, hashedFileName, rewriteCssUrls, type CollectStaticOptions, type CollectStaticResult, type CollectStaticLogger } from './collect-static.js';
export { MANIFEST_NAME, StaticManifest, loadManifest, forgetManifest, writeManifest, type StaticManifestJson } from './manifest.js';
export { staticUrl } from './static-url.js';
