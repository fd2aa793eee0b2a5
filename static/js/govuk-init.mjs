// riskreg: initialise GOV.UK Frontend components.
// Loaded by base.html as <script type="module" src=".../js/govuk-init.mjs">.
// Our CSP forbids inline scripts, so the `govuk-frontend-supported` class that
// GOV.UK Frontend's own template adds with an inline script is added here.
// The import is relative to this file, so it works whatever STATIC_URL is.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Components inside content that htmx swaps in later. A component that is
// already initialised throws InitError: that one is expected and ignored.
function ignoreAlreadyInitialised(error) {
  if (!error || error.name !== "InitError") {
    console.log(error);
  }
}

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.target;
  const scope = target && target.isConnected ? target.parentElement || target : document;
  initAll({ scope, onError: ignoreAlreadyInitialised });
});
