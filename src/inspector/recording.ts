import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidInputError, preview } from '../domain/index.js';
import { replayRecording, type ReplayStep } from '../runtime/index.js';
import { InspectorError } from './errors.js';

/** A recorded order checked and replayed: its name (usually the file name) and every step. */
export interface LoadedRecording {
  name: string;
  steps: ReplayStep[];
}

/** A recorded value as an error shows it: JSON cut at 60 characters, bounded however large or deep the value. */
const describe = (value: unknown): string => preview(value, 60);

function replayOne(recording: unknown, name: string): LoadedRecording {
  try {
    return { name, steps: replayRecording(recording) };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InspectorError(`Cannot load recorded order "${name}": ${error.details.replace(/\.$/, '')}.`);
  }
}

/**
 * Checks and replays recorded orders: one `{ input, events }` object or an array of them. Throws
 * InspectorError naming the recording and the field (e.g. `events.1.at`) when one is malformed.
 * @example
 * const [loaded] = loadRecordings({ input, events: [{ type: 'seller.generateLabel', at: '2026-11-26T11:00:00Z' }] }, 'order.json');
 */
export function loadRecordings(value: unknown, name = 'recording'): LoadedRecording[] {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InspectorError(`Cannot load recorded orders from "${name}": the array is empty.`);
    return value.map((recording, index) => replayOne(recording, `${name}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) {
    throw new InspectorError(
      `Cannot load recorded order "${name}": expected an object { input, events } (or { snapshot, restoredAt, events }) or an array of them, got ${describe(value)}.`,
    );
  }
  return [replayOne(value, name)];
}

/**
 * Reads a recorded order file (JSON: `{ input, events }` or an array of them) and replays it. Throws
 * InspectorError when the file is missing, is not JSON, or holds a malformed recording.
 * @example
 * const loaded = await readRecordingFile('orders/113-1234567-1234567.json');
 */
export async function readRecordingFile(path: string): Promise<LoadedRecording[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InspectorError(`Cannot open recorded order "${path}": ${why}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InspectorError(
      `Recorded order "${path}" is not valid JSON: ${(error as Error).message.replace(/\.$/, '')}.`,
    );
  }
  return loadRecordings(value, basename(path));
}
