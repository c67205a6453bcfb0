#!/usr/bin/env bash
# A real print queue for the WebDriver suite: CUPS with the CUPS-PDF printer "Proxi_PDF", which writes
# each job as a PDF into ~/PDF of the user who printed. Idempotent: a running cupsd and an existing
# queue are kept.
set -euo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! lpstat -r >/dev/null 2>&1; then
  $SUDO /usr/sbin/cupsd
  for _ in $(seq 50); do lpstat -r >/dev/null 2>&1 && break; sleep 0.2; done
fi
if ! lpstat -e 2>/dev/null | grep -qx Proxi_PDF; then
  $SUDO lpadmin -p Proxi_PDF -v cups-pdf:/ -E -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null
fi
lpstat -e | grep -qx Proxi_PDF
