/** Error pages: the response for anything thrown, and the DEBUG pages behind it. */
export { errorResponse, plainErrorPage, type ErrorLog, type ErrorResponseOptions } from './error-response.js';
export { technical500Page } from './technical-500.js';
export { technical404Page } from './technical-404.js';
export { maskSettings, MASK, SENSITIVE_NAME } from './mask-settings.js';
