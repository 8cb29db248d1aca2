/**
 * The page an emailed password link opens (src/services/users.ts): GET shows the form when the
 * link still works, POST sets the password. Server-rendered in Chinese and English, so the link
 * works without the portal's scripts.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD_LENGTH } from '../../domain/auth.ts';
import { DomainError } from '../../domain/errors.ts';
import { type Locale, translate } from '../../i18n/catalogue.ts';
import { type Lang, pickLang } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, type SafeHtml, sendPage } from '../../pages/html.ts';
import {
  type LinkProblem,
  passwordLinkProblem,
  RESET_LINK_MINUTES,
  RESET_PAGE_PATH,
  setPasswordWithLink,
} from '../../services/users.ts';

const localeOf = (lang: Lang): Locale => (lang === 'en' ? 'en' : 'zh-CN');
const LINK_PROBLEM_CODES = new Set<string>([
  'reset_link_unknown',
  'reset_link_used',
  'reset_link_expired',
  'reset_link_account_deactivated',
] satisfies LinkProblem[]);

export const accountPages: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  await app.register(formbody);
  const t = (lang: Lang, key: string, params: Record<string, unknown> = {}) =>
    translate(localeOf(lang), {
      code: `account:${key}`,
      params: { min: PASSWORD_LENGTH.min, max: PASSWORD_LENGTH.max, minutes: RESET_LINK_MINUTES, ...params },
    });

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    body: (lang: Lang) => SafeHtml,
  ) {
    const lang = pickLang(request);
    const other = lang === 'zh' ? 'en' : 'zh';
    // The token stays in the switch link: the same form in the other language.
    const token = (request.query as { t?: string }).t;
    return sendPage(
      reply,
      status,
      page({
        lang,
        staging: isStaging(request),
        title: t(lang, 'page.title'),
        switchUrl: `${RESET_PAGE_PATH}?${new URLSearchParams({ ...(token ? { t: token } : {}), lang: other })}`,
        switchLabel: t(lang, 'page.switchTo'),
        body: body(lang),
      }),
    );
  }

  const form = (lang: Lang, token: string, error?: { field: 'password' | 'confirm'; text: string }) =>
    html`<h1>${t(lang, 'page.title')}</h1><form class="card" method="post" action="${RESET_PAGE_PATH}?${new URLSearchParams({ t: token, lang })}"><p>${t(lang, 'page.intro')}</p>
<input type="hidden" name="t" value="${token}">
<label for="password">${t(lang, 'page.password')}</label><input type="password" id="password" name="password" autocomplete="new-password" minlength="${PASSWORD_LENGTH.min}" maxlength="${PASSWORD_LENGTH.max}" required${error?.field === 'password' ? html` aria-invalid="true"` : ''}>
<label for="confirm">${t(lang, 'page.confirm')}</label><input type="password" id="confirm" name="confirm" autocomplete="new-password" required${error?.field === 'confirm' ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="error" role="alert">${error.text}</p>` : ''}<button type="submit">${t(lang, 'page.submit')}</button></form>`;
  const linkRefused = (lang: Lang, problem: string) =>
    html`<h1>${t(lang, 'page.title')}</h1><p class="card error" role="alert" data-problem="${problem}">${t(lang, `errors.${problem}`)}</p>`;

  const Query = Type.Object({
    t: Type.Optional(Type.String({ maxLength: 100 })),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
  });

  app.get(RESET_PAGE_PATH, { schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const token = request.query.t ?? '';
    const problem = await passwordLinkProblem(request.em, token);
    if (problem)
      return render(request, reply, problem === 'reset_link_unknown' ? 404 : 410, (l) =>
        linkRefused(l, problem),
      );
    return render(request, reply, 200, (l) => form(l, token));
  });

  app.post(
    RESET_PAGE_PATH,
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        querystring: Query,
        body: Type.Object({
          t: Type.String({ maxLength: 100 }),
          password: Type.String({ maxLength: 1000 }),
          confirm: Type.String({ maxLength: 1000 }),
        }),
      },
    },
    async (request, reply) => {
      const { t: token, password, confirm } = request.body;
      if (password !== confirm)
        return render(request, reply, 400, (l) =>
          form(l, token, { field: 'confirm', text: t(l, 'errors.password_mismatch') }),
        );
      try {
        await setPasswordWithLink(request.em, { config, log: request.log }, token, password);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (LINK_PROBLEM_CODES.has(err.code))
          return render(request, reply, err.status, (l) => linkRefused(l, err.code));
        if (err.code === 'validation_failed')
          return render(request, reply, 400, (l) =>
            form(l, token, {
              field: 'password',
              text: t(
                l,
                password.length < PASSWORD_LENGTH.min
                  ? 'errors.password_too_short'
                  : 'errors.password_too_long',
              ),
            }),
          );
        throw err;
      }
      return render(
        request,
        reply,
        200,
        (l) =>
          html`<h1>${t(l, 'page.title')}</h1><p class="card" role="status" data-testid="password-set">${t(l, 'page.done')}</p><p><a href="/portal/login.html">${t(l, 'page.login')}</a></p>`,
      );
    },
  );
};
