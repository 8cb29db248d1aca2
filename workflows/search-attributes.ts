/**
 * Custom search attributes, registered by the setup step every deployment runs
 * (src/temporal/prepare-namespace.ts) and set by workflows. Auditors filter the
 * workflow list by them. Never put personal data here.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const MANUFACTURER_ID = defineSearchAttributeKey('YanbaoManufacturerId', SearchAttributeType.KEYWORD);
export const PLAN_ID = defineSearchAttributeKey('YanbaoPlanId', SearchAttributeType.KEYWORD);
export const ORDER_NUMBER = defineSearchAttributeKey('YanbaoOrderNumber', SearchAttributeType.KEYWORD);
export const BUSINESS_STATUS = defineSearchAttributeKey('YanbaoBusinessStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [MANUFACTURER_ID, PLAN_ID, ORDER_NUMBER, BUSINESS_STATUS];
