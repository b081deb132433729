"""Reading the text of an uncompressed PDF back in tests (no PDF library is installed)."""

from __future__ import annotations

import re


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(dst, 16) + i)
    return mapping


def pdf_text(data: bytes) -> str:
    """The text of an uncompressed PDF as a PDF reader extracts it (no PDF library is installed).

    WeasyPrint writes text as glyph codes (Identity-H); a reader maps them to characters through
    the ToUnicode CMap of the font selected with ``Tf``. This does the same, for each text-showing
    operator (``TJ``/``Tj``) in the content streams: one line of output per operator.
    """
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}

    def stream(body: bytes) -> bytes:
        match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        return match.group(1) if match else b""

    fonts = {}
    for number, body in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if b"/Type0" in body and to_unicode:
            fonts[number] = _cmap(stream(objects[int(to_unicode.group(1))]))
    by_name = {
        name: fonts[int(number)]
        for body in objects.values()
        for name, number in re.findall(rb"/([\w+-]+) (\d+) 0 R", body)
        if int(number) in fonts
    }
    lines = []
    operators = re.compile(rb"/([\w+-]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", re.S)
    for body in objects.values():
        if b"stream" not in body:
            continue
        cmap: dict[int, str] = {}
        for match in operators.finditer(stream(body)):
            if match.group(1):
                cmap = by_name.get(match.group(1), {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", match.group(2) or b"<" + match.group(3) + b">")
            codes = b"".join(hexes).decode()
            lines.append(
                "".join(
                    cmap.get(int(codes[i : i + 4], 16), "\ufffd") for i in range(0, len(codes), 4)
                )
            )
    return "\n".join(lines)
