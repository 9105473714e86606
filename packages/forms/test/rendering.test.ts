import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HttpRequest, html, path } from '@atrium/core';
import { markSafe, render } from '@atrium/templates';
import {
  CheckboxSelectMultiple,
  FormRenderer,
  NON_FIELD_ERRORS,
  PasswordInput,
  RadioSelect,
  TextInput,
  Textarea,
  fields,
  form,
} from '../src/index.js';
import formsApp from '../src/app.js';
import { testApp } from './support/app.js';
import { upload } from './support/uploads.js';

const XSS = '"><script>alert(1)</script>';

const Article = form({
  title: fields.char({ maxLength: 20, label: `Title ${XSS}`, helpText: `Help ${XSS}` }),
  body: fields.text({ required: false, helpText: 'Markdown allowed.' }),
  status: fields.choice([['d', `Draft ${XSS}`], ['l', 'Live']]),
  tags: fields.multipleChoice(['x', 'y'], { required: false }),
  agree: fields.boolean({ required: true, label: 'I agree' }),
  secret: fields.password({ required: false }),
  next: fields.hidden({ required: false }),
});

describe('rendering a form with errors', () => {
  it('matches the snapshot and escapes values, labels, help, choices and errors', async () => {
    const article = new Article({ data: { title: XSS, body: `</textarea>${XSS}`, status: XSS, secret: 'hunter2', next: XSS } });
    expect(await article.isValid()).toBe(false);
    article.addError(null, { code: 'custom', message: `Form error ${XSS}` });
    const markup = article.render().val;
    expect(markup).toMatchSnapshot();
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(markup).toContain('Title &quot;&gt;&lt;script&gt;');
    expect(markup).toContain('Help &quot;&gt;&lt;script&gt;');
    expect(markup).toContain('Draft &quot;&gt;&lt;script&gt;');
    expect(markup).toContain('Form error &quot;&gt;&lt;script&gt;');
    // The echoed invalid choice is escaped inside the error message too.
    expect(markup).toContain('Select a valid choice. &quot;&gt;&lt;script&gt;');
    // The textarea cannot be closed by its content.
    expect(markup.match(/<\/textarea>/g)).toHaveLength(1);
  });

  it('ties labels, help and errors to inputs for assistive technology', async () => {
    const article = new Article({ data: { title: 'x'.repeat(30), status: 'd' } });
    await article.isValid();
    const markup = article.render().val;
    expect(markup).toContain('<label for="id_title">');
    expect(markup).toContain('<div class="helptext" id="id_title_helptext">');
    expect(markup).toContain('<ul class="errorlist" id="id_title_error">');
    expect(markup).toMatch(/<input type="text" name="title"[^>]* id="id_title" required aria-invalid="true" aria-describedby="id_title_helptext id_title_error">/);
    // A valid field is not marked invalid and points at its help only.
    expect(markup).toMatch(/<textarea name="body"[^>]* id="id_body" aria-describedby="id_body_helptext">/);
    expect(markup).not.toMatch(/id="id_body"[^>]*aria-invalid/);
    // Required fields have a visual marker hidden from screen readers and the required attribute.
    expect(markup).toContain('I agree<span class="required-marker" aria-hidden="true">*</span>');
    expect(markup).toMatch(/<input type="checkbox" name="agree" id="id_agree" required aria-invalid="true"/);
  });

  it('an unbound form shows initial values and no errors', () => {
    const article = new Article({ initial: { title: 'Hello', status: 'l', tags: ['y'] } });
    const markup = article.asDiv().val;
    expect(markup).toContain('value="Hello"');
    expect(markup).toContain('<option value="l" selected>Live</option>');
    expect(markup).toContain('<select name="tags" id="id_tags" multiple>');
    expect(markup).toContain('<option value="y" selected>y</option>');
    expect(markup).not.toContain('errorlist');
    expect(markup).not.toContain('aria-invalid');
  });

  it('never sends a password back, puts hidden fields last and their errors at the top', async () => {
    const article = new Article({ data: { secret: 'hunter2', next: 'x'.repeat(5) } });
    await article.isValid();
    const markup = article.render().val;
    expect(markup).not.toContain('hunter2');
    expect(markup).toMatch(/<input type="hidden" name="next" value="xxxxx" id="id_next">\s*$/);
    const hiddenError = new (form({ token: fields.hidden() }))({ data: {} });
    await hiddenError.isValid();
    expect(hiddenError.render().val).toContain('<ul class="errorlist nonfield" role="alert"><li>(Hidden field token) This field is required.</li></ul>');
  });

  it('labels marked safe are not escaped; plain ones are', () => {
    const Safe = form({ a: fields.char({ label: markSafe('<abbr title="Uniform Resource Locator">URL</abbr>') }), b: fields.char({ label: '<b>B</b>' }) });
    const markup = new Safe().render().val;
    expect(markup).toContain('<abbr title="Uniform Resource Locator">URL</abbr>');
    expect(markup).toContain('&lt;b&gt;B&lt;/b&gt;');
  });

  it('renders radio and checkbox groups in a fieldset with a legend', () => {
    const Survey = form({
      colour: fields.choice(['red', 'blue'], { widget: new RadioSelect(), helpText: 'Pick one.' }),
      extras: fields.multipleChoice(['a', 'b'], { widget: new CheckboxSelectMultiple(), required: false }),
    });
    const markup = new Survey({ initial: { colour: 'blue', extras: ['a', 'b'] } }).render().val;
    expect(markup).toContain('<fieldset aria-describedby="id_colour_helptext">');
    expect(markup).toContain('<legend>Colour<span class="required-marker" aria-hidden="true">*</span></legend>');
    expect(markup).toContain('<label for="id_colour_1"><input type="radio" name="colour" value="blue" required aria-describedby="id_colour_helptext" id="id_colour_1" checked> blue</label>');
    expect(markup).toContain('<input type="checkbox" name="extras" value="b" id="id_extras_1" checked>');
    expect(markup).not.toContain('<label for="id_colour">');
  });

  it('widgets take attributes; bad attribute names are refused at declaration', () => {
    const Styled = form({
      name: fields.char({ widget: new TextInput({ attrs: { class: 'wide', placeholder: 'Your "name"', autofocus: true, hidden: false } }) }),
      bio: fields.text({ widget: new Textarea({ attrs: { rows: 3 } }) }),
      pin: fields.char({ widget: new PasswordInput({ renderValue: true }) }),
    });
    const markup = new Styled({ initial: { pin: '1234' } }).render().val;
    expect(markup).toContain('<input type="text" name="name" class="wide" placeholder="Your &quot;name&quot;" autofocus id="id_name" required>');
    expect(markup).toContain('rows="3"');
    expect(markup).toContain('value="1234"');
    expect(() => new TextInput({ attrs: { 'onclick="x"': 'y' } })).toThrow(/invalid HTML attribute name/);
  });

  it('a clearable file input shows the current file and a clear box', () => {
    const Doc = form({ file: fields.file({ required: false }) });
    const markup = new Doc({ initial: { file: 'docs/<old>.pdf' } }).render().val;
    expect(markup).toContain('Currently: docs/&lt;old&gt;.pdf');
    expect(markup).toContain('<input type="checkbox" name="file-clear" id="id_file-clear_id">');
    expect(new Doc({ initial: { file: upload('x.txt', 'x') } }).isMultipart).toBe(true);
  });

  it('prefixes and custom ids carry into the markup; autoId false leaves ids out', () => {
    const One = form({ name: fields.char() });
    expect(new One({ prefix: 'p', autoId: 'field-{name}' }).render().val).toContain('<label for="field-p-name">');
    const plain = new One({ autoId: false }).render().val;
    expect(plain).not.toContain(' id=');
    expect(plain).toContain('<label>Name');
  });

  it('adds the CSRF field when the request carries a token, escaped', () => {
    const request = new HttpRequest({ method: 'GET', url: '/', headers: {}, body: null });
    const One = form({ name: fields.char() });
    expect(new One({ request }).render().val).not.toContain('csrfmiddlewaretoken');
    (request.state as Record<string, unknown>)['csrfToken'] = 'tok"en<';
    expect(new One({ request }).render().val).toContain('<input type="hidden" name="csrfmiddlewaretoken" value="tok&quot;en&lt;">');
  });

  it('a custom renderer reads overriding templates first', () => {
    const renderer = new FormRenderer({ directories: [join(import.meta.dirname, 'fixtures/override/templates')] });
    const One = form({ name: fields.char() });
    expect(new One({ renderer }).render().val).toContain('<p class="custom"><label for="id_name">Name');
  });

  it('non-field error key is __all__', async () => {
    const One = form({ a: fields.char() }, { clean: (_, self) => self.addError(null, 'Nope.') });
    const one = new One({ data: { a: 'x' } });
    await one.isValid();
    expect(one.errors.toJSON()[NON_FIELD_ERRORS]).toEqual([{ code: 'invalid', message: 'Nope.', params: {} }]);
  });
});

