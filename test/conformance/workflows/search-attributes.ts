/** Workflows that set typed custom search attributes, as SDK users write them. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

export const orderTotal = defineSearchAttributeKey('OrderTotal', SearchAttributeType.INT);
export const orderStage = defineSearchAttributeKey('OrderStage', SearchAttributeType.KEYWORD);
export const orderPlacedAt = defineSearchAttributeKey('OrderPlacedAt', SearchAttributeType.DATETIME);
export const orderTags = defineSearchAttributeKey('OrderTags', SearchAttributeType.KEYWORD_LIST);
export const orderNote = defineSearchAttributeKey('OrderNote', SearchAttributeType.TEXT);
export const orderWeight = defineSearchAttributeKey('OrderWeight', SearchAttributeType.DOUBLE);
export const orderPaid = defineSearchAttributeKey('OrderPaid', SearchAttributeType.BOOL);

export interface OrderAttributes {
  total: number;
  stage: string;
  placedAt: string;
  tags: string[];
  note: string;
  weight: number;
  paid: boolean;
}

/** An order's workflow: it records what it knows of the order as typed search attributes. */
export async function indexedOrder(order: OrderAttributes): Promise<void> {
  upsertSearchAttributes([
    { key: orderTotal, value: order.total },
    { key: orderStage, value: order.stage },
    { key: orderPlacedAt, value: new Date(order.placedAt) },
    { key: orderTags, value: order.tags },
    { key: orderNote, value: order.note },
    { key: orderWeight, value: order.weight },
    { key: orderPaid, value: order.paid },
  ]);
}

/** Sets an attribute nobody registered: the server refuses the workflow task. */
export async function upsertsUnregisteredAttribute(): Promise<void> {
  upsertSearchAttributes([{ key: defineSearchAttributeKey('NeverRegistered', SearchAttributeType.KEYWORD), value: 'x' }]);
}
