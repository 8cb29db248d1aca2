/** The signed-in user's own account: change the password (the other sessions end, this one stays). */
import { post } from '../../assets/api.js';
import { flash, submitting } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';

async function changePassword(_event, form) {
  await post('/auth/password', {
    currentPassword: form.elements.namedItem('currentPassword').value,
    newPassword: form.elements.namedItem('newPassword').value,
  });
  form.reset();
  flash('account.changed');
}

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('account.heading')}</h1>
        <p class="lead">${t('account.lead')}</p>
      </div>
    </div>
    <section class="card auth-card">
      <form id="password-form" novalidate @submit=${submitting(changePassword)}>
        <div data-role="form-error" hidden></div>
        <div class="field" data-field="currentPassword">
          <label for="current-password">${t('account.current')}</label>
          <input type="password" id="current-password" name="currentPassword" autocomplete="current-password" required>
        </div>
        <div class="field" data-field="newPassword">
          <label for="new-password"><span>${t('account.new')}</span> <span class="hint">${t('account.newHint')}</span></label>
          <input type="password" id="new-password" name="newPassword" autocomplete="new-password" minlength="10" required>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" data-testid="password-submit">${t('account.submit')}</button>
        </div>
      </form>
    </section>
  `,
);

await bootPortal('account');
