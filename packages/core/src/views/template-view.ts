import { ImproperlyConfigured } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import { View } from './view.js';

/**
 * Render a template with the route parameters and `extraContext`
 * (Django's `TemplateView`). Override `getContextData` to add data.
 * @example
 * path('about/', TemplateView.asView({ templateName: 'about.html' }), { name: 'about' })
 * class PostPage extends TemplateView {
 *   override templateName = 'blog/post.html';
 *   override async getContextData(request: HttpRequest, params: Record<string, unknown>) {
 *     return { ...(await super.getContextData(request, params)), post: await Post.objects.get({ id: params.id }) };
 *   }
 * }
 */
export class TemplateView extends View {
  /** The template to render, or several tried in order (most specific first). */
  templateName: string | readonly string[] | null = null;
  /** Added to every context (after the route parameters). */
  extraContext: Readonly<Record<string, unknown>> | null = null;
  contentType = 'text/html; charset=utf-8';

  get(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    return this.#render(request, params);
  }

  async #render(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    const context = await this.getContextData(request, params);
    return this.renderToResponse(request, context);
  }

  /** The context: route parameters, `view` (this instance), then `extraContext`. */
  getContextData(_request: HttpRequest, params: Record<string, unknown>): Record<string, unknown> | Promise<Record<string, unknown>> {
    return { ...params, view: this, ...this.extraContext };
  }

  /** The template names to try, in order. */
  getTemplateNames(): readonly string[] {
    if (this.templateName === null || this.templateName.length === 0) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} has no templateName; pass one to asView({ templateName: 'page.html' }), set it in the class, or override getTemplateNames().`,
      );
    }
    return typeof this.templateName === 'string' ? [this.templateName] : this.templateName;
  }

  /** Render the templates with `context` into an HTML response. */
  async renderToResponse(request: HttpRequest, context: Record<string, unknown>, status = 200): Promise<HttpResponse> {
    const names = this.getTemplateNames();
    const templates = request.app.templates;
    if (templates === null) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} cannot render '${names.join("', '")}': no template backend is configured (request.app.templates is null). ` +
          "Install @atrium/templates, or set TEMPLATES.BACKEND to a module that exports createTemplateBackend().",
      );
    }
    const body = await templates.render(names, context, request);
    return new HttpResponse(body, { status, headers: { 'content-type': this.contentType } });
  }
}
