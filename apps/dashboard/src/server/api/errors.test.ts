import { RecordError } from '@vfx/database';
import { PathwayInputError } from '@vfx/domain';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, toApiError } from './errors';

describe('API errors', () => {
  it('maps every RecordError code to its status, keeping the field issues', () => {
    const issues = [{ path: 'patient.sex', message: 'must be one of: female, male' }];
    expect(toApiError(RecordError.invalid(issues))).toMatchObject({ status: 422, issues });
    expect(toApiError(new RecordError('not-found', 'x')).status).toBe(404);
    expect(toApiError(new RecordError('conflict', 'x')).status).toBe(409);
    expect(toApiError(new RecordError('forbidden', 'x')).status).toBe(403);
    expect(toApiError(new PathwayInputError(issues))).toMatchObject({
      code: 'invalid-input',
      issues,
    });
  });

  it('answers an unexpected failure with a bare 500 that leaks neither message nor stack', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = errorResponse(toApiError(new Error('patient Jane Doe 943 476 5919 broke it')));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal-error' } });
    expect(text).not.toMatch(/Jane|943|at /);
    // The operators' log has the stack frames but not the message, which can quote patient data.
    expect(JSON.stringify(log.mock.calls)).not.toMatch(/Jane|943 476/);
    log.mockRestore();
  });
});
