import type { Lang } from '../domain/index.js';
import { replayRecording } from '../runtime/index.js';
import { formatStep } from './format.js';
import { scenarios } from './scenarios.js';

/** Runs every scenario and returns the printed walk: one block per rule, one line per verdict. */
export function runWalk(lang: Lang): string {
  const heading = lang === 'zh-CN' ? '订单取消规则演示:每条规则一个订单' : 'Order cancellation rules, one order per rule';
  const blocks = scenarios.map((scenario) => {
    const steps = replayRecording({ input: scenario.input, events: scenario.events.map((step) => step.event) });
    const lines = steps.map((step, index) => formatStep(step, index, lang));
    return `${scenario.id}  ${scenario.title[lang]}  (${scenario.input.orderId})\n${lines.join('\n')}`;
  });
  return `${heading}\n\n${blocks.join('\n\n')}\n`;
}
