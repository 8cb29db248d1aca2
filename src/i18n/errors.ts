/**
 * Errors in words: the language a request reads, and field problems and error messages rendered from the
 * catalogue's `errors` namespace. Codes and params stay in the body beside the words, for clients that
 * render them themselves (the portal does when it switches language).
 */
import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '../domain/errors.ts';
import { type Locale, type Message, translate } from './catalogue.ts';

/**
 * The language a request reads: `?lang=zh|en` (the consumer pages' switch), then Accept-Language (the portal
 * sends its current language), the first zh-… or en-… tag by preference; `fallback` when it names neither.
 * Not request.language(['zh', 'en']): at equal q it prefers the exact tag, so `zh-CN, en` would be en.
 */
export function requestLocale(request: FastifyRequest, fallback: Locale): Locale {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'zh') return 'zh-CN';
  if (asked === 'en') return 'en';
  const primary = request
    .languages()
    .map((tag) => tag.toLowerCase().split('-')[0])
    .find((tag) => tag === 'zh' || tag === 'en');
  return primary === 'zh' ? 'zh-CN' : primary === 'en' ? 'en' : fallback;
}

/** A field problem as the API sends it: its code and params, and their words in `locale`. */
export interface FieldMessage extends FieldProblem {
  message: string;
}

/**
 * The words of one problem. A Temporal history recorded before problems had codes holds `{ field, message }`
 * (an in-flight claim's cap refusal): its English words are all there is.
 */
const wordsOf = (locale: Locale, problem: FieldProblem): string =>
  problem.code ? translate(locale, problem) : String((problem as { message?: unknown }).message ?? '');

export const fieldMessages = (locale: Locale, problems: FieldProblem[]): FieldMessage[] =>
  problems.map((problem) => ({ ...problem, message: wordsOf(locale, problem) }));

/** "field message; field message" — one line for a whole refusal. */
export const problemsInWords = (locale: Locale, problems: FieldProblem[]): string =>
  problems.map((problem) => `${problem.field} ${wordsOf(locale, problem)}`).join('; ');

/** For failure messages and logs, which are English. */
export const problemsInEnglish = (problems: FieldProblem[]): string => problemsInWords('en', problems);

/** A message as the API sends it: its words in `locale`, and its code and params. */
export const inWords = (locale: Locale, message: Message) => ({
  message: translate(locale, message),
  ...message,
});

/** The consumer pages' `zh`/`en` as a catalogue locale. */
export const localeOfLang = (lang: 'zh' | 'en'): Locale => (lang === 'zh' ? 'zh-CN' : 'en');

/** A field problem (or a page-wide one under field `form`) in words of a consumer page's language. */
export const problemInWords = (lang: 'zh' | 'en', problem: FieldProblem): string =>
  wordsOf(localeOfLang(lang), problem);
