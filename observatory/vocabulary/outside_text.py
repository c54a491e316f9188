"""Text from outside (a shared link, an imported file, a file's name) shown as text and nothing else.

Streamlit reads most of what a page shows as Markdown: a value from a link such as
`[Cliquez ici](https://…)` or `![](https://…)` would become a live link or an image fetched from
another host. `literal` turns any such value into Markdown that displays exactly its characters;
`plain` is the part that also suits plain text (command line, file names): no control or
bidirectional-override character, no line break, and a sane length.
"""
from __future__ import annotations

import html
import re
import unicodedata

ELLIPSIS = "…"
SHORT = 80  # a value quoted inside a sentence
LONG = 2000  # a whole message (an import report, a refusal)

# Characters that start or close a Markdown, HTML, math or autolink construct. A backslash before
# any ASCII punctuation is a literal character in CommonMark; the apostrophe and the comma, frequent in
# French and inert, are left as they are.
_ESCAPED = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:@^=\"])")
# Streamlit's reader also acts on the text once escapes are read: `:smile:` becomes an emoji,
# `:material/x:` an icon, and `https://…`, `www.…` and `a@b.fr` become links (GFM autolinks).
# An invisible word joiner after the colon, after « www » or after the at sign breaks each
# pattern and leaves the characters as typed.
JOINER = "\u2060"
_BROKEN = re.compile(r"(\\:)(?=\S)|(?i:(www))(?=\\\.)|(\\@)")
_BREAKS = {"\n", "\r", "\t", "\v", "\f", "\x85", "\u2028", "\u2029"}


def plain(text, limit: int = SHORT) -> str:
    """`text` on one line, without control or invisible formatting characters (bidirectional
    overrides, zero-width marks), cut to `limit` characters with « … »."""
    kept = []
    for char in str(text):
        if char in _BREAKS:
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    line = re.sub(r" {2,}", " ", "".join(kept)).strip()
    return line if len(line) <= limit else line[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def literal(text, limit: int = SHORT) -> str:
    """Markdown that displays `plain(text)` character for character: no link, image, heading,
    emphasis, HTML, formula or icon can come from it."""
    escaped = _ESCAPED.sub(r"\\\1", plain(text, limit))
    return _BROKEN.sub(lambda found: found.group(0) + JOINER, escaped)


def literal_lines(text, limit: int = LONG, max_lines: int = 40) -> str:
    """Like `literal`, keeping the text's own line breaks (at most `max_lines`) as Markdown line breaks."""
    lines = [line for line in (plain(part, limit) for part in str(text).splitlines()) if line]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [ELLIPSIS]
    return "  \n".join(literal(line, limit) for line in lines)


def chart_text(text, limit: int = SHORT) -> str:
    """`plain(text)` for a plotly title, legend or hover label, whose text may hold HTML tags
    (plotly draws `<a href>`, `<b>`…): the tags are written as characters."""
    return html.escape(plain(text, limit), quote=False)


def web_address(text) -> str | None:
    """An address a link may point to: http or https only, one line; None otherwise
    (`javascript:` and other schemes never become links)."""
    address = str(text or "").strip()
    if not re.match(r"(?i)^https?://[^\s/]", address) or plain(address, len(address)) != address:
        return None
    return address
