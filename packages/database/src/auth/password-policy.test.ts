import { describe, expect, it } from 'vitest';
import { PASSWORD_POLICY, passwordProblem } from './password-policy.js';

describe('the password policy', () => {
  it('refuses a short password, whatever it is', () => {
    expect(passwordProblem('Xk9#mQ2!vL')).toBe('must be at least 12 characters long');
    expect(passwordProblem('x'.repeat(PASSWORD_POLICY.maxLength + 1))).toBe(
      'must be at most 200 characters long',
    );
  });

  it('refuses long but guessable passwords, saying why in zxcvbn’s words', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(
      /^is too easy to guess: Repeated characters like "aaa" are easy to guess/,
    );
    expect(passwordProblem('password1234')).toMatch(
      /^is too easy to guess: .*(common|commonly used) password/i,
    );
    expect(passwordProblem('qwertyuiopasdf')).toMatch(/^is too easy to guess/);
  });

  it('refuses a password made of the user’s own name or address', () => {
    const user = ['Sam Patel', 'sam.patel@nhs.net'];
    expect(passwordProblem('sam.patel@nhs.net', user)).toMatch(/^is too easy to guess/);
    expect(passwordProblem('sam.patel@nhs.net')).toBeUndefined();
  });

  it('accepts a phrase of unrelated words', () => {
    expect(passwordProblem('copper kettle orbit meadow')).toBeUndefined();
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
  });
});
