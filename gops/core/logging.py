"""Keep personal data out of the logs (GDPR art. 32; issue 9).

Error logs carry exception texts, and some of them quote values: PostgreSQL's unique
violation says ``Key (pesel)=(44051401359) already exists``. Logs are kept longer and read by
more people (hosting, support) than the register, so identifiers are masked before a record
is written, whatever handler writes it.
"""

import logging
import re

# PESEL (11 digits), a Polish IBAN (26 digits, maybe with spaces and PL), a NIP with dashes.
_PATTERNS = [
    (re.compile(r"\bPL\s?\d{2}(?:\s?\d{4}){6}\b|\b\d{26}\b"), "[IBAN]"),
    (re.compile(r"(?<!\d)\d{11}(?!\d)"), "[PESEL]"),
    # Database messages quoting a row's values: Key (column)=(value), Failing row contains (...).
    (re.compile(r"(Key \([^)]*\)=)\([^)]*\)"), r"\1(…)"),
    (re.compile(r"(Failing row contains )\(.*\)"), r"\1(…)"),
]


def redact(text: str) -> str:
    """`text` with PESEL and IBAN numbers and quoted row values masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    """A handler filter: formats the message and the traceback once, masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            # The formatter uses exc_text when it is set; the exception object stays as it is.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
