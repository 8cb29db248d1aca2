/** Register a manufacturer and its first (admin) user; the new session goes straight to the overview. */
import { forgetCsrf, post } from '../../assets/api.js';
import { byId, fieldValue, onSubmit } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPublic } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';

mountView(
  () => html`
    <section class="card auth-card wide">
      <h1>${t('signup.heading')}</h1>
      <p class="lead">${t('signup.lead')}</p>
      <form id="signup-form" novalidate>
        <div data-role="form-error" hidden></div>
        <fieldset>
          <legend>${t('signup.company')}</legend>
          <div class="grid-2">
            <div class="field span-all" data-field="company.name">
              <label for="company-name">${t('signup.companyName')}</label>
              <input type="text" id="company-name" name="company.name" autocomplete="organization" required>
            </div>
            <div class="field" data-field="company.usccCode">
              <label for="company-uscc"><span>${t('signup.uscc')}</span> <span class="hint">${t('signup.usccHint')}</span></label>
              <input type="text" id="company-uscc" name="company.usccCode" maxlength="18" autocomplete="off" spellcheck="false" required>
            </div>
            <div class="field" data-field="company.email">
              <label for="company-email">${t('signup.companyEmail')}</label>
              <input type="email" id="company-email" name="company.email" autocomplete="email" required>
            </div>
            <div class="field" data-field="company.contactName">
              <label for="company-contact-name">${t('signup.contactName')}</label>
              <input type="text" id="company-contact-name" name="company.contactName" autocomplete="name" required>
            </div>
            <div class="field" data-field="company.contactPhone">
              <label for="company-contact-phone">${t('signup.contactPhone')}</label>
              <input type="tel" id="company-contact-phone" name="company.contactPhone" autocomplete="tel" required>
            </div>
          </div>
        </fieldset>
        <fieldset>
          <legend>${t('signup.user')}</legend>
          <div class="grid-2">
            <div class="field" data-field="user.displayName">
              <label for="user-display-name">${t('signup.displayName')}</label>
              <input type="text" id="user-display-name" name="user.displayName" autocomplete="name" required>
            </div>
            <div class="field" data-field="user.email">
              <label for="user-email">${t('signup.email')}</label>
              <input type="email" id="user-email" name="user.email" autocomplete="username" required>
            </div>
            <div class="field" data-field="user.password">
              <label for="user-password"><span>${t('signup.password')}</span> <span class="hint">${t('signup.passwordHint')}</span></label>
              <input type="password" id="user-password" name="user.password" autocomplete="new-password" minlength="10" required>
            </div>
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button" id="signup-submit">${t('signup.submit')}</button>
          <span class="muted"><span>${t('signup.haveAccount')}</span> <a href="/portal/login.html">${t('signup.loginLink')}</a></span>
        </div>
      </form>
    </section>
  `,
);

bootPublic();

const form = byId('signup-form');
onSubmit(form, async () => {
  const body = {
    company: {
      name: fieldValue(form, 'company.name'),
      usccCode: fieldValue(form, 'company.usccCode').toUpperCase(),
      contactName: fieldValue(form, 'company.contactName'),
      contactPhone: fieldValue(form, 'company.contactPhone'),
      email: fieldValue(form, 'company.email'),
    },
    user: {
      displayName: fieldValue(form, 'user.displayName'),
      email: fieldValue(form, 'user.email'),
      password: form.elements.namedItem('user.password').value,
    },
  };
  await post('/auth/signup', body, { anonymous: true, keep401: true });
  forgetCsrf();
  location.assign('/portal/');
});
