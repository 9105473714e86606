import { createDateFilter } from './date.js';
import { defaultIfNone } from './default-if-none.js';
import { filesizeformat } from './filesizeformat.js';
import { intcomma } from './intcomma.js';
import { jsonScript } from './json-script.js';
import { linebreaks, linebreaksbr } from './linebreaks.js';
import { pluralize } from './pluralize.js';
import { slugify } from './slugify.js';
import { striptags } from './striptags.js';
import type { TemplateFilter } from './template-filter.js';
import { truncatechars, truncatewords } from './truncate.js';
import { urlize } from './urlize.js';
import { wordwrap } from './wordwrap.js';
import { yesno } from './yesno.js';

/**
 * Atrium's filters, by the name templates use. They are added on top of
 * Nunjucks' own; `urlize` and `striptags` replace Nunjucks' versions.
 */
export function builtinFilters(options: { timeZone: string }): Record<string, TemplateFilter> {
  return {
    date: createDateFilter(options.timeZone),
    default_if_none: defaultIfNone,
    filesizeformat,
    intcomma,
    json_script: jsonScript,
    linebreaks,
    linebreaksbr,
    pluralize,
    slugify,
    striptags,
    truncatechars,
    truncatewords,
    urlize,
    wordwrap,
    yesno,
  };
}
