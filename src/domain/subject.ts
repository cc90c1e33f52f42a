/** The standard subject lines of an official request (seed), once reply prefixes and tags are removed. */
const officialSubjects = [/^order cancellation request from amazon customer\b/i, /^亚马逊买家.*的订单取消申请/];

/**
 * A reply or forward prefix in the marketplaces' languages (English, German, French, Spanish, Italian,
 * Swedish, Dutch, Chinese), with an ASCII or full-width colon, or a bracketed tag such as "[Important]".
 */
const leadingNoise = /^(?:(?:re|aw|tr|rv|sv|antw|wg|fw|fwd|vs|回复|答复|转发)\s*[:：]|\[[^\]]*\]|【[^】]*】)\s*/i;

/**
 * The subject line as the buyer's system first wrote it: reply and forward prefixes ("RE:", "AW:", "回复：",
 * any number of them), bracketed tags ("[Important]") and repeated whitespace removed.
 * @example
 * normalizeSubject('RE: Fwd:  [Important] Order cancellation request'); // 'Order cancellation request'
 */
export function normalizeSubject(subject: string): string {
  let text = subject.replace(/\s+/g, ' ').trim();
  for (let match = leadingNoise.exec(text); match && match[0].length > 0; match = leadingNoise.exec(text)) {
    text = text.slice(match[0].length).trimStart();
  }
  return text;
}

/**
 * Whether a buyer's request is official: Amazon's IsBuyerRequestedCancel flag, or a message whose subject,
 * after reply prefixes and tags, starts with the standard line ("Order cancellation request from Amazon
 * customer…" / "亚马逊买家…的订单取消申请"). Replies change the subject line (seed: "Additional
 * communication between you and the buyer may change the subject line of the original communication").
 * @example
 * isOfficialRequest({ source: 'message', subject: 'AW: Order cancellation request from Amazon customer Li' }); // true
 */
export function isOfficialRequest(request: { source: 'order-flag' | 'message'; subject?: string | undefined }): boolean {
  if (request.source === 'order-flag') return true;
  const subject = normalizeSubject(request.subject ?? '');
  return officialSubjects.some((pattern) => pattern.test(subject));
}
