"""Stage 1 of ingestion: read a rule file into a tree of `Node`s that remember their line.

Reading is deliberately strict, because a rule file is data a person wrote and an ingest must
never hang or balloon: a size cap, no YAML anchors or aliases (billion laughs), no nesting
deeper than `MAX_DEPTH`, no control characters, no duplicate keys, and a mapping at the top.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import InputError, Problem, RuleFileError

DEFAULT_MAX_BYTES = 1024 * 1024


def max_rule_file_bytes() -> int:
    """The size limit for one rule file (`CROSSWALK_MAX_RULE_FILE_BYTES`, default 1 MiB)."""
    text = os.environ.get("CROSSWALK_MAX_RULE_FILE_BYTES", str(DEFAULT_MAX_BYTES))
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= 1024**3:
        raise InputError(f"invalid setting: CROSSWALK_MAX_RULE_FILE_BYTES={text!r}: expected bytes from 1 to 1 GiB")
    return limit


@dataclass(frozen=True)
class Unreadable:
    """A scalar YAML could not construct (say `2024-02-30`); the checker reports it by field."""

    text: str
    reason: str


@dataclass
class Node:
    """A YAML value with its 1-based line. `value` is a dict of Nodes, a list of Nodes or a scalar."""

    value: Any
    line: int


# The deepest nesting a rule file needs is about 6 (provisions → a provision → scope → a list);
# PyYAML composes recursively, and 400 levels overflowed Python's stack (a traceback, a 500).
MAX_DEPTH = 32


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases instead of expanding them, and nesting
    deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if self.check_event(AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark.line + 1, "YAML anchors and aliases are not allowed in rule files")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        self.line, self.reason = line, reason


def read_bytes(path: Path, data: bytes | None = None) -> bytes:
    """The file's bytes, refusing files over the size limit before reading them whole."""
    limit = max_rule_file_bytes()
    name = str(path)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise RuleFileError([Problem(name, 0, "(file)", f"cannot read: {exc.strerror}")]) from exc
        if size > limit:
            raise RuleFileError([Problem(name, 0, "(file)", _too_big(size, limit))])
        data = path.read_bytes()
    if len(data) > limit:
        raise RuleFileError([Problem(name, 0, "(file)", _too_big(len(data), limit))])
    return data


def _too_big(size: int, limit: int) -> str:
    return (
        f"file is {size} bytes, over the limit of {limit} bytes "
        "(split the instrument, or raise CROSSWALK_MAX_RULE_FILE_BYTES)"
    )


def parse(path: Path, data: bytes) -> Node:
    """Parse YAML bytes into a `Node` tree whose top is a mapping."""
    name = str(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError([Problem(name, 1, "(file)", f"not UTF-8 text: {exc.reason}")]) from exc
    try:
        loader = _NoAliasLoader(text)  # reads the whole text for characters YAML does not allow
    except yaml.reader.ReaderError as exc:  # NUL and other control characters
        line = text.count("\n", 0, exc.position) + 1
        raise RuleFileError(
            [Problem(name, line, "(file)", f"character #x{exc.character:04x} is not allowed in a rule file")]
        ) from None
    try:
        root = loader.get_single_node()
    except _Refused as exc:
        raise RuleFileError([Problem(name, exc.line, "(yaml)", exc.reason)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            reason += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise RuleFileError([Problem(name, line, "(yaml)", f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise RuleFileError([Problem(name, 0, "(yaml)", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise RuleFileError([Problem(name, 1, "(file)", "file is empty; expected a mapping")])
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise RuleFileError([Problem(name, root.start_mark.line + 1, "(top level)", f"expected a mapping, got {kind}")])
    return _convert(root, name, loader)


def _convert(node: Any, name: str, loader: yaml.SafeLoader) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise RuleFileError(
                    [Problem(name, key_node.start_mark.line + 1, "(key)", "keys must be plain strings")]
                )
            key = str(key_node.value)
            if key in out:
                raise RuleFileError(
                    [Problem(name, key_node.start_mark.line + 1, key, f"duplicate key (first on line {out[key].line})")]
                )
            out[key] = _convert(value_node, name, loader)
        return Node(out, line)
    if isinstance(node, SequenceNode):
        return Node([_convert(item, name, loader) for item in node.value], line)
    try:
        return Node(loader.construct_object(node, deep=True), line)
    except yaml.constructor.ConstructorError as exc:
        return Node(Unreadable(str(node.value), str(exc.problem)), line)
    except ValueError as exc:  # e.g. an impossible timestamp like 2024-02-30
        return Node(Unreadable(str(node.value), str(exc)), line)
