"""The texts written in the web app: Markdown with placeholders for figures, made into safe HTML."""

from __future__ import annotations

import re

import markdown
import nh3

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "br", "h3", "h4", "blockquote", "a"}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {{ name }} by its figure; an unknown name stays visible as [okänt: name] so it gets noticed."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), f"[okänt: {m.group(1)}]"), text)


def to_html(text: str) -> str:
    """Markdown to HTML with nothing but simple formatting left (the text is a user's)."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


def render(text: str, values: dict[str, str]) -> str:
    return to_html(fill(text, values)) if text.strip() else ""
