import { elidedPageRange, type ElidedRangeOptions, type ELLIPSIS } from './elided-range.js';

/** Where a page sits in its paginator, known once the paginator has counted. */
export interface PagePosition {
  readonly number: number;
  readonly count: number;
  readonly numPages: number;
  readonly perPage: number;
  /** 0-based index of the first object of the page in the whole list. */
  readonly offset: number;
}

/**
 * One page of objects, with what templates need to draw navigation. Every
 * member is a plain property, so templates read `page.hasNext` and
 * `page.nextPageNumber` without calls.
 * @example
 * {% for post in page %}...{% endfor %}
 * {% if page.hasNext %}<a href="?page={{ page.nextPageNumber }}">Next</a>{% endif %}
 */
export class Page<T> implements Iterable<T> {
  readonly number: number;
  readonly objects: readonly T[];
  /** Objects in the whole list. */
  readonly count: number;
  readonly numPages: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
  readonly hasOtherPages: boolean;
  /** The next page's number, or null on the last page. */
  readonly nextPageNumber: number | null;
  /** The previous page's number, or null on the first page. */
  readonly previousPageNumber: number | null;
  /** 1-based index of the first object of the page in the whole list (0 for an empty list). */
  readonly startIndex: number;
  /** 1-based index of the last object of the page in the whole list. */
  readonly endIndex: number;

  constructor(objects: readonly T[], position: PagePosition) {
    this.number = position.number;
    this.objects = objects;
    this.count = position.count;
    this.numPages = position.numPages;
    this.hasNext = position.number < position.numPages;
    this.hasPrevious = position.number > 1;
    this.hasOtherPages = this.hasNext || this.hasPrevious;
    this.nextPageNumber = this.hasNext ? position.number + 1 : null;
    this.previousPageNumber = this.hasPrevious ? position.number - 1 : null;
    this.startIndex = position.count === 0 ? 0 : position.offset + 1;
    this.endIndex = position.offset + objects.length;
  }

  /** Objects on this page. */
  get length(): number {
    return this.objects.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.objects[Symbol.iterator]();
  }

  /** Page numbers around this page, gaps as '…' (see elidedPageRange). */
  elidedPageRange(options: ElidedRangeOptions = {}): Array<number | typeof ELLIPSIS> {
    return elidedPageRange(this.number, this.numPages, options);
  }

  /** Every page number, 1..numPages. */
  get pageRange(): number[] {
    return Array.from({ length: this.numPages }, (_, i) => i + 1);
  }
}
