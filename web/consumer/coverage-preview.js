// Shows the coverage dates and price for the purchase date as it is entered, through the
// coverage-preview API. Without JavaScript the form's "show my dates" button does the same.
const box = document.getElementById('coverage-preview');
const input = document.getElementById('productPurchaseDate');
const problem = document.getElementById('preview-problem');
const form = input?.form;
let shown = '';

const text = (id, value) => {
  document.getElementById(id).textContent = value;
};

async function update() {
  const plan = form.querySelector('input[name="planCode"]:checked')?.value ?? box.dataset.plan;
  const date = input.value;
  const asked = `${plan} ${date}`;
  if (asked === shown) return;
  shown = asked;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    box.hidden = true;
    problem.hidden = true;
    return;
  }
  const query = new URLSearchParams({ productPurchaseDate: date, lang: box.dataset.lang });
  const response = await fetch(`/api/v1/public/plans/${encodeURIComponent(plan)}/coverage-preview?${query}`, {
    cache: 'no-store',
  });
  const body = await response.json().catch(() => ({}));
  if (shown !== asked) return; // a later date was entered meanwhile
  if (response.ok) {
    text('preview-base-end', body.baseWarrantyEnd);
    text('preview-start', body.coverageStart);
    text('preview-end', body.coverageEnd);
    text('preview-price', body.amountText);
    text(
      'preview-note',
      body.coveredDays < body.termDays
        ? box.dataset.proRated.replace('{{covered}}', body.coveredDays).replace('{{term}}', body.termDays)
        : '',
    );
    box.hidden = false;
    problem.hidden = true;
    // The message a previous submission left under the field no longer holds.
    document.getElementById('productPurchaseDate-error')?.remove();
    input.removeAttribute('aria-invalid');
  } else {
    box.hidden = true;
    problem.textContent = body.fields?.[0]?.message ?? body.message ?? '';
    problem.hidden = problem.textContent === '';
  }
}

if (box && input && form) {
  const run = () => {
    update().catch(() => {
      shown = '';
    });
  };
  input.addEventListener('input', run);
  input.addEventListener('change', run);
  form.addEventListener('change', (event) => {
    if (event.target.name === 'planCode') run();
  });
}
