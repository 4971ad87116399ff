import { describe, expect, it } from 'vitest';
import { parseCaseloadEstimate } from './caseload-estimate';

describe('the estimated yearly caseload as typed', () => {
  it('reads a whole number, with thousands separators or spaces', () => {
    expect(parseCaseloadEstimate('450')).toEqual({ ok: true, value: 450 });
    expect(parseCaseloadEstimate(' 1,200 ')).toEqual({ ok: true, value: 1200 });
    expect(parseCaseloadEstimate('12 000')).toEqual({ ok: true, value: 12000 });
  });

  it('reads nothing as clearing the estimate', () => {
    expect(parseCaseloadEstimate('')).toEqual({ ok: true, value: undefined });
    expect(parseCaseloadEstimate('   ')).toEqual({ ok: true, value: undefined });
  });

  it('says what is wrong with anything else', () => {
    for (const text of ['4.5', '-3', 'about 400', '1e3']) {
      expect(parseCaseloadEstimate(text)).toMatchObject({ ok: false, problem: /whole number/ });
    }
    expect(parseCaseloadEstimate('0')).toMatchObject({ ok: false, problem: /from 1 to 1,000,000/ });
    expect(parseCaseloadEstimate('1000001')).toMatchObject({ ok: false });
  });
});
