/**
 * Repair requests (报修): claim numbers, filing a claim and starting its
 * ClaimWorkflow, the lookups of the consumer and of the service desk, and the
 * desk's actions, each a workflow Update whose activities record it.
 * Used by routes/api/claims.ts, routes/pages/consumer-claims.ts and the claim activities.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  CLAIM_ERRORS,
  type ClaimProgress,
  type CloseInput,
  claimProgressQuery,
  claimWorkflowId,
  closeUpdate,
  type DecisionInput,
  decideUpdate,
  type RepairInput,
  recordRepairUpdate,
} from '../../workflows/claim.messages.ts';
import type { AppConfig } from '../config.ts';
import type { CoverageType } from '../domain/catalog.ts';
import {
  type ClaimFacts,
  claimableCoverageTypes,
  claimProblems,
  orderClaimability,
  photoProblems,
  photoTypeOf,
  type UploadedPhoto,
} from '../domain/claim-rules.ts';
import { chinaDate } from '../domain/coverage.ts';
import { Claim, ClaimPhoto, type Order, PlanVersion } from '../domain/entities/index.ts';
import {
  conflict,
  DomainError,
  errorMessage,
  FIELD_WORDS,
  type FieldProblem,
  fieldProblem,
  idempotencyKeyReused,
  invalid,
  notFound,
  rejected,
} from '../domain/errors.ts';
import { normalizeMobile } from '../domain/phone.ts';
import { claimFingerprint } from '../domain/request-fingerprint.ts';
import { startClaimWorkflow } from '../temporal/claim.client.ts';
import { queryIfExists, updateRefusal } from '../temporal/workflow-calls.ts';
import { orderByLink } from './order-view.ts';

export interface ClaimDeps {
  em: EntityManager;
  client: Client;
  config: AppConfig;
}

/** The consumer's form (routes' ClaimBody). */
export interface ClaimForm {
  faultDescription: string;
  /** YYYY-MM-DD */
  faultDate: string;
  contactPhone: string;
  coverageType: CoverageType;
  /** Random per rendered form: a resubmission of the same form is the same claim. */
  idempotencyKey: string;
}

/** The photos of a multipart request (parsed by src/routes/claim-uploads.ts). */
export interface ClaimUpload {
  photos: UploadedPhoto[];
  /** Files beyond MAX_PHOTOS, counted but not kept. */
  extra: number;
  problems: FieldProblem[];
}

// --- claim numbers and the workflow --------------------------------------------

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * "CL" + 16 characters (80 bits) from the order and the random key of the
 * consumer's form: the same submission is always the same claim, and nobody
 * can guess another consumer's claim number.
 */
export function claimNumberFor(orderNumber: string, idempotencyKey: string, secret: string): string {
  const bytes = createHmac('sha256', secret).update(`claim-number:${orderNumber}:${idempotencyKey}`).digest();
  let out = 'CL';
  for (let i = 0; i < 16; i++) out += BASE32[(bytes[i] as number) % 32];
  return out;
}

export const newClaimKey = () => randomUUID().replaceAll('-', '');

/** The consumer's page of one claim (the order link's token opens it). */
export const claimPageUrl = (
  publicBaseUrl: string,
  orderNumber: string,
  claimNumber: string,
  token: string,
) => `${publicBaseUrl}/o/${orderNumber}/claims/${claimNumber}?t=${encodeURIComponent(token)}`;

export const claimProgress = (client: Client, claimNumber: string): Promise<ClaimProgress | null> =>
  queryIfExists(client, claimWorkflowId(claimNumber), claimProgressQuery);

/** Maps a workflow's refusal (validator or activity) to the HTTP-facing domain error. */
function translate(err: unknown): never {
  const refusal = updateRefusal(err);
  switch (refusal?.type) {
    case CLAIM_ERRORS.wrongStage:
      throw conflict(errorMessage('claimWrongStage'));
    case CLAIM_ERRORS.invalidInput:
      throw invalid(refusal.fields, FIELD_WORDS);
    case CLAIM_ERRORS.capExceeded:
      throw rejected('claim_cap_exceeded', errorMessage('claimCap'), refusal.fields);
    case CLAIM_ERRORS.missing:
      throw notFound('claim');
  }
  if (err instanceof WorkflowNotFoundError) throw conflict(errorMessage('claimNotOpen'));
  throw err;
}

