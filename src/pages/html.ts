/**
 * Server-rendered pages: a tagged template that escapes every interpolated
 * value (escape-html) unless it is already-built markup.
 */
import escapeHtml from 'escape-html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assetUrl } from './assets.ts';
import { words } from './consumer-i18n.ts';

/** The brand mark every page shows in its tab (hashed URL, cached for a year). */
export const FAVICON = '/brand/favicon.svg';

const SAFE = Symbol('safe-html');
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

const safe = (value: string): SafeHtml => ({ [SAFE]: true, value });
const isSafe = (v: unknown): v is SafeHtml => typeof v === 'object' && v !== null && SAFE in v;

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafe(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return safe(out);
}

/** Whether the app serving this request is a staging deployment with the sandbox gateway. */
export const isStaging = (request: FastifyRequest) =>
  request.server.deps.config.payments.sandbox === 'staging';

export interface PageOptions {
  lang: 'zh' | 'en';
  title: string;
  body: SafeHtml;
  /** Same page in the other language. */
  switchUrl?: string;
  switchLabel?: string;
  /** Plain paths of module scripts in web/ (`/consumer/…`); the page links their hashed URLs (src/pages/assets.ts). */
  scripts?: string[];
  /** A staging deployment with the sandbox gateway (SANDBOX_PAYMENTS=staging): every page says so. */
  staging: boolean;
}

/**
 * The consumer pages' shell: phone-first, one small stylesheet, no framework. Scripts are modules,
 * which run after the page is parsed wherever they stand; in the head they are fetched early and
 * stay out of the landing page's per-response uncompressed tail (src/services/landing-cache.ts).
 */
export function page({
  lang,
  title,
  body,
  switchUrl,
  switchLabel,
  scripts = [],
  staging,
}: PageOptions): string {
  return `<!doctype html>${
    html`<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><link rel="icon" type="image/svg+xml" href="${assetUrl(FAVICON)}"><link rel="stylesheet" href="${assetUrl('/consumer/consumer.css')}">${scripts.map((src) => html`<script type="module" src="${assetUrl(src)}"></script>`)}</head><body><header class="bar"><span class="logo">延保 Yanbao</span>${
      switchUrl ? html`<a class="lang" href="${switchUrl}">${switchLabel}</a>` : ''
    }</header>${
      staging
        ? html`<p class="staging" role="alert" data-testid="staging-banner">${words(lang).stagingBanner}</p>`
        : ''
    }<main>${body}</main></body></html>`.value
  }`;
}

/** The response headers of a server-rendered page: it carries private data or a fresh form key, so it is never stored, and its language follows Accept-Language. */
export const pageHeaders = (reply: FastifyReply, status: number) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'accept-language');

/** Sends a server-rendered page (see pageHeaders). */
export const sendPage = (reply: FastifyReply, status: number, markup: string) =>
  pageHeaders(reply, status).send(markup);
