/** The standard subject lines of an official request (seed), once reply prefixes and tags are removed. */
const officialSubjects = [/^order cancellation request from amazon customer\b/i, /^亚马逊买家.*的订单取消申请/];

/**
 * Reply and forward prefixes in the languages of Amazon's marketplaces (SP-API "Marketplace IDs": Canada, United
 * States, Mexico, Brazil, Ireland, Spain, United Kingdom, France, Belgium, Netherlands, Germany, Italy, Sweden,
 * South Africa, Poland, Egypt, Turkey, Saudi Arabia, United Arab Emirates, India, Singapore, Australia, Japan)
 * and of the sellers who read Chinese first, as mail clients write them.
 */
const replyPrefixes = [
  // English, and most clients in any language.
  're',
  'fw',
  'fwd',
  // German: Antwort, Weitergeleitet.
  'aw',
  'wg',
  // French (France, Belgium, Canada): transféré, référence; typeset with a space before the colon ("RE :").
  'tr',
  'réf',
  // Spanish (Spain, Mexico, United States): reenviado.
  'rv',
  // Portuguese (Brazil): resposta, encaminhado.
  'res',
  'enc',
  // Italian: risposta, riferimento, inoltrato.
  'r',
  'rif',
  'i',
  // Dutch (Netherlands, Belgium): antwoord, doorgestuurd.
  'antw',
  'doorst',
  // Swedish: svar, vidarebefordrat.
  'sv',
  'vb',
  // Finnish (Sweden's Finnish speakers): vastaus, välitetty; Danish and Norwegian VS is videresendt.
  'vs',
  'vl',
  // Polish: odpowiedź, przekaż dalej.
  'odp',
  'pd',
  // Turkish: yanıt, ilet (a dotted capital İ is its own letter: JavaScript's case folding does not map it to i).
  'ynt',
  'ilt',
  'İlt',
  // Arabic (Egypt, Saudi Arabia, United Arab Emirates): reply, forward.
  'رد',
  'توجيه',
  'إعادة توجيه',
  // Japanese: 返信 reply, 転送 forward.
  '返信',
  '転送',
  // Chinese, simplified and traditional.
  '回复',
  '答复',
  '转发',
  '回覆',
  '答覆',
  '轉寄',
  '轉發',
];

/**
 * One reply or forward prefix followed by its colon (ASCII or full-width; spaces may come before it, and a counter
 * such as "Re[2]:" or "RE^2:" may follow the word), or a bracketed tag such as "[Important]" or "【重要】". A word
 * counts as a prefix only with its colon, so "R2 order", "Rif." or "Antwort" at the start of a subject stay.
 */
const leadingNoise = new RegExp(
  String.raw`^(?:(?:${replyPrefixes.join('|')})(?:\s*\[\d+\]|\^\d+)?\s*[:：]|\[[^\]]*\]|【[^】]*】|［[^］]*］)\s*`,
  'i',
);

/**
 * The subject line as the buyer's system first wrote it: reply and forward prefixes in the marketplaces'
 * languages ("RE:", "AW:", "Réf :", "SV:", "R:", "返信：", "回复：", any number of them), bracketed tags
 * ("[Important]") and repeated whitespace removed; accented letters composed (Unicode NFC).
 * @example
 * normalizeSubject('RE: Fwd:  [Important] Order cancellation request'); // 'Order cancellation request'
 * normalizeSubject('TR : Réf : RIF: Order cancellation request'); // 'Order cancellation request'
 */
export function normalizeSubject(subject: string): string {
  // A client may send "Réf" decomposed (e + combining accent); composed, it matches the prefix list.
  let text = subject.normalize('NFC').replace(/\s+/g, ' ').trim();
  // Stryker disable next-line ConditionalExpression,EqualityOperator: every alternative of leadingNoise takes a character, so a match is never empty
  for (let match = leadingNoise.exec(text); match && match[0].length > 0; match = leadingNoise.exec(text)) {
    // Stryker disable next-line MethodExpression: a match ends with \s* and the text's end is trimmed, so trimStart and trimEnd change nothing
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
export function isOfficialRequest(request: {
  source: 'order-flag' | 'message';
  subject?: string | undefined;
}): boolean {
  if (request.source === 'order-flag') return true;
  // Stryker disable next-line StringLiteral: no subject and a subject that is not the standard line are alike not official
  const subject = normalizeSubject(request.subject ?? '');
  return officialSubjects.some((pattern) => pattern.test(subject));
}
