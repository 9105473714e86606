import nunjucks from 'nunjucks';

/**
 * Base of objects that render themselves as HTML in templates: forms,
 * bound fields, formsets. Their prototype chain includes Nunjucks'
 * SafeString, so `{{ form }}` and `{{ form.fields.title }}` output the markup
 * unescaped (it was built with autoescape on) and `isSafe()` of
 * @atrium/templates holds, while they stay ordinary objects with their own
 * properties (`{{ form.fields.title.label }}`). The markup is produced
 * lazily, each time the object is turned into a string.
 */
export abstract class SafeRenderable {
  /** The markup. */
  abstract toHtml(): string;

  toString(): string {
    return this.toHtml();
  }

  valueOf(): string {
    return this.toHtml();
  }

  /** SafeString's text, read by filters of @atrium/templates (`toText`). */
  get val(): string {
    return this.toHtml();
  }

  get length(): number {
    return this.toHtml().length;
  }
}

// Not `extends SafeString`: its constructor assigns `val`, which is a getter here.
Object.setPrototypeOf(SafeRenderable.prototype, nunjucks.runtime.SafeString.prototype);
