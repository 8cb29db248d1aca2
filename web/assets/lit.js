/** lit-html, served from the package itself (src/routes/pages/web.ts): the pages' one rendering library. */
export { html, nothing, render } from '/vendor/lit-html/lit-html.js';
