import { describe, expect, it } from 'vitest';
import { isOfficialRequest, normalizeSubject } from '../../src/index.js';

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
  ])('should not recognise %s', (_, subject) => {
    expect(isOfficialRequest({ source: 'message', subject })).toBe(false);
  });

  it('should always treat the IsBuyerRequestedCancel flag as official', () => {
    expect(isOfficialRequest({ source: 'order-flag' })).toBe(true);
  });

  it('should strip prefixes and tags and collapse whitespace', () => {
    expect(normalizeSubject('RE:  Fwd:\t[Important]   Order   cancellation ')).toBe('Order cancellation');
  });
});
