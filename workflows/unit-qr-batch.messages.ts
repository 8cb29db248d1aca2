/** The stages a unit QR batch passes (its BusinessStatus), in order; `failed` ends a batch that could not finish. */
export const UNIT_BATCH_STAGES = ['issuing', 'rendering', 'done', 'failed'] as const;
export type UnitBatchStage = (typeof UNIT_BATCH_STAGES)[number];