// --- the order's side of a claim ---------------------------------------------------

/** What decides whether the order covers a claim, today (China date). */
export async function claimFactsOf(em: EntityManager, order: Order): Promise<ClaimFacts> {
  const version = await em.findOneOrFail(PlanVersion, { id: order.planVersion });
  return {
    orderStatus: order.status,
    coverageStart: order.coverageStart ?? null,
    coverageEnd: order.coverageEnd ?? null,
    paidOn: order.paidAt ? chinaDate(order.paidAt) : null,
    rule: version.coverageStartRule,
    claimableTypes: claimableCoverageTypes(version.clauses),
    today: chinaDate(new Date()),
  };
}

/**
 * Repair costs already approved on the order's claims (all but `except`): what
 * the claim cap is measured against.
 */
export async function approvedRepairFen(em: EntityManager, orderId: string, except?: string) {
  const claims = await em.find(Claim, {
    order: orderId,
    repairCostFen: { $ne: null },
    ...(except ? { id: { $ne: except } } : {}),
  });
  return claims.reduce((sum, c) => sum + (c.repairCostFen ?? 0), 0);
}

// --- filing a claim (consumer) ------------------------------------------------

/**
 * Checks a repair request completely (schema problems, photos, the phone, the
 * fault date against the coverage window, the coverage type against the
 * plan's clauses), then stores it with its photos and starts its workflow.
 * Bad input is refused with every problem named and nothing written.
 */
export async function fileClaim(
  { em, client, config }: ClaimDeps,
  order: Order,
  form: Partial<ClaimForm>,
  upload: ClaimUpload,
  schemaProblems: FieldProblem[],
): Promise<Claim> {
  const notClaimable = orderClaimability(order.status);
  if (notClaimable) throw conflict(notClaimable);
  const facts = await claimFactsOf(em, order);
  const flagged = new Set(schemaProblems.map((p) => p.field));
  const phone = typeof form.contactPhone === 'string' ? normalizeMobile(form.contactPhone) : null;
  const malformed = [
    ...schemaProblems,
    ...(flagged.has('contactPhone') || phone ? [] : [fieldProblem('contactPhone', 'phone')]),
    ...upload.problems,
    ...photoProblems(upload.photos, upload.extra),
  ];
  const notCovered = claimProblems(
    { faultDate: String(form.faultDate ?? ''), coverageType: String(form.coverageType ?? '') },
    facts,
  ).filter((p) => !flagged.has(p.field));
  // A malformed request is a 400 naming every problem; a well-formed one the plan does not cover, a 422.
  if (malformed.length > 0 || !phone) throw invalid([...malformed, ...notCovered]);
  const valid = form as ClaimForm;

  const claimNumber = claimNumberFor(order.orderNumber, valid.idempotencyKey, config.linkSecret);
  const fingerprint = claimFingerprint({
    faultDescription: valid.faultDescription,
    faultDate: valid.faultDate,
    contactPhone: phone,
    coverageType: valid.coverageType,
    photos: upload.photos.map((p) => p.bytes),
  });
  /** The claim this key already filed, unless it was filed with a different form. */
  const sameRequest = (claim: Claim) => {
    if (claim.requestFingerprint && claim.requestFingerprint !== fingerprint) throw idempotencyKeyReused();
    return claim;
  };
  const existing = await em.findOne(Claim, { claimNumber });
  if (existing) {
    // The same form sent again (a double tap, a retried request): the same claim.
    sameRequest(existing);
    if (existing.status === 'submitted') await startClaimWorkflow(client, config, existing, order);
    return existing;
  }
  // After the key's check: a key reused with another form is that, whatever the new form says.
  if (notCovered.length > 0) throw rejected('claim_not_covered', errorMessage('claimNotCovered'), notCovered);
  const claim = em.create(Claim, {
    id: randomUUID(),
    claimNumber,
    order: order.id,
    manufacturer: order.manufacturer,
    faultDescription: valid.faultDescription.trim(),
    faultDate: valid.faultDate,
    contactPhone: phone,
    coverageType: valid.coverageType,
    workflowId: claimWorkflowId(claimNumber),
    requestFingerprint: fingerprint,
  });
  for (const photo of upload.photos)
    em.create(ClaimPhoto, {
      claim: claim.id,
      fileName: photo.fileName,
      contentType: photoTypeOf(photo.bytes) as string,
      sizeBytes: photo.bytes.length,
      content: Buffer.from(photo.bytes),
    });
  try {
    await em.flush();
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    // The same key raced itself: its claim is there now, filed by whichever form came first.
    const raced = await em.fork().findOne(Claim, { claimNumber });
    if (!raced) throw err;
    return sameRequest(raced);
  }
  try {
    await startClaimWorkflow(client, config, claim, order);
  } catch (err) {
    // Without its workflow nobody would handle the claim: take it back, so the consumer can simply retry.
    await em.fork().nativeDelete(ClaimPhoto, { claim: claim.id });
    await em.fork().nativeDelete(Claim, { id: claim.id });
    throw err;
  }
  return claim;
}

