"""What a page's Markdown shows, read by an independent CommonMark reader (markdown-it-py), not
by the code under test: the text a reader sees, and the live constructs (links, images, headings,
HTML) it would get."""
from __future__ import annotations

import re
from html import unescape

from markdown_it import MarkdownIt

_READER = MarkdownIt("commonmark")
# What our own sentences use; anything else coming out of outside text would be a construct it made.
OWN_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "code"}


def rendered(markdown: str) -> str:
    """The HTML CommonMark makes of `markdown` (raw HTML passes through, as the worst case)."""
    return _READER.render(markdown)


def shown(markdown: str) -> str:
    """The characters a reader sees, on one line."""
    text = unescape(re.sub(r"<[^>]+>", " ", rendered(markdown))).replace("\u2060", "")
    return re.sub(r"\s+", " ", text).strip()


def foreign_tags(markdown: str, own: set[str] = OWN_TAGS) -> set[str]:
    """Tags other than `own` (a, img, h1, script…), with their attributes."""
    return {tag for tag in re.findall(r"<(/?[a-zA-Z][^>]*)>", rendered(markdown))
            if tag.lstrip("/").split()[0].lower() not in own}


# GFM autolink literals, which Streamlit's reader finds in the text after escapes are read (the
# patterns of mdast-util-gfm-autolink-literal); CommonMark alone does not make them.
_AUTOLINKS = re.compile(r"(?i)(?:https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(?:\.[-\w]+)+")


def autolinks(markdown: str) -> list[str]:
    """The web and mail addresses Streamlit would turn into links in `markdown`'s text."""
    text = unescape(re.sub(r"<[^>]+>", " ", rendered(markdown)))
    return _AUTOLINKS.findall(text)
