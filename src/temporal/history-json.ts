/**
 * Workflow history ⇄ the proto3 JSON that Temporal's CLI and UI export. The SDK's
 * converters live in an internal module; protobufjs' own proto3 JSON codec over the
 * public `@temporalio/proto` root gives the same text (checked on the recorded fixtures).
 */
import type { temporal } from '@temporalio/proto';
import proto from '@temporalio/proto';
import { Root } from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';

export type History = temporal.api.history.v1.IHistory;

// At run time the package is protobufjs' reflection Root; its .d.ts declares only the static classes.
if (!(proto instanceof Root)) throw new TypeError('@temporalio/proto is not a protobufjs Root');
const historyType = proto.lookupType('temporal.api.history.v1.History');

/** A history as pretty-printed proto3 JSON, the format of exported history files. */
export function historyToJSON(history: History): string {
  return JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

/** A history read from proto3 JSON; fields from a newer server are ignored. */
export function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null) throw new TypeError('Invalid history');
  // A message of the History type read by reflection, so it has IHistory's fields.
  return history as History;
}
