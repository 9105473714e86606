import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateBackend } from '@atrium/core';
import { jsonScript } from '../src/filters/json-script.js';
import { linebreaks, linebreaksbr } from '../src/filters/linebreaks.js';
import { urlize } from '../src/filters/urlize.js';
import { isSafe, markSafe } from '../src/safe-html.js';
import { backendFor, fakeContext, LINEAR_TIME_BUDGET_MS, tempProject, timed, type TempProject } from './project-fixture.js';

const MB = 1_000_000;

describe('linebreaks / linebreaksbr', () => {
  it('escape first, then add paragraphs and <br>, marked safe', () => {
    const out = linebreaks('Hi <you>\nthere\r\n\r\n\nBye & all');
    expect(isSafe(out)).toBe(true);
    expect(out.val).toBe('<p>Hi &lt;you&gt;<br>there</p>\n\n<p>Bye &amp; all</p>');
    expect(linebreaksbr('a\r\nb\rc\n<d>').val).toBe('a<br>b<br>c<br>&lt;d&gt;');
    expect(linebreaksbr(markSafe('<i>a</i>\nb')).val).toBe('<i>a</i><br>b');
    expect(linebreaks('').val).toBe('<p></p>');
  });

  it('are linear on megabyte input', () => {
    const { result, ms } = timed(() => linebreaks('<\n'.repeat(MB / 2)));
    expect(result.val.startsWith('<p>&lt;<br>&lt;<br>')).toBe(true);
    expect(result.val).toHaveLength('<p>'.length + (MB / 2) * '&lt;<br>'.length + '</p>'.length);
    const blank = timed(() => linebreaks('\n'.repeat(MB)));
    expect(blank.result.val).toBe('<p></p>\n\n<p></p>');
    const br = timed(() => linebreaksbr('\r'.repeat(MB)));
    expect(br.result.val).toBe('<br>'.repeat(MB));
    expect(Math.max(ms, blank.ms, br.ms)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('urlize', () => {
  it('links http(s), www., bare domains and e-mail addresses with rel=nofollow', () => {
    expect(urlize('See www.example.com.').val).toBe('See <a href="http://www.example.com" rel="nofollow">www.example.com</a>.');
    expect(urlize('Go https://a.org/x?q=1&r=2!').val).toBe('Go <a href="https://a.org/x?q=1&amp;r=2" rel="nofollow">https://a.org/x?q=1&amp;r=2</a>!');
    expect(urlize('at example.com/about, ok').val).toBe('at <a href="http://example.com/about" rel="nofollow">example.com/about</a>, ok');
    expect(urlize('mail a.b@example.org;').val).toBe('mail <a href="mailto:a.b@example.org" rel="nofollow">a.b@example.org</a>;');
  });

  it('handles wrapping punctuation, keeping balanced brackets in the URL', () => {
    expect(urlize('(http://w.org/Foo_(bar))').val).toBe('(<a href="http://w.org/Foo_(bar)" rel="nofollow">http://w.org/Foo_(bar)</a>)');
    expect(urlize('[www.a.com]').val).toBe('[<a href="http://www.a.com" rel="nofollow">www.a.com</a>]');
  });

  it('escapes all text and never links other schemes', () => {
    expect(urlize('<script>alert(1)</script> javascript:alert(1) ftp://x.com a@b').val).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) ftp://x.com a@b',
    );
    expect(urlize('"http://x.com"onmouseover=alert(1)').val).toBe('&quot;<a href="http://x.com" rel="nofollow">http://x.com</a>&quot;onmouseover=alert(1)');
    expect(urlize('http://x.com/\u0001').val).toBe('http://x.com/\u0001');
    expect(urlize('http://x.com/ü').val).toBe('<a href="http://x.com/%C3%BC" rel="nofollow">http://x.com/ü</a>');
  });

  it('keeps safe input as HTML, escaping hrefs exactly once', () => {
    expect(urlize(markSafe('<b>hi</b> http://a.com/?x=1&amp;y=2')).val).toBe('<b>hi</b> <a href="http://a.com/?x=1&amp;y=2" rel="nofollow">http://a.com/?x=1&amp;y=2</a>');
  });

  it('leaves words over 2,048 characters as text', () => {
    const long = `http://a.com/${'a'.repeat(3000)}`;
    expect(urlize(long).val).toBe(long);
  });

  it('is linear on megabyte pathological input', () => {
    const cases: Array<[string, (out: string) => void]> = [
      ['a'.repeat(MB) + 'www.'.repeat(MB / 4), (out) => expect(out).toHaveLength(2 * MB)],
      ['www. '.repeat(MB / 5), (out) => expect(out).toBe('www. '.repeat(MB / 5))],
      ['www.a.com '.repeat(MB / 10), (out) => expect(out.match(/<a /g)).toHaveLength(MB / 10)],
      [`(${'('.repeat(MB)}`, (out) => expect(out).toBe('('.repeat(MB + 1))],
      [`http://a.com${')'.repeat(MB)}`, (out) => expect(out).toBe(`http://a.com${')'.repeat(MB)}`)],
      [`${'('.repeat(50)}http://a.com${')'.repeat(50)}${'.'.repeat(1000)}`, (out) => expect(out).toBe(`${'('.repeat(50)}<a href="http://a.com" rel="nofollow">http://a.com</a>${')'.repeat(50)}${'.'.repeat(1000)}`)],
      ['<'.repeat(MB), (out) => expect(out).toBe('&lt;'.repeat(MB))],
      ['@'.repeat(MB), (out) => expect(out).toBe('@'.repeat(MB))],
      ['a@b.c '.repeat(150_000), (out) => expect(out.match(/mailto:/g)).toHaveLength(150_000)],
      [`${'a.'.repeat(1000)}${'&amp;'.repeat(MB / 5)}`, (out) => expect(out).toHaveLength(2000 + (MB / 5) * '&amp;amp;'.length)],
    ];
    for (const [input, check] of cases) {
      const { result, ms } = timed(() => urlize(input));
      check(result.val);
      expect(ms, input.slice(0, 20)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
    }
  });
});

describe('json_script', () => {
  it('embeds JSON that cannot close the script element', () => {
    const out = jsonScript({ name: '</script><script>alert("x & y")</script>', n: 1 }, 'data');
    expect(isSafe(out)).toBe(true);
    expect(out.val).toBe(
      '<script id="data" type="application/json">{"name":"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(\\"x \\u0026 y\\")\\u003C/script\\u003E","n":1}</script>',
    );
    expect(out.val.toLowerCase().indexOf('</script')).toBe(out.val.length - '</script>'.length);
    const json = out.val.slice(out.val.indexOf('>') + 1, out.val.lastIndexOf('<'));
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert("x & y")</script>', n: 1 });
  });

  it('escapes the id, allows no id, and writes null for undefined', () => {
    expect(jsonScript([1], '"><x').val).toBe('<script id="&quot;&gt;&lt;x" type="application/json">[1]</script>');
    expect(jsonScript('a').val).toBe('<script type="application/json">"a"</script>');
    expect(jsonScript(undefined, 'u').val).toBe('<script id="u" type="application/json">null</script>');
    expect(jsonScript(markSafe('<b>'), 's').val).toBe('<script id="s" type="application/json">"\\u003Cb\\u003E"</script>');
  });

  it('is linear on megabyte input', () => {
    const { result, ms } = timed(() => jsonScript('</script>'.repeat(MB / 9), 'big'));
    expect(result.val).not.toMatch(/<\/script>(?!$)/);
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('HTML filters in templates', () => {
  let project: TempProject;
  let backend: TemplateBackend;
  beforeEach(async () => {
    project = tempProject();
    backend = await backendFor(fakeContext({ root: project.root }));
  });
  afterEach(() => project.cleanup());

  it('output safe HTML that autoescape keeps, with the input escaped', async () => {
    const out = await backend.renderString("{{ t | linebreaksbr }}|{{ t | linebreaks }}|{{ u | urlize }}|{{ d | json_script('d') }}", {
      t: '<b>\nx',
      u: 'www.a.com <i>',
      d: { s: '</script>' },
    });
    expect(out).toBe(
      '&lt;b&gt;<br>x|<p>&lt;b&gt;<br>x</p>|<a href="http://www.a.com" rel="nofollow">www.a.com</a> &lt;i&gt;|<script id="d" type="application/json">{"s":"\\u003C/script\\u003E"}</script>',
    );
  });
});
