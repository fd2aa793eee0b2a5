#!/usr/bin/env bash
# Rebuild riskreg's vendored front-end assets under static/.
#
#   bash frontend/build.sh
#
# The output is committed; nothing here is needed to run or test the app.
# See frontend/README.md.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "${FRONTEND_DIR}/.." && pwd)"
STATIC_DIR="${ROOT_DIR}/static"

cd "${FRONTEND_DIR}"

# 1. Dependencies (exact versions from the lock file when there is one).
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

NM="${FRONTEND_DIR}/node_modules"
GOVUK_DIST="${NM}/govuk-frontend/dist/govuk"

mkdir -p "${STATIC_DIR}/govuk" "${STATIC_DIR}/vendor/licenses"

# 2. GOV.UK Frontend CSS: Arial, no GDS Transport, no crown/crest images.
npx sass --load-path=. --no-source-map --style=compressed \
  riskreg.scss "${STATIC_DIR}/govuk/govuk-frontend.min.css"

# 3. GOV.UK Frontend JS (ES module). Drop the sourceMappingURL comment: the
#    .map is not shipped, and Django's ManifestStaticFilesStorage fails
#    collectstatic on a reference to a missing file.
sed -e 's@//# sourceMappingURL=[^ ]*$@@' \
  "${GOVUK_DIST}/govuk-frontend.min.js" > "${STATIC_DIR}/govuk/govuk-frontend.min.js"

# 4. GOV.UK Frontend images, minus anything crown/GOV.UK-branded, and no
#    fonts at all. riskreg is not a GOV.UK service: in govuk-frontend 6 every
#    image is branded (crown favicons, govuk-icon-*, the crest, the Open Graph
#    image), so today nothing is copied; the filter stays for future versions.
rm -rf "${STATIC_DIR}/govuk/assets"
shopt -s nullglob
copied=0
for img in "${GOVUK_DIST}/assets/images/"*; do
  name="$(basename "${img}")"
  case "${name}" in
    favicon* | govuk-* | *crest* | *crown* | *opengraph* | *.woff | *.woff2) continue ;;
  esac
  mkdir -p "${STATIC_DIR}/govuk/assets/images"
  cp "${img}" "${STATIC_DIR}/govuk/assets/images/${name}"
  copied=$((copied + 1))
done
shopt -u nullglob
echo "build.sh: ${copied} GOV.UK Frontend image(s) copied (branded ones excluded)"

# 5. Third-party scripts.
cp "${NM}/htmx.org/dist/htmx.min.js" "${STATIC_DIR}/vendor/htmx.min.js"
cp "${NM}/plotly.js-strict-dist-min/plotly-strict.min.js" "${STATIC_DIR}/vendor/plotly-strict.min.js"
cp "${NM}/axe-core/axe.min.js" "${STATIC_DIR}/vendor/axe.min.js"

# 6. Plotly under a CSP without 'unsafe-inline' styles: static CSS + shim.
node extract-plotly-css.mjs "${NM}/plotly.js-strict-dist-min/plotly-strict.min.js" \
  "${STATIC_DIR}/vendor/plotly.css" "${STATIC_DIR}/vendor/plotly-csp.js"

# 7. Licence notices for what we ship.
# govuk-frontend ships no LICENSE file: keep the licence section of its README.
{
  echo "govuk-frontend $(node -p 'require("govuk-frontend/package.json").version') (license: MIT)"
  echo
  sed -n '/^## Licence/,/^## /p' "${NM}/govuk-frontend/README.md" | sed '$d'
} > "${STATIC_DIR}/vendor/licenses/govuk-frontend.txt"
cp "${NM}/htmx.org/LICENSE" "${STATIC_DIR}/vendor/licenses/htmx.txt"
cp "${NM}/plotly.js-strict-dist-min/LICENSE" "${STATIC_DIR}/vendor/licenses/plotly.js.txt"
cp "${NM}/axe-core/LICENSE" "${STATIC_DIR}/vendor/licenses/axe-core.txt"

# 8. Checks: fail the build if branding or GDS Transport slipped in.
css="${STATIC_DIR}/govuk/govuk-frontend.min.css"
if grep -Eiq 'gds transport|gds-transport|\.woff|@font-face' "${css}"; then
  echo "build.sh: GDS Transport / font reference found in ${css}" >&2
  exit 1
fi
if grep -Eiq 'url\([^)]*(crown|crest|govuk-icon|favicon|opengraph)' "${css}"; then
  echo "build.sh: branded image referenced in ${css}" >&2
  exit 1
fi
if grep -q 'sourceMappingURL' "${STATIC_DIR}/govuk/govuk-frontend.min.js"; then
  echo "build.sh: sourceMappingURL left in govuk-frontend.min.js" >&2
  exit 1
fi

echo "build.sh: done"
ls -l "${STATIC_DIR}/govuk/govuk-frontend.min.css" "${STATIC_DIR}/govuk/govuk-frontend.min.js" \
  "${STATIC_DIR}/vendor/"*.js "${STATIC_DIR}/vendor/"*.css
