"""Times of the registry: what it stores (ISO 8601 with its offset, e.g. "2026-12-05T08:01:26+00:00", as
now writes them) shown in the user's local time with the zone, e.g. "2026-12-05 16:01:26 CST (UTC+08:00)".

Stored values stay as they are; only their display changes. A time without an offset is UTC (SQLite's
CURRENT_TIMESTAMP and strftime('now') write those).
"""
import datetime
from typing import Union


def now() -> str:
    """The time now as the registry stores it: ISO 8601 to the second, with the local offset."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def local_time(value: Union[str, datetime.datetime, None]) -> str:
    """`value` (ISO text or a datetime) in the local time zone with its name and offset; "" for nothing, the
    text itself when it is not a time."""
    if value is None or value == "":
        return ""
    moment = value
    if not isinstance(moment, datetime.datetime):
        text = str(value).strip()
        if text.endswith(("Z", "z")):  # fromisoformat knows 'Z' only from Python 3.11 on
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    local = moment.astimezone()
    offset = local.strftime("%z")  # +0800
    zone = local.tzname() or ""
    named = zone + " " if zone and zone[0] not in "+-" else ""  # some zones have only numbers ("+08")
    return "{} {}(UTC{}:{})".format(local.strftime("%Y-%m-%d %H:%M:%S"), named, offset[:3], offset[3:])

