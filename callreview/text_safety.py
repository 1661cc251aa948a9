"""Text that is safe to print on a terminal for people to read.

Transcripts, speaker names and file names come from elsewhere: an escape sequence in
one (``ESC ] 0 ; title BEL``, ``ESC [ 2 J``) retitles or clears the terminal, a newline
in a file name starts a fake line, a right-to-left override reorders what is shown, and
a lone surrogate (an undecodable byte in a file name) makes printing fail. What is
printed for people goes through :func:`for_terminal`; the data itself is never changed,
and JSON output needs nothing (``json.dumps`` escapes C0 controls itself).

Only the standard library is imported here.
"""

from __future__ import annotations

#: C0 controls, DEL and C1 controls (U+0080-U+009F, 8-bit CSI is U+009B): removed
_CONTROLS = {c: None for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
#: line ends, tabs and the Unicode line and paragraph separators: a space, so words stay apart
_SPACES = {0x09: " ", 0x0A: " ", 0x0B: " ", 0x0C: " ", 0x0D: " ", 0x85: " ", 0x2028: " ", 0x2029: " "}
#: bidirectional embeddings, overrides and isolates ("Trojan Source" reordering): removed
_BIDI = {c: None for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
#: lone surrogates (never a character; from undecodable file-name bytes): U+FFFD
_SURROGATES = {c: "\ufffd" for c in range(0xD800, 0xE000)}

_TABLE = {**_CONTROLS, **_SPACES, **_BIDI, **_SURROGATES}
_TABLE_KEEP_NEWLINES = {k: v for k, v in _TABLE.items() if k != 0x0A}


def for_terminal(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` as it may be shown on a terminal: control characters (C0, DEL, C1),
    bidi overrides and isolates removed, line ends, tabs and separators made spaces, lone
    surrogates replaced by U+FFFD. ``keep_newlines`` keeps ``\\n`` (for text that is
    several lines on purpose); anything not a string is converted with ``str`` first.

        >>> for_terminal("Dana\\x1b]0;pwned\\x07: hi")
        'Dana]0;pwned: hi'
    """
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():  # the common case: nothing to change (plain space is printable)
        return s
    return s.translate(_TABLE_KEEP_NEWLINES if keep_newlines else _TABLE)
