import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { ConverterTypes } from './converters.js';

/** A function view: `(request, params) => response`. */
export type ViewFunction<P = Record<string, unknown>> = (request: HttpRequest, params: P) => HttpResponse | Promise<HttpResponse>;

/** The value type of a converter name; `unknown` for a custom converter not declared in ConverterTypes. */
export type ConverterValue<C extends string> = C extends keyof ConverterTypes ? ConverterTypes[C] : unknown;

type ParamOf<Inner extends string> = Inner extends `${infer C}:${infer N}` ? { [K in N]: ConverterValue<C> } : { [K in Inner]: string };

type ExtractParams<P extends string> = P extends `${string}<${infer Inner}>${infer Rest}` ? ParamOf<Inner> & ExtractParams<Rest> : unknown;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The parameters of a route pattern, inferred from its text.
 * @example type P = RouteParams<'posts/<int:id>/<slug:slug>/'>; // { id: number; slug: string }
 */
export type RouteParams<P extends string> = string extends P ? Record<string, unknown> : Simplify<ExtractParams<P>>;
