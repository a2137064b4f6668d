"""Logging filter: no PESEL-shaped number ever reaches a log line (SECURITY.md)."""

import logging
import re

PESEL_RE = re.compile(r"(?<!\d)\d{11}(?!\d)")


class RedactPeselFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if PESEL_RE.search(message):
            record.msg = PESEL_RE.sub("[REDACTED]", message)
            record.args = ()
        return True
