// The client's address for per-client sign-in limits, from X-Forwarded-For and the number of
// reverse proxies in front of the server that are trusted to append to it.
//
// Each proxy appends the address it received the request from, so only the entries the trusted
// proxies appended can be believed: everything to their left was written by the client (or by a
// proxy nobody vouched for). Next.js (16, `next start`) puts the socket's peer address in
// X-Forwarded-For only when the request has none, and keeps a header the request brought as it
// is; so the nearest proxy's own address never appears, and the address the outermost trusted
// proxy saw is the entry `trustedProxies` places from the right (the rightmost for one proxy).
//
// Limit, said plainly: with no trusted proxy the rightmost entry is the socket's peer only when
// the client sent no X-Forwarded-For; a client that connects directly and sends one chooses the
// address its attempts are counted under (the per-account lockout still applies). Next.js does not
// let a server action see the socket, so run the dashboard behind a proxy that appends the header,
// and set the count, in production.
import { isIP } from 'node:net';

/** Longest address kept (an IPv6 address with a zone is well under this). */
const MAX_LENGTH = 64;

/** An entry without brackets or port ("[2001:db8::1]:443" -> "2001:db8::1", "10.0.0.1:80" -> "10.0.0.1"). */
function bare(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  if (v4WithPort?.[1]) return v4WithPort[1];
  return entry;
}

/**
 * The address to count a sign-in attempt under: the rightmost entry of X-Forwarded-For that no
 * trusted proxy vouches for. Null when there is no header (no per-client limit can apply). An
 * entry that is not an IP address is kept as written (cut to 64 characters): it is still a key
 * the same client keeps hitting.
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  trustedProxies: number,
): string | null {
  if (!Number.isInteger(trustedProxies) || trustedProxies < 0) {
    throw new RangeError(`trustedProxies must be a whole number 0 or more, not ${trustedProxies}`);
  }
  const entries = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  // Fewer entries than trusted proxies: the request did not come through all of them; the
  // leftmost is the farthest address known.
  const index = Math.max(0, entries.length - Math.max(trustedProxies, 1));
  const entry = bare(entries[index] as string);
  return isIP(entry) ? entry.toLowerCase() : entry.slice(0, MAX_LENGTH);
}
