import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { PlanVersion } from './plan-version.entity.ts';

export const PLAN_DOCUMENT_KINDS = ['qr_png', 'qr_svg', 'label_pdf'] as const;
export type PlanDocumentKind = (typeof PLAN_DOCUMENT_KINDS)[number];

/** Files issued at publication: the QR code and the printable label. */
export const PlanDocument = defineEntity({
  name: 'PlanDocument',
  uniques: [{ properties: ['planVersion', 'kind'] }],
  properties: {
    ...baseProperties,
    planVersion: () => p.manyToOne(PlanVersion).mapToPk(),
    kind: p.enum([...PLAN_DOCUMENT_KINDS]),
    contentType: p.string().length(100),
    content: p.blob(),
  },
});
export type PlanDocument = InferEntity<typeof PlanDocument>;
