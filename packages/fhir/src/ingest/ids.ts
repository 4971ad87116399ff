// Our ids for resources that arrive from another system, derived from their business identifiers
// so that the same message sent twice names the same record (and conditional create finds it):
// the first 32 hex digits (128 bits) of SHA-256 over the UTF-8 text "<ResourceType>|<system>|<value>".
// 32 hex digits fit both FHIR's id rule ([A-Za-z0-9\-\.]{1,64}) and the domain's.
import { createHash } from 'node:crypto';

export interface BusinessIdentifier {
  readonly system: string;
  readonly value: string;
}

export function idFromIdentifier(resourceType: string, identifier: BusinessIdentifier): string {
  return createHash('sha256')
    .update(`${resourceType}|${identifier.system}|${identifier.value}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}
