"""A JSON file read one element at a time: the list under a top-level key (`{"resultats": [...]}`)
or a top-level list is decoded element by element, so a 200 MB search response never sits in
memory whole, as text or as objects. Errors are French and give the line and column."""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

from observatory.ingest.common import ImportRejected, text_encoding

CHUNK = 1 << 20  # characters read at a time
MAX_VALUE = 10 << 20  # one element (an offer: a few KB) larger than this is refused
WHITESPACE = " \t\r\n"
# The parser's English, in French (the start of its message → ours).
PARSER_ERRORS = {
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "« : » attendu après un nom",
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom entre guillemets attendu",
    "Unterminated string": "texte entre guillemets jamais fermé (fichier tronqué ?)",
    "Invalid control character": "caractère de contrôle dans un texte",
    "Invalid \\escape": "échappement « \\ » invalide",
    "Invalid \\uXXXX escape": "échappement « \\u » invalide",
}


def items(stream: BinaryIO, file: str, key: str, expected: str) -> Iterator:
    """Each element of the list under `key` of the top-level object, or of a top-level list.
    Raises ImportRejected (French, with line and column) on invalid or truncated JSON, or when the
    list is missing (`expected`: what the file should be, in French)."""
    encoding = text_encoding(stream, file)
    stream.seek(0)
    reader = _Reader(_text(stream, encoding), file)
    reader.skip_space()
    first = reader.peek()
    if first == "[":
        yield from reader.array()
    elif first == "{":
        found = False
        for name in reader.object_keys():
            if name == key and reader.peek() == "[":
                found = True
                yield from reader.array()
            else:
                reader.value()  # another key's value: read and dropped
        if not found:
            raise ImportRejected(file, f"forme inattendue : pas de liste « {key} » dans l'objet principal "
                                       f"(attendu {expected}).")
    else:
        reader.fail("attendu un objet { … } ou une liste [ … ]")
    reader.skip_space()
    if reader.peek():
        reader.fail("du texte suit la fin du JSON")


def _text(stream: BinaryIO, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    while chunk := stream.read(CHUNK):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


class _Reader:
    """A window on the text: `buffer[pos:]` is what is left to read; what was read is dropped,
    keeping count of its lines for the messages."""

    def __init__(self, chunks: Iterator[str], file: str):
        self.chunks, self.file = chunks, file
        self.buffer, self.pos, self.ended = "", 0, False
        self.line, self.column = 1, 1  # of buffer[0] in the file
        self.decoder = json.JSONDecoder()

    def more(self) -> bool:
        """Append the next chunk, dropping what was read; False at the end of the file."""
        if self.ended:
            return False
        done = self.buffer[:self.pos]
        newlines = done.count("\n")
        self.line += newlines
        self.column = len(done) - done.rfind("\n") if newlines else self.column + len(done)
        self.buffer, self.pos = self.buffer[self.pos:], 0
        for chunk in self.chunks:
            if chunk:
                self.buffer += chunk
                return True
        self.ended = True
        return False

    def peek(self) -> str:
        while self.pos >= len(self.buffer):
            if not self.more():
                return ""
        return self.buffer[self.pos]

    def skip_space(self) -> None:
        while (char := self.peek()) and char in WHITESPACE:
            self.pos += 1

    def expect(self, char: str, what: str) -> None:
        self.skip_space()
        if self.peek() != char:
            self.fail(f"attendu {what}")
        self.pos += 1

    def value(self):
        """Decode the value at the reading point, reading more text until it is whole."""
        self.skip_space()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                offset, whole = error.pos - self.pos, len(self.buffer) - self.pos > MAX_VALUE
                if not whole and self.more():
                    continue  # perhaps only cut by the end of the chunk: try again with more text
                said = next((ours for theirs, ours in PARSER_ERRORS.items() if error.msg.startswith(theirs)),
                            "texte illisible")
                self.fail("valeur trop grosse" if whole else said, self.pos + offset)
            except RecursionError:
                raise ImportRejected(self.file, "JSON invalide : imbrication trop profonde.") from None
            if end == len(self.buffer) and not self.ended and self.more():
                continue  # a number may go on in the next chunk: decode it again whole
            self.pos = end
            return value

    def array(self) -> Iterator:
        for _ in self._members("[", "]", "de la liste"):
            yield self.value()

    def object_keys(self) -> Iterator[str]:
        """The keys of the object at the reading point, each left before its value (read by the caller)."""
        for _ in self._members("{", "}", "de l'objet"):
            self.skip_space()
            if self.peek() != '"':
                self.fail("attendu un nom entre guillemets")
            name = self.value()
            self.expect(":", "« : » après un nom")
            self.skip_space()
            yield name

    def _members(self, opening: str, closing: str, of: str) -> Iterator[None]:
        """Step once before each member of the list or object at the reading point (the caller reads
        the member), through its commas, to its closing bracket."""
        self.expect(opening, f"« {opening} »")
        self.skip_space()
        if self.peek() == closing:
            self.pos += 1
            return
        while True:
            yield
            self.skip_space()
            char = self.peek()
            if char not in (",", closing):
                self.fail(f"attendu « , » ou « {closing} » entre les éléments {of}")
            self.pos += 1
            if char == closing:
                return

    def fail(self, message: str, at: int | None = None):
        """Refuse the file, saying where: at `at` in the buffer (default: the reading point)."""
        at = self.pos if at is None else at
        if self.ended and at >= len(self.buffer):
            message = "fin du fichier atteinte trop tôt"
        before = self.buffer[:at]
        newlines = before.count("\n")
        line = self.line + newlines
        column = at - before.rfind("\n") if newlines else self.column + at
        raise ImportRejected(self.file, f"JSON invalide : {message} (ligne {line}, colonne {column}).")
