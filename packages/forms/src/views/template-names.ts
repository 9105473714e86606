import type { AnyModel } from '@atrium/orm';

/** 'blog/post_list.html' for blog.Post and suffix '_list': the app label, the model name lower-cased, the suffix. */
export function modelTemplateName(model: AnyModel, suffix: string): string {
  return `${model.meta.appLabel}/${model.meta.modelName.toLowerCase()}${suffix}.html`;
}

/** 'post' for blog.Post: the name templates see the object under. */
export function modelContextName(model: AnyModel): string {
  const name = model.meta.modelName;
  return name.charAt(0).toLowerCase() + name.slice(1);
}
