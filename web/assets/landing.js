/** The landing page: only the frame (language switch) is dynamic. */

import { t } from './i18n.js';
import { html } from './lit.js';
import { bootPublic } from './shell.js';
import { mountView } from './view.js';

mountView(
  () => html`
    <section class="hero">
      <div class="hero-inner">
        <h1>${t('landing.heading')}</h1>
        <p>${t('landing.lead')}</p>
        <div class="form-actions">
          <a class="button" href="/portal/" data-testid="landing-portal">${t('landing.portal')}</a>
          <a class="button button-secondary" href="/portal/signup.html">${t('landing.signup')}</a>
          <a class="button button-secondary" href="/docs" data-testid="landing-docs">${t('landing.docs')}</a>
        </div>
      </div>
    </section>
    <main class="container">
      <div class="features">
        <section class="card">
          <h2>${t('landing.f1.title')}</h2>
          <p class="muted">${t('landing.f1.body')}</p>
        </section>
        <section class="card">
          <h2>${t('landing.f2.title')}</h2>
          <p class="muted">${t('landing.f2.body')}</p>
        </section>
        <section class="card">
          <h2>${t('landing.f3.title')}</h2>
          <p class="muted">${t('landing.f3.body')}</p>
        </section>
      </div>
    </main>
    <footer class="footer">${t('app.tagline')}</footer>
  `,
);

bootPublic();
