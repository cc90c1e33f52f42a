import { formatInstant, type Lang } from '../domain/index.js';
import { orderStatus, type ReplayStep } from '../runtime/index.js';

/** One line per step: the event, accepted or refused (with code), the status after it, and the message. */
export function formatStep(step: ReplayStep, index: number, lang: Lang): string {
  const event = step.event ? String(step.event['type']) : 'order.placed';
  const offset = step.snapshot.context.utcOffsetMinutes;
  const at = step.event ? formatAt(step.event['at'], offset) : formatInstant(step.snapshot.context.placedAt, offset);
  const mark = step.verdict.accepted ? (lang === 'zh-CN' ? '接受' : 'accepted') : `${lang === 'zh-CN' ? '拒绝' : 'refused'} ${step.verdict.code}`;
  const effects = step.effects.length ? `\n      effects: ${step.effects.map((effect) => effect.type).join(', ')}` : '';
  return `  ${String(index).padStart(2)}. ${at}  ${event.padEnd(26)} ${mark} -> ${orderStatus(step.snapshot)}\n      ${step.verdict.message[lang]}${effects}`;
}

/** An event's instant in the order's own offset (as given when it is not an instant). */
function formatAt(at: unknown, offset: number): string {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at instanceof Date ? at.getTime() : NaN;
  return Number.isNaN(ms) ? String(at) : formatInstant(ms, offset);
}
