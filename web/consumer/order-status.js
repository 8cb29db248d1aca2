// Keeps the order page current while the purchase runs: polls the status API, ticks the steps.
const marker = document.querySelector('[data-order]');
const { order, token, live } = marker?.dataset ?? {};
const finished = (view) => view.steps.confirmed || ['expired', 'cancelled'].includes(view.status);

async function poll() {
  const response = await fetch(`/api/v1/public/orders/${order}?t=${encodeURIComponent(token)}`, {
    cache: 'no-store',
  });
  if (!response.ok) return setTimeout(poll, 3000);
  const view = await response.json();
  for (const [step, done] of Object.entries(view.steps)) {
    document.querySelector(`[data-step="${step}"]`)?.classList.toggle('done', done);
  }
  if (finished(view)) return window.location.reload();
  setTimeout(poll, 1500);
}

if (order && live === 'true') setTimeout(poll, 1000);