describe('forms inside project templates', () => {
  const Post = form({ title: fields.char({ maxLength: 5, label: 'Title <x>' }) });

  async function projectClient(root: string) {
    return testApp(
      [
        path('page/', async (request) => {
          const post = await Post.bind(request);
          await post.isValid();
          return render(request, 'page.html', { form: post });
        }),
        path('parts/', async (request) => {
          const post = await Post.bind(request);
          await post.isValid();
          return render(request, 'parts.html', { form: post });
        }),
        path('plain/', async (request) => html(String(await Post.bind(request)))),
      ],
      {
        templates: true,
        root,
        settings: { TEMPLATES: { DIRS: ['templates'], APP_DIRS: true, OPTIONS: { contextProcessors: ['csrf'] } } },
      },
    );
  }

  it('{{ form }} renders unescaped markup, with escaped values, inside a page', async () => {
    const { client } = await projectClient(join(import.meta.dirname, 'fixtures/project'));
    const page = await (await client.post('/page/', { form: { title: '<script>x</script>' } })).text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('<label for="id_title">Title &lt;x&gt;');
    expect(page).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
    expect(page).not.toContain('<script>');
  });

  it('{{ form.fields.title }} and its parts are usable in templates', async () => {
    const { client } = await projectClient(join(import.meta.dirname, 'fixtures/project'));
    const parts = await (await client.post('/parts/', { form: { title: 'too long' } })).text();
    expect(parts).toMatch(/^\[<div class="field required has-error">/);
    expect(parts).toContain('][Title &lt;x&gt;][<input type="text" name="title" value="too long" maxlength="5" id="id_title" required aria-invalid="true" aria-describedby="id_title_error">]');
    expect(parts).toContain('[Ensure this value has at most 5 characters (it has 8).]');
  });

  it('a project overrides forms/*.html through its template folders', async () => {
    const { client } = await projectClient(join(import.meta.dirname, 'fixtures/override'));
    const markup = await (await client.get('/plain/')).text();
    expect(markup).toContain('<p class="custom"><label for="id_title">');
  });

  it('the forms app points at the package folder holding templates/forms', () => {
    expect(formsApp.label).toBe('forms');
    expect(join(formsApp.path, 'templates', 'forms')).toBe(join(import.meta.dirname, '..', 'templates', 'forms'));
  });
});
