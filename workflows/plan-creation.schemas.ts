/**
 * What PlanCreationWorkflow reports (its status query and Update results), as schemas: the API's
 * response schema and, through `Static`, the types in plan-creation.messages.ts.
 * Not imported by workflow code except as types: TypeBox stays out of the workflow bundle.
 */
import { Type } from '@sinclair/typebox';
import { ReviewRecordSchema } from '../src/domain/plan-draft.schemas.ts';
import { StringEnum } from '../src/domain/schemas.ts';
import { PLAN_CREATION_STAGES } from './plan-creation.messages.ts';

export const PublishedPlanSchema = Type.Object({
  planId: Type.String({ format: 'uuid' }),
  planVersionId: Type.String({ format: 'uuid' }),
  code: Type.String({ description: 'public plan code' }),
  version: Type.Integer(),
  publicUrl: Type.String(),
});

export const PlanCreationStatusSchema = Type.Object(
  {
    stage: StringEnum([...PLAN_CREATION_STAGES, 'expired'] as const),
    submittedBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    lastReview: Type.Union([ReviewRecordSchema, Type.Null()]),
    remindersSent: Type.Integer(),
    published: Type.Union([PublishedPlanSchema, Type.Null()]),
  },
  { description: "PlanCreationWorkflow's status" },
);
