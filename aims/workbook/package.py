"""The .xlsx package (a zip of XML parts), checked before openpyxl reads any of it.

Contract: `check(data, max_unpacked)` returns a Package (the part names, and the merged cell
ranges of each worksheet part) or raises ValidationError with one plain message, starting with
UNSAFE when the file could harm or mislead the reader:
- the zip cannot be opened (damaged, not a zip), holds no xl/workbook.xml, holds more than
  MAX_PARTS parts, or holds two parts of one name (which one a reader takes is arbitrary);
- a part is encrypted or compressed with a method other than the two Excel uses;
- the parts unpack to more than `max_unpacked` bytes: the sizes the zip declares are added up
  first, then the bytes are counted as they unpack, since a declared size can lie;
- a part unpacks to another size than its header declares, or fails its checksum;
- an XML part declares a document type or entities (<!DOCTYPE, <!ENTITY): an Excel workbook
  never does, and that is how "billion laughs" expansion and external-entity reads start; or
  the part's prolog (before its first element) is not well-formed XML.
Only the prolog is parsed here (cheaply, with expat, which also reads UTF-16): a document type
can only appear there. Anything else wrong inside a part is found when openpyxl reads it, and
the importer turns that into the same kind of message.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from aims.common.validate import ValidationError

UNSAFE = "This file is not a workbook the app can read safely: "
MAX_PARTS = 10_000          # Excel writes a few dozen; a few hundred with many sheets and images
CHUNK = 1 << 20
RESAVE = " Open it in Excel or LibreOffice, save it as .xlsx and import it again."
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["']([^"']{1,40})["']""")
_XML_NAMES = (".xml", ".rels", ".vml")


@dataclass
class Package:
    parts: list[str]
    merges: dict[str, list[str]] = field(default_factory=dict)   # worksheet part -> ['A5:A6', ...]

    def merged(self, part: str | None) -> list[str]:
        return self.merges.get((part or "").lstrip("/"), [])


class _Root(Exception):
    """The first element was reached: the prolog is over."""


def _unsafe(text: str) -> ValidationError:
    return ValidationError(UNSAFE + text)


def check(data: bytes, max_unpacked: int) -> Package:
    """See the module docstring."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ValidationError("The file is damaged or not an .xlsx workbook (it cannot be unzipped).") from None
    with z:
        names = [i.filename for i in infos]
        if "xl/workbook.xml" not in names:
            raise ValidationError("The file is a zip archive but not an Excel workbook (no xl/workbook.xml "
                                  "inside). Choose the .xlsx file exported by AIMS Workbench.")
        if len(infos) > MAX_PARTS:
            raise _unsafe(f"it holds {len(infos):,} parts; an Excel workbook holds a few hundred at most.")
        seen: set[str] = set()
        for i in infos:
            if i.filename in seen:
                raise _unsafe(f"it holds two parts named {i.filename!r}, and which one counts is arbitrary.")
            seen.add(i.filename)
            if i.flag_bits & 0x1:
                raise _unsafe(f"its part {i.filename!r} is encrypted." + RESAVE)
            if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _unsafe(f"its part {i.filename!r} is compressed with a method Excel does not use "
                              f"(method {i.compress_type})." + RESAVE)
        declared = sum(i.file_size for i in infos)
        if declared > max_unpacked:
            raise _too_big(declared, max_unpacked)
        package = Package(names)
        total = 0
        for i in infos:
            total = _read_part(z, i, total, max_unpacked, package)
    return package


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(f"The workbook unpacks to {size / 1024 / 1024:.0f} MB or more; the limit is "
                           f"{limit // 1024 // 1024} MB. Remove unrelated sheets or formatting.")


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, limit: int, package: Package) -> int:
    """Unpack one part in chunks (size, checksum, prolog, merged cells); returns the new total."""
    name = info.filename
    prolog: _Prolog | None = None
    sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    merges: dict[bytes, None] = {}
    carry, size, first = b"", 0, True
    try:
        with z.open(info) as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if total + size > limit:
                    raise _too_big(total + size, limit)
                if first:
                    first = False
                    if name.lower().endswith(_XML_NAMES) or _looks_like_xml(chunk):
                        prolog = _Prolog(name)
                if prolog is not None:
                    prolog.feed(chunk)
                if sheet:
                    window = carry + chunk
                    if b"mergeCell" in window:
                        merges.update(dict.fromkeys(_MERGE.findall(window)))
                    carry = window[-4096:]
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise _unsafe(f"its part {name!r} is damaged, or its recorded size or checksum is wrong "
                      f"({said(exc)})." + RESAVE) from None
    if size != info.file_size:
        raise _unsafe(f"its part {name!r} holds {size:,} bytes but its header says {info.file_size:,}: "
                      "the zip has been tampered with or damaged." + RESAVE)
    if prolog is not None:
        prolog.close()
    if merges:
        package.merges[name] = [m.decode("ascii", "replace") for m in merges]
    return total + size


def _looks_like_xml(head: bytes) -> bool:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def said(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:160] if text else type(exc).__name__


class _Prolog:
    """Feeds a part to expat until its first element; refuses a document type or entity."""

    def __init__(self, name: str):
        self.name = name
        self.done = False
        p = self.parser = expat.ParserCreate()
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.StartElementHandler = self._element

    def _doctype(self, *args):
        raise _unsafe(f"its part {self.name!r} declares a document type (<!DOCTYPE>), which an Excel workbook "
                      "never does: such a declaration can define entities that expand to gigabytes or read other "
                      "files. Ask for a copy saved by Excel or LibreOffice.")

    def _entity(self, *args):
        raise _unsafe(f"its part {self.name!r} declares an entity (<!ENTITY>), which an Excel workbook never does. "
                      "Ask for a copy saved by Excel or LibreOffice.")

    def _element(self, *args):
        raise _Root

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.done:
            return
        try:
            self.parser.Parse(chunk, final)
        except _Root:
            self.done = True
        except expat.ExpatError as exc:
            raise _unsafe(f"its part {self.name!r} is not well-formed XML ({expat.errors.messages[exc.code]}, "
                          f"line {exc.lineno}, column {exc.offset})." + RESAVE) from None

    def close(self) -> None:
        self.feed(b"", final=True)
