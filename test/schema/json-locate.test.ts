import { describe, expect, it } from 'vitest';
import { locateJsonPointer } from '../../src/schema/json-locate.js';

describe('locateJsonPointer', () => {
  const text = '{ "a": [1, {"b\\"x": "y", "c": [true, null]}], "d": -2.5e3 }';
  const at = (p: string) => {
    const r = locateJsonPointer(text, p);
    return text.slice(r.offset, r.offset + r.length);
  };
  it('finds values by path, through escapes and nesting', () => {
    expect(at('')).toBe(text);
    expect(at('/a/0')).toBe('1');
    expect(at('/a/1/b"x')).toBe('"y"');
    expect(at('/a/1/c/1')).toBe('null');
    expect(at('/d')).toBe('-2.5e3');
  });
  it('falls back to the closest existing ancestor', () => {
    expect(at('/a/1/zzz')).toBe('{"b\\"x": "y", "c": [true, null]}');
    expect(at('/a/7')).toBe('[1, {"b\\"x": "y", "c": [true, null]}]');
  });
});
