#!/usr/bin/env bash
# Every FHIR Bundle the demo store exports, checked by independent libraries (.ci/fhir_check.py):
# fhir.resources (R4B models) and FHIRPath rules of the HL7 Belgium profiles, in a virtual
# environment made here from PyPI (.ci/fhir-requirements.txt). Uses the debug `proxi` (make shell).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/fhir-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check -r .ci/fhir-requirements.txt
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PROXI_PASSPHRASE=fhir-check-passphrase PROXI_STORE=$work/demo.db
proxi=target/debug/proxi
mkdir "$work/bundles"
$proxi demo --services 50 >/dev/null
first=1
for id in $($proxi person list | awk '{print $1}'); do
  # A consent to share with one professional, as the window records it; a national number and a
  # stay for the first person, so that every part of the Bundle is there at least once.
  $proxi plan consent "$id" --keep --share --professional "Dr Contrôle Fictif" >/dev/null
  if [ $first = 1 ]; then
    $proxi person edit "$id" --niss "85.07.30-033.28" >/dev/null
    $proxi stay admit "$id" --hospital "Hôpital Fictif" --ward "Gériatrie" >/dev/null
    first=0
  fi
  $proxi fhir export "$id" --to "Dr Contrôle Fictif" -o "$work/bundles/$id.json"
done
"$venv/bin/python" .ci/fhir_check.py "$work"/bundles/*.json
