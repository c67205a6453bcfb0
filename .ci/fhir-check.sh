#!/usr/bin/env bash
# What Proxi writes for other software, checked by independent libraries in a virtual environment made
# here from PyPI (.ci/fhir-requirements.txt), with the debug `proxi` (make shell):
# - every FHIR Bundle the demo store exports: fhir.resources (R4B models) and FHIRPath rules of the
#   HL7 Belgium profiles (.ci/fhir_check.py);
# - concertation invitations on both sides of a clock change: icalendar (.ci/ics_check.py).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/fhir-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  }
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r .ci/fhir-requirements.txt
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

# A concertation at 10:00 on Friday 26 March 2027 and on Monday 29 March 2027 (summer time from the 28th).
person=$($proxi person list | awk 'NR==1 {print $1}')
c=$($proxi concertation new "$person" --title "Concertation" --minutes 90)
gp=$($proxi concertation invite "$person" "$c" "Dr Contrôle Fictif" --email dr.controle@exemple.be)
for day in 26 29; do
  slot=$($proxi concertation slot "$person" "$c" "2027-03-${day}T10:00")
  $proxi concertation available "$person" "$c" "$gp" "$slot"
  $proxi concertation choose "$person" "$c" "$slot"
  $proxi concertation invitation "$person" "$c" -o "$work/invitation-$day.ics"
done
"$venv/bin/python" .ci/ics_check.py "$work/invitation-26.ics" "$work/invitation-29.ics"
