import { describe, expect, it } from 'vitest';
import nunjucks from 'nunjucks';
import { installFastFrameSet } from '../src/fast-frame-set.js';

const Frame = (nunjucks.runtime as unknown as { Frame: { prototype: { set: unknown } } }).Frame;
// Taken before installing, to render the same templates both ways.
const original = Frame.prototype.set;
installFastFrameSet();
const patched = Frame.prototype.set;
const env = new nunjucks.Environment([], { autoescape: true });

function renderWith(set: unknown, source: string, context: object): string {
  Frame.prototype.set = set;
  try {
    return env.renderString(source, context);
  } finally {
    Frame.prototype.set = patched;
  }
}

const cases: Array<[string, string, object]> = [
  ['nested loops and loop.*', '{% for row in rows %}{% for cell in row %}{{ loop.index }}/{{ loop.length }}:{{ cell }}{% if loop.last %};{% endif %}{% endfor %}{{ loop.index0 }}{{ "F" if loop.first }}{{ loop.revindex }}|{% endfor %}', { rows: [['a', 'b'], ['c']] }],
  ['key/value loops', '{% for k, v in obj %}{{ k }}={{ v }},{% endfor %}{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}', { obj: { x: 1, y: 2 }, pairs: [[1, 2], [3, 4]] }],
  ['set in a loop body writes the outer variable (a nunjucks rule)', '{% set x = 1 %}{% for i in [1, 2] %}{% set x = i %}{{ x }}{% endfor %}{{ x }}', {}],
  ['multiple targets, escaping', '{% set a, b = "<b>" %}{{ a }}{{ b }}', {}],
  ['macros with defaults and keywords', '{% macro m(v, w=2) %}{{ v }}{{ w }}{% endmacro %}{{ m(1) }}{{ m(3, w=4) }}', {}],
  ['set blocks and loops over nothing', '{% set body %}{{ n }}!{% endset %}{{ body }}{% for i in [] %}x{% else %}none{% endfor %}', { n: 5 }],
];

describe('installFastFrameSet', () => {
  it("replaces nunjucks' Frame.set once", () => {
    expect(patched).not.toBe(original);
    installFastFrameSet();
    expect(Frame.prototype.set).toBe(patched);
  });

  it.each(cases)('renders exactly as nunjucks’ own Frame.set: %s', (_name, source, context) => {
    const expected = renderWith(original, source, context);
    expect(renderWith(patched, source, context)).toBe(expected);
    expect(expected).not.toBe('');
  });

  it('renders the loop variables nunjucks documents', () => {
    expect(env.renderString(cases[0]![1], cases[0]![2])).toBe('1/2:a2/2:b;0F2|1/1:c;11|');
  });
});
