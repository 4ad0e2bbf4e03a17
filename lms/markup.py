"""Markdown to safe HTML. Everything a person or a pack writes goes through here:
Markdown renders, then nh3 keeps only a known set of tags, attributes and URL
schemes (no script, no event attributes, no javascript: links)."""

from __future__ import annotations

import posixpath
import re

import markdown
import nh3
from markupsafe import Markup

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "attr_list"]


def _is_relative(url: str) -> bool:
    return not SCHEME_RE.match(url) and not url.startswith(("/", "#"))


def render_markdown(text: str, *, asset_base: str | None = None, doc_dir: str = "") -> Markup:
    """Render Markdown and sanitise the result.

    For pack content, `asset_base` is the URL under which the pack's files are
    served and `doc_dir` the folder of the Markdown file inside the pack; relative
    links are rewritten to it. For people's texts (`asset_base=None`) relative
    images are dropped: a trainee's text may only link out over http(s).
    """
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr not in {"href", "src"}:
            return value
        if not _is_relative(value):
            return value
        if asset_base is None:
            return None if tag == "img" else value
        path = posixpath.normpath(posixpath.join(doc_dir, value.split("#", 1)[0]))
        if path.startswith(".."):
            return None
        return f"{asset_base.rstrip('/')}/{path}"

    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(clean)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-']\w+)*", text or ""))
