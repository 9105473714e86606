export { readBody } from './read-body.js';
export { parseJsonBody } from './json-body.js';
export { parseFormBody } from './form-body.js';
export type { FormData } from './form-data.js';
