"""YAML read with bounded cost: PyYAML's safe loader, with aliases and nesting counted while it composes.

An alias stands for its whole anchored node, so a few lines can stand for billions of nodes ("billion
laughs"): whoever walks or prints the result pays for them all. The loader counts every node as if each alias
were written out and refuses a document of more than MAX_NODES, or one whose nodes nest deeper than MAX_DEPTH
(PyYAML composes recursively: 200 000 nested brackets would otherwise end in RecursionError). An alias to a
node that contains it is refused too. A value its explicit tag cannot be made of (`!!timestamp 2025-13-01`,
`!!bool kanske`, `!!int ""`), where PyYAML's safe constructors fail with an AttributeError, KeyError or
IndexError, is refused as well. Each refusal is a `yaml.MarkedYAMLError` with the line and column.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES = 100_000  # nodes with every alias written out; an organisation file has a few thousand
MAX_DEPTH = 50  # levels of nesting; an organisation file has five


class BoundedSafeLoader(yaml.SafeLoader):
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id of a composed node -> its size with aliases written out

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise ComposerError(None, None, f"aliaset *{event.anchor} pekar på sig självt", mark)
            return node
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"djupare än {MAX_DEPTH} nivåer", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = 1 + sum(self._sizes[id(child)] for child in _children(node))
        if size > MAX_NODES:
            message = f"fler än {MAX_NODES} värden när alias (*) räknas ut"
            raise ComposerError(None, None, message, mark)
        self._sizes[id(node)] = size
        return node

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (AttributeError, KeyError, IndexError, TypeError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            shown = node.value[:50] if isinstance(node, ScalarNode) else ""
            message = f"{shown!r} går inte att läsa som {tag}"
            raise ConstructorError(None, None, message, node.start_mark) from None


def _children(node: Node | None) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
