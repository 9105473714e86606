/** Marks a view the CSRF middleware does not check. A symbol, so no route option or user data can set it. */
export const CSRF_EXEMPT: unique symbol = Symbol.for('atrium.auth.csrfExempt');

/**
 * Turn off CSRF checks for one view (webhooks authenticated another way,
 * APIs that take no cookies). Works on function views and `asView()` results;
 * the view keeps its name and class-view metadata.
 * @example path('hooks/stripe/', csrfExempt(stripeWebhook), { methods: ['POST'] })
 */
export function csrfExempt<V extends (...args: never[]) => unknown>(view: V): V {
  Object.defineProperty(view, CSRF_EXEMPT, { value: true, enumerable: false });
  return view;
}

/**
 * True for a view marked with csrfExempt.
 * @example isCsrfExempt(csrfExempt(webhook)) // true
 */
export function isCsrfExempt(view: unknown): boolean {
  return typeof view === 'function' && (view as unknown as Record<symbol, unknown>)[CSRF_EXEMPT] === true;
}
