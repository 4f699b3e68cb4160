import { describe, expect, test } from 'vitest';
import { decodePropertyPath, encodePropertyValue } from '../../../../src/harness/abi/property.ts';
import { bytes } from '../wat-guest.ts';

describe('decodePropertyPath', () => {
  test('splits a Go SDK path, which has no trailing NUL', () => {
    const path = bytes('source', [0x00], 'address');
    expect(path.length).toBe(14);
    expect(decodePropertyPath(path)).toEqual(['source', 'address']);
  });

  test('ignores the trailing NUL a Rust SDK path ends with', () => {
    expect(decodePropertyPath(bytes('source', [0x00], 'address', [0x00]))).toEqual(['source', 'address']);
  });

  test('reads a single segment with or without a trailing NUL', () => {
    expect(decodePropertyPath(bytes('plugin_name'))).toEqual(['plugin_name']);
    expect(decodePropertyPath(bytes('plugin_name', [0x00]))).toEqual(['plugin_name']);
  });

  test('decodes UTF-8 segments', () => {
    expect(decodePropertyPath(bytes('metadata', [0x00], '名'))).toEqual(['metadata', '名']);
  });
});

describe('encodePropertyValue', () => {
  test('writes a string as its raw UTF-8 bytes with no NUL', () => {
    expect(encodePropertyValue({ type: 'string', value: 'GÉT' })).toEqual(bytes(
      [0x47],       // G
      [0xc3, 0x89], // É
      [0x54],       // T
    ));
  });

  test('passes bytes through unchanged', () => {
    expect(encodePropertyValue({ type: 'bytes', value: bytes([0x00, 0xff, 0x10]) })).toEqual(bytes([0x00, 0xff, 0x10]));
  });

  test('writes an int64 as 8 little-endian bytes, negative numbers in two\'s complement', () => {
    expect(encodePropertyValue({ type: 'int64', value: 258n })).toEqual(bytes(
      [0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // 0x0102, low byte first
    ));
    expect(encodePropertyValue({ type: 'int64', value: -2n })).toEqual(bytes(
      [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ));
  });

  test('writes a uint64 as 8 little-endian bytes up to 2^64 - 1', () => {
    expect(encodePropertyValue({ type: 'uint64', value: 0x0102030405060708n })).toEqual(bytes(
      [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01],
    ));
    expect(encodePropertyValue({ type: 'uint64', value: 2n ** 64n - 1n })).toEqual(bytes(
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ));
  });

  test('writes a timestamp as int64 Unix nanoseconds, little-endian', () => {
    expect(encodePropertyValue({ type: 'timestamp', unixNanos: 1_700_000_000_000_000_001n })).toEqual(bytes(
      [0x01, 0x00, 0x2a, 0x36, 0xfe, 0x9c, 0x97, 0x17], // 0x17979cfe362a0001
    ));
  });

  test('writes a bool as one byte', () => {
    expect(encodePropertyValue({ type: 'bool', value: true })).toEqual(bytes([0x01]));
    expect(encodePropertyValue({ type: 'bool', value: false })).toEqual(bytes([0x00]));
  });

  test('writes a map in the pair encoding', () => {
    expect(encodePropertyValue({ type: 'map', value: [['env', 'prod']] })).toEqual(bytes(
      [0x01, 0x00, 0x00, 0x00], // count = 1
      [0x03, 0x00, 0x00, 0x00], // key_len   ("env")
      [0x04, 0x00, 0x00, 0x00], // value_len ("prod")
      'env', [0x00],
      'prod', [0x00],
    ));
  });
});
