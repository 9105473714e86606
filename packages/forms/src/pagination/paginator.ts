import { ImproperlyConfigured } from '@atrium/core';
import { isQuerySet, type QuerySetLike } from '../data/queryset-source.js';
import { EmptyPage, PageNotAnInteger } from '../errors.js';
import { elidedPageRange, type ElidedRangeOptions, type ELLIPSIS } from './elided-range.js';
import { Page } from './page.js';

/** What a paginator splits: an array, or an ORM queryset (counted and sliced in the database). */
export type PaginationSource<T> = readonly T[] | QuerySetLike<T>;

export interface PaginatorOptions {
  /** Fold a last page of at most this many objects into the previous page (default 0). */
  orphans?: number;
  /** Page 1 exists even when there are no objects (default true). */
  allowEmptyFirstPage?: boolean;
}

// More digits than any page count: refused before parsing.
const PAGE_NUMBER = /^-?\d{1,15}$/;

/**
 * Split a list or a queryset into pages (Django's Paginator). A queryset is
 * counted once (`count()`) and only the requested page is fetched (`slice`),
 * so order it for stable pages.
 * @example
 * const paginator = new Paginator(Post.objects.orderBy('-publishedAt'), 20, { orphans: 3 });
 * const page = await paginator.page(request.query.get('page') ?? 1); // throws InvalidPage
 */
export class Paginator<T> {
  readonly perPage: number;
  readonly orphans: number;
  readonly allowEmptyFirstPage: boolean;
  readonly #source: PaginationSource<T>;
  #count: Promise<number> | undefined;

  constructor(source: PaginationSource<T>, perPage: number, options: PaginatorOptions = {}) {
    if (!Number.isSafeInteger(perPage) || perPage < 1) throw new ImproperlyConfigured(`Paginator perPage must be a positive whole number; got ${String(perPage)}.`);
    const orphans = options.orphans ?? 0;
    if (!Number.isSafeInteger(orphans) || orphans < 0) throw new ImproperlyConfigured(`Paginator orphans must be a whole number >= 0; got ${String(orphans)}.`);
    this.#source = source;
    this.perPage = perPage;
    this.orphans = orphans;
    this.allowEmptyFirstPage = options.allowEmptyFirstPage ?? true;
  }

  /** Objects in the whole list (one COUNT query for a queryset, cached). */
  count(): Promise<number> {
    this.#count ??= isQuerySet(this.#source) ? this.#source.count() : Promise.resolve((this.#source as readonly T[]).length);
    return this.#count;
  }

  /** Number of pages (orphans folded in); 1 for an empty list unless allowEmptyFirstPage is false. */
  async numPages(): Promise<number> {
    const count = await this.count();
    if (count === 0 && !this.allowEmptyFirstPage) return 0;
    const hits = Math.max(1, count - this.orphans);
    return Math.ceil(hits / this.perPage);
  }

  /** 1..numPages. */
  async pageRange(): Promise<number[]> {
    return Array.from({ length: await this.numPages() }, (_, i) => i + 1);
  }

  /**
   * A page number from untrusted input ('3', 3, 'last'): throws
   * PageNotAnInteger for anything else, EmptyPage below 1 or past the end.
   */
  async validateNumber(number: unknown): Promise<number> {
    const parsed = await this.#parse(number);
    const numPages = await this.numPages();
    if (parsed < 1) throw new EmptyPage(parsed, numPages);
    if (parsed > numPages && !(parsed === 1 && this.allowEmptyFirstPage)) throw new EmptyPage(parsed, numPages);
    return parsed;
  }

  async #parse(number: unknown): Promise<number> {
    if (typeof number === 'number') {
      if (!Number.isSafeInteger(number)) throw new PageNotAnInteger(number);
      return number;
    }
    if (typeof number !== 'string') throw new PageNotAnInteger(number);
    const text = number.trim();
    if (text === 'last') return Math.max(1, await this.numPages());
    if (!PAGE_NUMBER.test(text)) throw new PageNotAnInteger(number);
    return Number(text);
  }

  /**
   * The page `number` (validated as validateNumber does).
   * @example const page = await paginator.page('2');
   */
  async page(number: unknown): Promise<Page<T>> {
    const valid = await this.validateNumber(number);
    const count = await this.count();
    const bottom = (valid - 1) * this.perPage;
    let top = bottom + this.perPage;
    if (top + this.orphans >= count) top = count;
    const objects = isQuerySet(this.#source) ? await this.#source.slice(bottom, Math.max(bottom, top)) : (this.#source as readonly T[]).slice(bottom, top);
    return new Page(objects, { number: valid, count, numPages: await this.numPages(), perPage: this.perPage, offset: bottom });
  }

  /**
   * Like page(), but never throws for a bad number: not a number gives
   * page 1, past the end gives the last page (Django's get_page).
   */
  async getPage(number: unknown): Promise<Page<T>> {
    let valid: number;
    try {
      valid = await this.validateNumber(number);
    } catch (error) {
      if (error instanceof PageNotAnInteger) valid = 1;
      else if (error instanceof EmptyPage) valid = Math.max(1, await this.numPages());
      else throw error;
    }
    return this.page(valid);
  }

  /** Page numbers around `number` with gaps as '…' (validates `number`). */
  async getElidedPageRange(number: unknown = 1, options: ElidedRangeOptions = {}): Promise<Array<number | typeof ELLIPSIS>> {
    const valid = await this.validateNumber(number);
    return elidedPageRange(valid, await this.numPages(), options);
  }
}
