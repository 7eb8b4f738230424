"""YAML with source positions: the data, plus the line and column of every key and value.

Used by the config file and by front matter so that every problem can name its exact place.
libyaml's C loader is used when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BuildFailed, Problem

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Position = tuple[int, int]  # 1-based line, 1-based column
KeyPath = tuple[Any, ...]
# Characters no XML document (a feed) may hold and no reader wants: C0 controls but tab and line feed, DEL,
# lone surrogates (from YAML escapes such as "\ud800"), and the two non-characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_EXPANDED_NODES = 100_000  # aliases of aliases can make a few lines stand for billions of values


@dataclass(frozen=True)
class YamlSyntaxError(Exception):
    line: int
    column: int
    message: str
    hint: str = "fix the YAML syntax (indentation, quotes, colons)"


@dataclass
class LocatedYaml:
    data: Any
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    duplicate_keys: list[tuple[KeyPath, Position]] = field(default_factory=list)

    def position(self, path: KeyPath, *, of_key: bool = False) -> Position:
        """Where a value (or its key) starts; falls back to the nearest enclosing known position."""
        table = self.key_positions if of_key else self.value_positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_positions:
                return self.value_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), (1, 1))


def load_located(text: str, line_offset: int = 0) -> LocatedYaml:
    """Parse one YAML document; positions are shifted by ``line_offset`` lines (front matter sits below ``---``)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_aliases(node, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(line, column, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1 + line_offset, 1, f"invalid YAML: {exc}") from None
    except (ValueError, OverflowError, TypeError) as exc:
        # libyaml accepts values like 2025-13-01 that the constructor then rejects: find the culprit node
        line, column = _unconstructible_position(node, line_offset)
        raise YamlSyntaxError(line, column, *_unconstructible_message(exc)) from None
    finally:
        loader.dispose()
    located = LocatedYaml(data=_without_control_characters(data))
    if node is not None:
        _record_positions(node, (), located, line_offset)
    return located


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def _without_control_characters(data: Any) -> Any:
    """The same data with control characters removed from every string (keys too); aliases stay shared."""
    done: dict[int, Any] = {}

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return without_control_characters(value)
        if not isinstance(value, (list, dict)):
            return value
        if id(value) in done:
            return done[id(value)]
        if isinstance(value, list):
            result = done[id(value)] = []
            result.extend(clean(item) for item in value)
        else:
            result = done[id(value)] = {}
            result.update((clean(key), clean(item)) for key, item in value.items())
        return result

    return clean(data)


def _unconstructible_message(exc: Exception) -> tuple[str, str]:
    if "offset" in str(exc):  # Python's own text here names timedelta internals
        return ("invalid value: the time zone offset is out of range",
                "write an offset between -23:59 and +23:59, such as 2025-11-29T18:30:00-04:00")
    return f"invalid value: {exc}", "write a real date such as 2025-11-29, or quote the value"


def _check_aliases(root: yaml.Node, line_offset: int) -> None:
    """Refuse an alias inside the value it names (a loop) and documents whose aliases expand to huge data."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        children = _children(node)
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                line, column = _position(node, line_offset)
                raise YamlSyntaxError(line, column, "invalid YAML: aliases expand to too many values",
                                      "write the values out instead of repeating aliases")
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            line, column = _position(node, line_offset)
            raise YamlSyntaxError(line, column, "invalid YAML: an alias refers to the value that contains it",
                                  "remove the `*alias` that points back to its own `&anchor`")
        open_nodes.add(id(node))
        pending.append((node, True))
        pending.extend((child, False) for child in children)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _unconstructible_position(node: yaml.Node, line_offset: int) -> Position:
    probe = SafeLoader("")
    pending = [node]
    while pending:
        current = pending.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                probe.construct_object(current)
            except (ValueError, OverflowError, TypeError, yaml.YAMLError):
                return _position(current, line_offset)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
    return _position(node, line_offset)


def _position(node: yaml.Node, line_offset: int) -> Position:
    return (node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


def _record_positions(node: yaml.Node, path: KeyPath, located: LocatedYaml, line_offset: int) -> None:
    located.value_positions.setdefault(path, _position(node, line_offset))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            child = path + (key,)
            if key in seen:
                located.duplicate_keys.append((child, _position(key_node, line_offset)))
            seen.add(key)
            located.key_positions[child] = _position(key_node, line_offset)
            _record_positions(value_node, child, located, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, path + (index,), located, line_offset)


def read_located(path: Path, shown: str, what: str) -> LocatedYaml:
    """A YAML file (``what`` it is: "the config", "the message file") with positions; :class:`BuildFailed`
    naming the file, and the line of a syntax error, when it cannot be read or parsed."""
    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildFailed([Problem(shown, message=f"cannot read {what}: {exc}", hint="save it as UTF-8 text")]) \
            from None
    try:
        return load_located(source)
    except YamlSyntaxError as exc:
        raise BuildFailed([Problem(shown, exc.line, exc.column, None, exc.message, exc.hint)]) from None
