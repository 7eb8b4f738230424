"""Declared, typed options: one table of fields checks a YAML mapping and reports every problem at once.

Shared by the site config and by front matter. A field's ``check`` converts a raw YAML value or raises
:class:`Invalid` with what is wrong and what to do; unknown keys get a "did you mean" hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from briefgen.errors import Problem, Problems
from briefgen.yamlsource import KeyPath, LocatedYaml


class Invalid(Exception):
    def __init__(self, message: str, hint: str | None = None, at: KeyPath = ()):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.at = at  # sub-path inside the value, for positions inside lists and maps


@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any], Any] | None = None
    required: bool = False
    default: Any = None
    nested: tuple["Field", ...] | None = None  # a mapping checked by its own fields
    hint: str | None = None  # what to write, used when the key is missing


def check_mapping(
    located: LocatedYaml,
    fields: tuple[Field, ...],
    problems: Problems,
    display_path: str,
    prefix: KeyPath = (),
    allow_unknown: bool = False,
) -> dict[str, Any]:
    """Check the mapping at ``prefix``; return converted values (defaults filled in) for the valid keys."""
    raw = _value_at(located.data, prefix)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        line, column = located.position(prefix)
        problems.error(Problem(display_path, line, column, _dotted(prefix) or None,
                               f"expected a mapping of keys to values, got {kind_of(raw)}",
                               "write one `key: value` per line"))
        return {field.name: field.default for field in fields}

    for path, (line, column) in located.duplicate_keys:
        if path[:-1] == prefix:
            problems.error(Problem(display_path, line, column, _dotted(path), "this key appears twice",
                                   "keep only one of them"))

    by_name = {field.name: field for field in fields}
    if not allow_unknown:
        for key in raw:
            if key not in by_name:
                _report_unknown_key(located, prefix, key, by_name, problems, display_path)

    result: dict[str, Any] = {}
    for field in fields:
        path = prefix + (field.name,)
        if field.name not in raw or raw[field.name] is None:
            if field.required:
                line, column = located.position(prefix)
                problems.error(Problem(display_path, line, column, _dotted(path), "is required but missing",
                                       field.hint or f"add `{field.name}:`"))
            result[field.name] = (check_mapping(located, field.nested, problems, display_path, path)
                                  if field.nested else field.default)
            continue
        if field.nested:
            result[field.name] = check_mapping(located, field.nested, problems, display_path, path)
            continue
        try:
            result[field.name] = field.check(raw[field.name]) if field.check else raw[field.name]
        except Invalid as invalid:
            line, column = located.position(path + invalid.at)
            problems.error(Problem(display_path, line, column, _dotted(path + invalid.at), invalid.message,
                                   invalid.hint))
            result[field.name] = field.default
    return result


def _report_unknown_key(located, prefix, key, by_name, problems, display_path) -> None:
    line, column = located.position(prefix + (key,), of_key=True)
    close = difflib.get_close_matches(str(key), list(by_name), n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(sorted(by_name))
    problems.error(Problem(display_path, line, column, _dotted(prefix + (key,)), "unknown key", hint))


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return "an empty value" if value is None else type(value).__name__


# ---- checks -------------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, (list, dict)) or value is None:
        raise Invalid(f"expected text, got {kind_of(value)}", "write it as a quoted string")
    return str(value)


def non_empty_text(value: Any) -> str:
    result = text(value).strip()
    if not result:
        raise Invalid("must not be empty", "write some text")
    return result


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, list):
        raise Invalid(f"expected a list of strings, got {kind_of(value)}", "write it as [first, second]")
    items = []
    for index, item in enumerate(value):
        if isinstance(item, (dict, list)) or item is None or isinstance(item, bool):
            raise Invalid(f"expected a string, got {kind_of(item)}", "write each item as plain text",
                          at=(index,))
        cleaned = str(item).strip()
        if cleaned:
            items.append(cleaned)
    return tuple(dict.fromkeys(items))


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {kind_of(value)}", "write true or false")
    return value


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {kind_of(value)}", _range_hint(minimum, maximum))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise Invalid(f"{value} is out of range", _range_hint(minimum, maximum))
        return value
    return check


def _range_hint(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"use a whole number from {minimum} to {maximum}"
    if minimum is not None:
        return f"use a whole number of at least {minimum}"
    return "use a whole number"


def choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            close = difflib.get_close_matches(str(value), options, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "use one of: " + ", ".join(options)
            raise Invalid(f"{value!r} is not allowed", hint)
        return value
    return check


def absolute_url(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a URL, got {kind_of(value)}", "write an absolute URL such as https://example.org/")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(f"{value!r} is not an absolute http(s) URL",
                      "write an absolute URL such as https://user.github.io/repo/")
    return value.strip()


def mapping(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping, got {kind_of(value)}", "write one `key: value` per line, indented")
    return value
