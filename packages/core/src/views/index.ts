export { View, HTTP_METHOD_NAMES } from './view.js';
export type { ViewMethodName, ViewOptions, ViewClass, ClassBasedView } from './view.js';
export { TemplateView } from './template-view.js';
export { RedirectView } from './redirect-view.js';
