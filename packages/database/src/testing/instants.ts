// Instants at which anything that reads "now" must still work: the hours around midnight in
// London and in UTC (which differ in summer), both clock changes, bank holidays, the turn of the
// year and 29 February. Europe/London is the service's default zone. Shared by the property tests
// of the seed and by anything else that must hold at any hour.
import fc from 'fast-check';

export const EDGE_INSTANTS: ReadonlyArray<readonly [label: string, iso: string]> = [
  ['00:05 BST, still 23:05 UTC the day before', '2027-07-14T23:05:00Z'],
  ['00:05 UTC, 01:05 BST', '2027-07-15T00:05:00Z'],
  ['midnight in winter (GMT = UTC)', '2026-12-07T00:00:00Z'],
  ['a minute before midnight in winter', '2026-12-06T23:59:00Z'],
  ['06:30 on a winter Sunday', '2026-12-06T06:30:00Z'],
  ['09:00 on a Monday, the clinic hour', '2026-12-07T09:00:00Z'],
  ['00:30 GMT on the spring clock change', '2027-03-28T00:30:00Z'],
  ['03:00 BST, just after the spring change', '2027-03-28T02:00:00Z'],
  ['06:30 BST on the spring clock change', '2027-03-28T05:30:00Z'],
  ['23:30 BST on the spring clock change', '2027-03-28T22:30:00Z'],
  ['00:30 BST on the autumn clock change', '2027-10-30T23:30:00Z'],
  ['01:30 BST, the first of the repeated hour', '2027-10-31T00:30:00Z'],
  ['01:30 GMT, the second of the repeated hour', '2027-10-31T01:30:00Z'],
  ['06:30 GMT on the autumn clock change', '2027-10-31T06:30:00Z'],
  ['23:30 GMT on the autumn clock change', '2027-10-31T23:30:00Z'],
  ['Christmas Day', '2026-12-25T10:00:00Z'],
  ['Boxing Day evening', '2026-12-26T19:00:00Z'],
  ['a minute before New Year', '2026-12-31T23:59:00Z'],
  ['New Year’s Day, just after midnight', '2027-01-01T00:00:30Z'],
  ['Good Friday', '2027-03-26T12:00:00Z'],
  ['Easter Monday at 09:00 BST', '2027-03-29T08:00:00Z'],
  ['29 February, just after midnight', '2028-02-29T00:10:00Z'],
  ['1 March after a 29 February', '2028-03-01T09:00:00Z'],
];

/** Any instant from 2019 to 2035, to the millisecond. */
export const anyInstant = () =>
  fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2035, 11, 31) }).map((ms) => new Date(ms));
