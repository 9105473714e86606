export { ListView } from './list-view.js';
export { DetailView } from './detail-view.js';
export { FormView, type FormClassLike } from './form-view.js';
export { ModelFormView, CreateView, UpdateView } from './model-form-views.js';
export { DeleteView } from './delete-view.js';
export { successUrlFor, type SuccessUrlConfig } from './success-url.js';
export { modelTemplateName, modelContextName } from './template-names.js';
