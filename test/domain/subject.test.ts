import { describe, expect, it } from 'vitest';
import { isOfficialRequest, normalizeSubject } from '../../src/domain/index.js';

const english = 'Order cancellation request from Amazon customer Li Lei';
const chinese = '亚马逊买家李雷的订单取消申请';

describe('the subject rule (seed: replies may change the subject line)', () => {
  it.each([
    ['RE: ', english],
    ['AW: ', english],
    ['TR: ', english],
    ['RV: ', english],
    ['SV: ', english],
    ['Antw: ', english],
    ['WG: ', english],
    ['FW: ', english],
    ['Fwd: ', english],
    ['RE: AW: Fwd: ', english],
    ['re:re:', english],
    ['RE : ', english],
    ['FW：', english],
    ['[Important] ', english],
    ['RE: [Important] ', english],
    ['回复：', chinese],
    ['答复：', chinese],
    ['转发：', chinese],
    ['回复：转发：', chinese],
    ['【重要】', chinese],
    ['', `  ${english.replace(/ /g, '   ')}  `],
    // French (France, Belgium, Canada): a space, often a no-break one, before the colon.
    ['Réf : ', english],
    ['RÉF: ', english],
    ['TR : ', english],
    ['TR\u00a0: RE\u202f: ', english],
    ['Re\u0301f : ', english],
    // Swedish, Finnish (and Danish, Norwegian).
    ['SV: ', english],
    ['VB: ', english],
    ['VS: ', english],
    ['VL: ', english],
    // Italian.
    ['R: ', english],
    ['RIF: ', english],
    ['I: ', english],
    ['R: R: R: Re: ', english],
    // Japanese, with an ASCII or a full-width colon.
    ['返信: ', english],
    ['転送: ', english],
    ['返信：', chinese],
    ['転送：返信：', english],
    // Portuguese (Brazil).
    ['RES: ', english],
    ['ENC: ', english],
    // Turkish.
    ['YNT: ', english],
    ['İLT: ', english],
    ['ILT: ', english],
    // Polish.
    ['Odp: ', english],
    ['PD: ', english],
    ['ODP: PD: ', english],
    // German, Spanish, Dutch.
    ['AW: WG: ', english],
    ['RV: ', english],
    ['Antw: ', english],
    ['Doorst: ', english],
    // Chinese, simplified and traditional, with either colon.
    ['答复: ', chinese],
    ['回复: ', chinese],
    ['转发: ', chinese],
    ['回覆：', chinese],
    ['轉寄: ', chinese],
    // Arabic (Egypt, Saudi Arabia, United Arab Emirates).
    ['رد: ', english],
    ['إعادة توجيه: ', english],
    ['توجيه: رد: ', english],
    // Counters some clients add, and full-width brackets.
    ['Re[2]: ', english],
    ['RE^3: ', english],
    ['AW [2]: ', english],
    ['［重要］', chinese],
  ])('should recognise %j before an official subject', (prefix, subject) => {
    expect(isOfficialRequest({ source: 'message', subject: `${prefix}${subject}` })).toBe(true);
  });

  it.each([
    ['the standard line inside another sentence', `Question about ${english}`],
    ['an unknown prefix', `Hello: ${english}`],
    ['a similar but different line', 'Order cancellation requested by Amazon customer Li'],
    ['a word glued to the standard line', 'Order cancellation request from Amazon customers'],
    ['the Chinese line inside another sentence', `关于${chinese}`],
    ['no subject at all', undefined],
    ['a prefix word without its colon (Italian)', `R ${english}`],
    ['a prefix word with a dot instead of a colon', `Rif. ${english}`],
    ['a word that starts like a prefix', `Reply: ${english}`],
    ['a longer word that starts like a prefix (German)', `Antwort: ${english}`],
    ['a longer word that starts like a prefix (Polish)', `Odpowiedź: ${english}`],
    ['a word and a number before the colon', `R2: ${english}`],
    ['a prefix word glued to the standard line', `R${english}`],
    ['a Japanese prefix without its colon', `返信 ${english}`],
    ['a Chinese prefix without its colon', `回复${chinese}`],
  ])('should not recognise %s', (_, subject) => {
    expect(isOfficialRequest({ source: 'message', subject })).toBe(false);
  });

  it('should always treat the IsBuyerRequestedCancel flag as official', () => {
    expect(isOfficialRequest({ source: 'order-flag' })).toBe(true);
  });

  it('should strip prefixes and tags and collapse whitespace', () => {
    expect(normalizeSubject('RE:  Fwd:\t[Important]   Order   cancellation ')).toBe('Order cancellation');
  });

  it.each([
    ['R: Rif. 123 order', 'Rif. 123 order'],
    ['RE: Reply: order', 'Reply: order'],
    ['SV: Svar på order', 'Svar på order'],
    ['I: I want to cancel', 'I want to cancel'],
    ['Réf : Re\u0301f. 42', 'Réf. 42'],
    ['返信：返信がない', '返信がない'],
    ['Resposta: pedido', 'Resposta: pedido'],
  ])('should strip only prefixes with their colon from %j', (subject, expected) => {
    expect(normalizeSubject(subject)).toBe(expected);
  });
});
