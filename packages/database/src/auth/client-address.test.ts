import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

describe('clientAddress', () => {
  it('with no trusted proxy, takes the address Next.js filled in from the socket', () => {
    expect(clientAddress('203.0.113.7', 0)).toBe('203.0.113.7');
    expect(clientAddress(null, 0)).toBeNull();
    expect(clientAddress('', 0)).toBeNull();
  });

  it('behind one proxy, ignores what the client wrote to the left of what the proxy appended', () => {
    expect(clientAddress('198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('1.1.1.1,2.2.2.2 , 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('not an address, 203.0.113.7', 1)).toBe('203.0.113.7');
  });

  it('behind two proxies, takes the address the outer proxy saw', () => {
    // client forged 198.51.100.1; proxy 1 appended the client, proxy 2 appended proxy 1.
    expect(clientAddress('198.51.100.1, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    // A request that came in past the outer proxy: the farthest address known.
    expect(clientAddress('10.0.0.2', 2)).toBe('10.0.0.2');
  });

  it('drops ports and brackets, and keeps a non-address as a bounded key', () => {
    expect(clientAddress('[2001:DB8::1]:443', 1)).toBe('2001:db8::1');
    expect(clientAddress('203.0.113.7:5123', 1)).toBe('203.0.113.7');
    expect(clientAddress('unknown', 1)).toBe('unknown');
    expect(clientAddress('x'.repeat(500), 1)).toHaveLength(64);
  });

  it('refuses a count that is not a whole number 0 or more', () => {
    expect(() => clientAddress('203.0.113.7', -1)).toThrow(/whole number/);
    expect(() => clientAddress('203.0.113.7', 1.5)).toThrow(/whole number/);
  });
});
