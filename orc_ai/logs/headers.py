"""Strip a log header (timestamp, level, component) from the front of a line, whatever the log's format.

A header is recognised only when the line starts with a timestamp or a severity level: a message that merely
begins with ``[client ...]`` or ``word:`` keeps it. After the anchor, the fields logs usually put before the message
are consumed in any order: more date/time parts, numbers (pid, thread), a level, ``[bracketed]`` fields (thread,
component), a component name ending in ``:`` (``sshd[42]:``, ``org.apache.Foo:``) and separators such as ``-``.
"""

from __future__ import annotations

import re

_LEVELS = r"(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|ALERT|EMERG|PANIC)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT))?"
_TIMESTAMPS = [
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_TIME})?",  # ISO 8601
    rf"\d{{4}}[./]\d{{2}}[./]\d{{2}}(?:[ -]{_TIME})?",
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:[ ,]+{_TIME})?",
    rf"(?:{_DAY},?\s+)?{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\s+{_TIME}(?:\s+\d{{4}})?",  # syslog, ctime
    rf"(?:{_DAY},?\s+)?\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\s+{_TIME}",
    r"\d{6}\s+\d{6}",  # yyMMdd HHmmss
    _TIME,
]
_TIMESTAMP = "(?:" + "|".join(_TIMESTAMPS) + ")"
# a level alone starts a header only in brackets (``[error]``) or in capitals before a ``[field]`` or ``name:``
# (``error: ...`` and ``ALERT exited ...`` are messages)
_ANCHOR = re.compile(
    rf"^\s*(?:\[\s*{_TIMESTAMP}\s*\]|{_TIMESTAMP}|\[{_LEVELS}\]|(?-i:{_LEVELS})(?=\s+(?:\[|[\w.$]+:\s)))"
    r"(?=[\s:\]|,-]|$)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[-|:]+(?=\s)")
# fields that may follow the anchor, tried in this order at each step
_FIELDS = [
    re.compile(rf"^\[\s*{_TIMESTAMP}\s*\]|^{_TIMESTAMP}(?=\s)", re.IGNORECASE),
    re.compile(rf"^(?:[\[<(]\s*{_LEVELS}\s*[\]>)]|{_LEVELS}:?)(?=\s|$)", re.IGNORECASE),
    re.compile(r"^\d+(?=\s)"),  # pid / thread number
    re.compile(r"^\[[^\[\]\s]*(?:\[[^\[\]]*\][^\[\]\s]*)*\](?=\s|:)"),  # [main], [QuorumPeer[myid=1]/...@774]
    re.compile(r"^\{[^{}\s]*\}(?=\s)"),  # {taskinstance.py:301}
    _SEPARATOR,
    re.compile(r"^[\w.$@-]+(?=\s+-\s)"),  # a thread or host name before `` - ``
    # a bracketed field with spaces (``[IPC Server Responder]``) only where a component or `` - `` follows it:
    # a message may start with one (``[client 10.0.0.1] Directory index forbidden``)
    re.compile(r"^\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\](?=\s+-\s|\s+[A-Za-z_][\w.$@]*:\s)"),
]
# a component name right before the message: ``sshd(pam_unix)[19939]:``, ``org.apache.hadoop.Foo:``, ``kernel:``
# (not an exception's class: ``psycopg2.OperationalError: could not connect`` is the message)
_COMPONENT = re.compile(r"^(?![\w.$]*(?:Error|Exception|Warning|Failure):)[A-Za-z_][\w.$@/()\-]*(?:\[\d+\])?:(?=\s)")
# a host name before the component, as syslog writes it: ``combo sshd[1]:``
_HOST_COMPONENT = re.compile(r"^[A-Za-z0-9][\w.\-]*\s+(?=[A-Za-z_][\w.$@/()\-]*(?:\[\d+\])?:\s)")


def strip_header(line: str) -> str:
    """``line`` without its header prefix; unchanged when it does not start with a timestamp or a level, or when
    nothing but the header would be left."""
    return _strip(line) or line.strip()


def _strip(line: str) -> str:
    match = _ANCHOR.match(line)
    if not match:
        return line.strip()
    rest = line[match.end():].lstrip(" \t:,|-").lstrip()
    progressed = True
    while progressed and rest:
        progressed = False
        for pattern in _FIELDS:
            found = pattern.match(rest)
            if found:
                rest = rest[found.end():].lstrip()
                if pattern is _SEPARATOR:  # ``... - message``: the separator ends the header
                    return rest.strip()
                progressed = True
                break
    host = _HOST_COMPONENT.match(rest)
    after_host = rest[host.end():] if host else rest
    component = _COMPONENT.match(after_host)
    if component and after_host[component.end():].strip():  # never strip a whole message
        rest = after_host[component.end():]
    return re.sub(r"^-\s+", "", rest.strip()).strip()
