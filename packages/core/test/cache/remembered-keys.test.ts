import { describe, expect, it } from 'vitest';
import { RememberedKeys } from '../../src/cache/remembered-keys.js';

describe('RememberedKeys', () => {
  it('gets what was set, replaces a value in place and forgets everything on clear()', () => {
    const keys = new RememberedKeys<{ n: number }>(64);
    const one = { n: 1 };
    expect(keys.set('world:1', one)).toBe(true);
    expect(keys.set('world:2', { n: 2 })).toBe(true);
    // A freshly built, equal string finds the entry (the table compares contents, not identity).
    expect(keys.get(`world:${1}`)).toBe(one);
    expect(keys.get('world:3')).toBeUndefined();
    expect(keys.set('world:2', { n: 22 })).toBe(true);
    expect(keys.get('world:2')).toEqual({ n: 22 });
    expect(keys.size).toBe(2);
    keys.clear();
    expect(keys.size).toBe(0);
    expect(keys.get('world:1')).toBeUndefined();
  });

  it('holds integer keys apart from their decimal strings, and large integers by all their bits', () => {
    const keys = new RememberedKeys<string>(1024);
    expect(keys.set(5, 'number')).toBe(true);
    expect(keys.set('5', 'string')).toBe(true);
    expect(keys.get(5)).toBe('number');
    expect(keys.get('5')).toBe('string');
    // Keys that share their low 32 bits (or are negative) are still different keys.
    const big = [1, 2 ** 32 + 1, 2 ** 52 + 1, -1, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0];
    for (const key of big) expect(keys.set(key, `n${key}`)).toBe(true);
    for (const key of big) expect(keys.get(key)).toBe(`n${key}`);
    expect(keys.get(2 ** 33 + 1)).toBeUndefined();
    expect(keys.get(1.5)).toBeUndefined();
    expect(keys.get(Number.NaN)).toBeUndefined();
    // Many integers: all found (no key lost to a full probe run at this load).
    for (let id = 1; id <= 600; id++) expect(keys.set(id, `:1:${id}`)).toBe(true);
    for (let id = 1; id <= 600; id++) expect(keys.get(id)).toBe(`:1:${id}`);
    const at = keys.candidateOf(300);
    expect(at).not.toBe(-1);
    expect(keys.holds(at, 300)).toBe(true);
    expect(keys.holds(at, '300')).toBe(false);
  });

  it('finds nothing for what is neither a string nor a number, without throwing', () => {
    const keys = new RememberedKeys<string>(64);
    keys.set('a', ':1:a');
    for (const other of [null, undefined, {}, true]) expect(keys.indexOf(other as unknown as string)).toBe(-1);
  });

  it('keeps an extra beside each value, through growth, until the key is set again', () => {
    const keys = new RememberedKeys<string>(1024);
    expect(keys.set('a', ':1:a')).toBe(true);
    const at = keys.indexOf(`${'a'}`);
    expect(keys.valueAt(at)).toBe(':1:a');
    expect(keys.extraAt(at)).toBeUndefined();
    const entry = { n: 1 };
    keys.setExtraAt(at, entry);
    // Growing from 16 slots to 256 moves every slot; the extra moves with its key.
    for (let i = 0; i < 60; i++) keys.set(`k${i}`, `:1:k${i}`);
    const moved = keys.indexOf('a');
    expect(keys.valueAt(moved)).toBe(':1:a');
    expect(keys.extraAt(moved)).toBe(entry);
    expect(keys.indexOf('missing')).toBe(-1);
    keys.set('a', ':2:a');
    expect(keys.extraAt(keys.indexOf('a'))).toBeUndefined();
  });

  it('holds thousands of keys of any characters', () => {
    const keys = new RememberedKeys<number>(16_384);
    const made = Array.from({ length: 10_000 }, (_, i) => `k:${i}:${String.fromCharCode(0x4e00 + (i % 500))}`);
    const kept = made.filter((key, i) => keys.set(key, i));
    // The table stops growing at 16,384 slots (two thirds full is 10,922 keys): at 61% full
    // all but a few keys in ten thousand find a slot within the probe limit; the rest are
    // simply not remembered.
    expect(kept.length).toBeGreaterThan(9_900);
    for (const key of kept) expect(keys.get(key)).toBe(made.indexOf(key));
    expect(keys.get('k:10000:x')).toBeUndefined();
    // clear() starts over small, and the table grows again as keys come.
    keys.clear();
    for (let i = 0; i < 100; i++) expect(keys.set(made[i]!, i)).toBe(true);
    for (let i = 0; i < 100; i++) expect(keys.get(made[i]!)).toBe(i);
  });

  it('drops an insert whose probe run is full instead of scanning on, and lookups stay bounded', () => {
    // Eight slots, all taken: the ninth distinct key has nowhere to go, and the probe for it ends.
    const keys = new RememberedKeys<number>(8);
    for (let i = 0; i < 8; i++) expect(keys.set(`key${i}`, i)).toBe(true);
    expect(keys.set('key8', 8)).toBe(false);
    expect(keys.get('key8')).toBeUndefined();
    expect(keys.size).toBe(8);
    for (let i = 0; i < 8; i++) expect(keys.get(`key${i}`)).toBe(i);
  });

  it('finds a candidate slot by hash alone, which holds() confirms, and reports when slots move', () => {
    const keys = new RememberedKeys<string>(1024);
    for (let i = 0; i < 9; i++) keys.set(`k${i}`, `:1:k${i}`);
    for (let i = 0; i < 9; i++) {
      const at = keys.candidateOf(`k${i}`);
      expect(keys.holds(at, `k${i}`)).toBe(true);
      expect(at).toBe(keys.indexOf(`k${i}`));
    }
    // An absent key: no slot with its hash (-1), or one holds() rejects (another key, same hash).
    for (let i = 9; i < 200; i++) {
      const at = keys.candidateOf(`k${i}`);
      if (at !== -1) expect(keys.holds(at, `k${i}`)).toBe(false);
    }
    // Inserting without growing leaves slots in place; growing and clear() move them.
    let layout = keys.layout;
    keys.set('k0', 'replaced');
    keys.set('k9', ':1:k9');
    expect(keys.layout).toBe(layout);
    expect(keys.get('k0')).toBe('replaced');
    keys.set('k10', ':1:k10'); // 11 keys in 16 slots is over two thirds: the table grows
    expect(keys.layout).not.toBe(layout);
    layout = keys.layout;
    keys.clear();
    expect(keys.layout).not.toBe(layout);
    expect(keys.candidateOf('k1')).toBe(-1);
  });
});
