export { path, include } from './path.js';
export type { HttpMethod, PathOptions, IncludeOptions, RouteDefinition, IncludeDefinition, RouteEntry, RouteView, ViewDescription } from './path.js';
export { Router } from './router.js';
export type { RouterOptions, ResolvedRoute, RouteHandlers, RouteListing } from './router.js';
export { dispatch } from './dispatch.js';
export { builtinConverters } from './converters.js';
export type { Converter, ConverterTypes, BuiltinConverterTypes } from './converters.js';
export type { ViewFunction, RouteParams, ConverterValue } from './types.js';
