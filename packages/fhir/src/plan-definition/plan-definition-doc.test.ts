// docs/interop/plan-definition.md shows real output: each JSON block in it is checked against what
// the generator writes for ros-2022.2 (a published version, so frozen) with the documentation base.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlanDefinition, PlanDefinitionAction } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_CANONICAL_BASE, planDefinition } from './index.js';

const DOC = fileURLToPath(new URL('../../../../docs/interop/plan-definition.md', import.meta.url));

function actions(list: readonly PlanDefinitionAction[] | undefined): PlanDefinitionAction[] {
  return (list ?? []).flatMap((action) => [action, ...actions(action.action)]);
}

describe('docs/interop/plan-definition.md', () => {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```json\n([\s\S]*?)\n```/g)].map(
    (match) => JSON.parse(match[1] as string) as Record<string, unknown>,
  );
  const resource = planDefinition('ros-2022.2', { canonicalBase: DOCUMENTED_CANONICAL_BASE });

  it('has the resource header and three actions as examples', () => {
    expect(blocks.map((block) => block.resourceType ?? block.id)).toEqual([
      'PlanDefinition',
      'anchor-admission',
      'pain-review-48h',
      'calcitonin-acute-phase',
    ]);
  });

  it('shows each of them as the generator writes it (copy the block again from docs/fhir)', () => {
    const [header, ...shown] = blocks;
    const { action: _a, text: _t, relatedArtifact: _r, ...rest } = resource as PlanDefinition;
    expect(header).toEqual(rest);
    for (const block of shown)
      expect(block).toEqual(actions(resource.action).find((action) => action.id === block.id));
  });
});
