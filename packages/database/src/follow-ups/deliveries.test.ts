import { describe, expect, it } from 'vitest';
import { claimDecision, type DeliveryClaimState } from './deliveries.js';

const now = new Date('2026-12-06T09:00:00Z');
const lease = 120_000;
const at = (msAgo: number) => new Date(now.getTime() - msAgo);
const delivery = (over: Partial<DeliveryClaimState>): DeliveryClaimState => ({
  state: 'pending',
  recipient: 'nurse@fls.test',
  claimedAt: null,
  claimedBy: null,
  ...over,
});

describe('whether a worker may send an e-mail delivery', () => {
  it('sends a pending delivery with an address', () => {
    expect(claimDecision(delivery({}), now, lease)).toEqual({ action: 'claim', resend: false });
  });

  it('never sends one with no address, or one that has an outcome', () => {
    expect(claimDecision(delivery({ recipient: null }), now, lease).action).toBe('skip');
    for (const state of ['sent', 'failed', 'unknown'] as const) {
      expect(claimDecision(delivery({ state }), now, lease), state).toEqual({
        action: 'skip',
        why: `the delivery is already ${state}`,
      });
    }
  });

  it('waits while another attempt holds a live claim, until its lease ends', () => {
    expect(
      claimDecision(
        delivery({ state: 'sending', claimedAt: at(30_000), claimedBy: 'w1' }),
        now,
        lease,
      ),
    ).toEqual({ action: 'wait', until: new Date(now.getTime() + 90_000), holder: 'w1' });
    // The last millisecond of the lease is still the other attempt's.
    expect(
      claimDecision(delivery({ state: 'sending', claimedAt: at(lease - 1) }), now, lease).action,
    ).toBe('wait');
  });

  it('sends again, as a resend, once a claim ran out with no outcome', () => {
    expect(claimDecision(delivery({ state: 'sending', claimedAt: at(lease) }), now, lease)).toEqual(
      { action: 'claim', resend: true },
    );
  });
});