// --- lookups ------------------------------------------------------------------------

/** The order's claim of that number, or null (another order's claim is none of this order's). */
export const claimOfOrder = (em: EntityManager, order: Order, claimNumber: string) =>
  em.findOne(Claim, { claimNumber, order: order.id });

/** The claim of the order a link opens, only with its token; another order's claim looks missing. */
export async function consumerClaim(
  em: EntityManager,
  link: { orderNumber: string; claimNumber: string; token: string },
  secret: string,
) {
  const order = await orderByLink(em, link.orderNumber, link.token, secret);
  const claim = await claimOfOrder(em, order, link.claimNumber);
  if (!claim) throw notFound('claim');
  return { order, claim };
}

/** The manufacturer's own claim; another manufacturer's answers 404 like a missing one. */
export async function deskClaim(em: EntityManager, manufacturerId: string, claimNumber: string) {
  const claim = await em.findOne(Claim, { claimNumber, manufacturer: manufacturerId });
  if (!claim) throw notFound('claim');
  return claim;
}

/** A photo of the claim, content included. */
export async function claimPhoto(em: EntityManager, claimId: string, photoId: string) {
  const photo = await em.findOne(ClaimPhoto, { id: photoId, claim: claimId });
  if (!photo) throw notFound('photo');
  return photo;
}

// --- the service desk's actions -------------------------------------------------------

/**
 * Sends a desk action to the claim's workflow after a quick look at the stored
 * status (clear 409s); answers the claim as the workflow's activities left it.
 */
async function deskAction(
  { em, client }: ClaimDeps,
  manufacturerId: string,
  claimNumber: string,
  expected: Claim['status'],
  send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>,
): Promise<Claim> {
  const claim = await deskClaim(em, manufacturerId, claimNumber);
  if (claim.status !== expected)
    throw conflict(errorMessage('claimStatus', { status: claim.status, expected }));
  try {
    await send(client.workflow.getHandle(claimWorkflowId(claimNumber)));
  } catch (err) {
    if (err instanceof DomainError) throw err;
    translate(err);
  }
  // The workflow's activities changed the claim (and maybe the order): read them afresh.
  em.clear();
  return deskClaim(em, manufacturerId, claimNumber);
}

/** Accept or reject a submitted claim; a rejection needs a reason (the consumer reads it). */
export async function decideClaim(
  deps: ClaimDeps,
  manufacturerId: string,
  claimNumber: string,
  input: DecisionInput,
): Promise<Claim> {
  if (input.decision === 'reject' && input.reason.trim() === '')
    throw invalid([fieldProblem('reason', 'rejectReason')]);
  return deskAction(deps, manufacturerId, claimNumber, 'submitted', (handle) =>
    handle.executeUpdate(decideUpdate, { args: [input] }),
  );
}

/** Records the repair of an accepted claim; the workflow refuses one past the claim cap. */
export const recordClaimRepair = (
  deps: ClaimDeps,
  manufacturerId: string,
  claimNumber: string,
  input: RepairInput,
): Promise<Claim> =>
  deskAction(deps, manufacturerId, claimNumber, 'accepted', (handle) =>
    handle.executeUpdate(recordRepairUpdate, { args: [input] }),
  );

export const closeClaim = (
  deps: ClaimDeps,
  manufacturerId: string,
  claimNumber: string,
  input: CloseInput,
): Promise<Claim> =>
  deskAction(deps, manufacturerId, claimNumber, 'repaired', (handle) =>
    handle.executeUpdate(closeUpdate, { args: [input] }),
  );
