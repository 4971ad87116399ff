// The password policy, in one place: every new password (a user added on Admin › Users or with
// `npm run user:create`, a password changed by its owner, a temporary one set by an
// administrator's reset) is checked here, for length and for how guessable it is. Guessability
// is zxcvbn's estimate (@zxcvbn-ts/core) against its common-password and English dictionaries,
// and the user's own name and e-mail address: "aaaaaaaaaaaa" and "password1234" are long enough
// and still refused, with zxcvbn's feedback saying why.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const PASSWORD_POLICY = {
  /** Characters at least (NCSC: length matters more than composition rules). */
  minLength: 12,
  /** Characters at most (a bound on the work of hashing what a form sends). */
  maxLength: 200,
  /** zxcvbn's score (0-4) at least: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
  minScore: 3,
} as const;

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return factory;
}

/**
 * Why `password` may not be used, in words for the person choosing it (the field's label comes
 * before it: "must be at least 12 characters long"), or undefined when it meets the policy.
 * `userInputs` are words that make a password guessable for this user (name, e-mail address).
 */
export function passwordProblem(
  password: string,
  userInputs: readonly string[] = [],
): string | undefined {
  if (password.length < PASSWORD_POLICY.minLength) {
    return `must be at least ${PASSWORD_POLICY.minLength} characters long`;
  }
  if (password.length > PASSWORD_POLICY.maxLength) {
    return `must be at most ${PASSWORD_POLICY.maxLength} characters long`;
  }
  // Each input whole, and its words ("sam.patel@nhs.net": also "sam", "patel", "nhs", "net").
  const inputs = userInputs.flatMap((input) => [
    input.toLowerCase(),
    ...input
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length >= 3),
  ]);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= PASSWORD_POLICY.minScore) return undefined;
  const why = [result.feedback.warning, ...result.feedback.suggestions]
    .filter((sentence): sentence is string => Boolean(sentence))
    .map((sentence) => sentence.replace(/\.$/, ''));
  return `is too easy to guess${why.length > 0 ? `: ${why.join('. ')}` : ''}. Use a longer phrase of unrelated words`;
}
