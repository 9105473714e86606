export { createTemplateBackend } from './template-backend.js';
export { render, renderToString, type RenderInit } from './render.js';
export { CSRF_FIELD_NAME, type ContextProcessor } from './context-processors.js';
export { TemplateDoesNotExist, TemplateSyntaxError, TemplateRenderError, ContextProcessorError } from './errors.js';
export { escapeHtml, markSafe, isSafe, type SafeHtml } from './safe-html.js';
export { FragmentCacheExtension, fragmentCacheKey } from './fragment-cache.js';
