"""File names as text: any name a file system holds, kept losslessly in one printable form.

On Linux a file name is bytes. Python hands names that are not UTF-8 over as `str` holding lone surrogates
(`os.fsdecode`'s surrogateescape: byte 0xff is U+DCFF), which no UTF-8 text column, JSON writer or strict
stdout accepts; a name may also hold newlines, tabs, or format characters such as U+202E that turn the
text around it right-to-left. `printable_name` gives every name one form that is valid UTF-8, one line,
and shows what the name really holds; `original_name` turns that form back into the name, exactly:

- a byte that is not UTF-8 becomes `\\xNN` (its value), an ASCII control character `\\xNN` too;
- another unprintable character (a lone surrogate, a Unicode format, line or paragraph separator, a C1
  control) becomes `\\uNNNN` (or `\\UNNNNNNNN`);
- a backslash becomes `\\\\`, so a name that holds a literal `\\x41` is never taken for an escape;
- everything else, Chinese and spaces included, stays as it is.
Source.file and the stored file names hold this form (extraction/readers `make_source`), so a name shows the
same in the database, on the command line and in the dashboard.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ESCAPE = re.compile(r"\\(?:\\|x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def _escape(char: str) -> str:
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable_name(name: str) -> str:
    """A file name (or path) as valid, one-line, printable UTF-8 text that `original_name` reverses."""
    if name.isprintable() and "\\" not in name:
        return name  # the common case, unchanged (isprintable is False for every escaped category)
    return "".join(_escape(c) if c == "\\" or unicodedata.category(c) in _ESCAPED_CATEGORIES else c for c in name)


def _unescape(match: re.Match[str]) -> str:
    byte, short, long = match.groups()
    if byte is not None:
        code = int(byte, 16)
        return chr(code) if code < 0x80 else chr(0xDC00 + code)  # back to os.fsdecode's surrogate
    if short is not None or long is not None:
        return chr(int(short or long, 16))
    return "\\"


def original_name(text: str) -> str:
    """The name `printable_name` was given (as `os.fsdecode` gives it: `os.fsencode` of it is the bytes)."""
    return _ESCAPE.sub(_unescape, text)
