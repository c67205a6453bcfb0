#!/usr/bin/env bash
# A real print queue for the WebDriver suite: CUPS with the CUPS-PDF printer "Proxi_PDF", which writes
# each job as a PDF into ~/PDF of the user who printed. Idempotent: a running cupsd and an existing
# queue are kept. Note: `lpstat -r` exits 0 even when the scheduler is down; its words tell.
set -euo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
running() { lpstat -r 2>/dev/null | grep -qx 'scheduler is running'; }
if ! running; then
  $SUDO mkdir -p /run/cups
  $SUDO /usr/sbin/cupsd
  for _ in $(seq 100); do running && break; sleep 0.2; done
  running || { echo "cupsd did not start" >&2; exit 1; }
fi
if ! lpstat -e 2>/dev/null | grep -qx Proxi_PDF; then
  $SUDO lpadmin -p Proxi_PDF -v cups-pdf:/ -E -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
fi
queues=$(lpstat -e)
grep -qx Proxi_PDF <<<"$queues" || { echo "the Proxi_PDF queue is missing: $queues" >&2; exit 1; }
