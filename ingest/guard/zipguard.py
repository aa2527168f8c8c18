"""A zip reader for untrusted archives: check the structure, then inflate under a hard budget.

Nothing here trusts a declared size. The central directory is compared with each local
header, member data may not overlap or run past the end of the file, and every member is
inflated in bounded chunks that stop as soon as the output exceeds what was declared. Only
stored and deflated members are read: they are the only methods spreadsheet programs write.

Problems are raised as ``Refused`` with a stable message code; ``ingest.guard`` turns them
into the user-facing ``UploadRejected``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
LOCAL_SIGNATURE = b"PK\x03\x04"
CENTRAL_SIGNATURE = b"PK\x01\x02"
ZIP64_MARKER = 0xFFFFFFFF
FLAG_ENCRYPTED = 0x01
FLAG_DATA_DESCRIPTOR = 0x08
FLAG_UTF8 = 0x800
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

INPUT_STEP = 256 * 1024  # compressed bytes handed to zlib at once
OUTPUT_STEP = 1024 * 1024  # most decompressed bytes held at once
# Tiny members may compress extremely well (a run of identical styles) without harm:
# the ratio cap only applies to members that inflate past this size.
RATIO_FLOOR_BYTES = 1024 * 1024
MEGABYTE = 1024 * 1024


class Refused(Exception):
    """The archive is refused; ``code`` names a message in the catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ZipLimits:
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_members: int = 10_000


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    data_start: int
    data_end: int


class Archive:
    """A checked archive whose members are read as bounded chunks of decompressed bytes."""

    def __init__(self, data: bytes, members: dict[str, _Member]) -> None:
        self._data = memoryview(data)
        self._members = members

    @property
    def names(self) -> list[str]:
        return list(self._members)

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes, at most ``OUTPUT_STEP`` at a time, checked against its CRC.

        The byte budget is the member's declared size, whose sum was checked against the cap:
        output beyond it is refused, so the declarations cannot lie to make room.
        """
        member = self._members[name]
        info = member.info
        raw = self._data[member.data_start : member.data_end]
        stored = info.compress_type == zipfile.ZIP_STORED
        pieces = _stored(raw, info.file_size) if stored else _inflated(raw, info.file_size)
        crc = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            yield piece
        if crc != info.CRC:
            raise Refused("zip_corrupt")

    def read(self, name: str, max_bytes: int) -> bytes | None:
        """The whole member, or None when it is larger than ``max_bytes``."""
        parts, size = [], 0
        for chunk in self.chunks(name):
            size += len(chunk)
            if size > max_bytes:
                return None
            parts.append(chunk)
        return b"".join(parts)


def open_archive(data: bytes, limits: ZipLimits) -> Archive:
    """Check the archive's structure and declared sizes; raise ``Refused`` on any doubt."""
    _check_member_count(data, limits)
    infos = _central_directory(data)
    _check_declarations(infos, limits)
    members = {info.filename: _locate(data, info) for info in infos}
    _check_no_overlap(members.values())
    return Archive(data, members)


def _check_member_count(data: bytes, limits: ZipLimits) -> None:
    # Counted on the raw bytes before zipfile builds one object per central entry.
    count = data.count(CENTRAL_SIGNATURE)
    if count > limits.max_members:
        raise Refused("zip_too_many_members", count=count, max_count=limits.max_members)


def _central_directory(data: bytes) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # zipfile reports mangled directories with many exception types
        raise Refused("zip_corrupt") from None
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise Refused("zip_corrupt")  # two members with one name: parsers disagree on which wins
    return infos


def _check_declarations(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    for info in infos:
        if info.flag_bits & FLAG_ENCRYPTED:
            raise Refused("xlsx_encrypted")
        if info.compress_type not in READABLE_METHODS:
            raise Refused("zip_corrupt")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise Refused(
            "zip_too_large",
            size_mb=_megabytes(total),
            max_mb=_megabytes(limits.max_uncompressed_bytes),
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise Refused(
                "zip_bomb", ratio=round(ratio), max_ratio=round(limits.max_compression_ratio)
            )


def _locate(data: bytes, info: zipfile.ZipInfo) -> _Member:
    """Where the member's data lies, after checking its local header agrees with the directory."""
    offset = info.header_offset
    try:
        fields = LOCAL_HEADER.unpack_from(data, offset)
    except struct.error:
        raise Refused("zip_corrupt") from None
    signature, _, flags, method, _, _, crc, compressed, size, name_length, extra_length = fields
    name_start = offset + LOCAL_HEADER.size
    local_name = data[name_start : name_start + name_length]
    if signature != LOCAL_SIGNATURE or method != info.compress_type:
        raise Refused("zip_corrupt")
    if local_name != info.orig_filename.encode("utf-8" if info.flag_bits & FLAG_UTF8 else "cp437"):
        raise Refused("zip_corrupt")
    if not flags & FLAG_DATA_DESCRIPTOR and not _local_sizes_agree(info, crc, compressed, size):
        raise Refused("zip_corrupt")
    data_start = name_start + name_length + extra_length
    data_end = data_start + info.compress_size
    if data_end > len(data):
        raise Refused("zip_corrupt")  # truncated after the directory was written
    return _Member(info, data_start, data_end)


def _local_sizes_agree(info: zipfile.ZipInfo, crc: int, compressed: int, size: int) -> bool:
    if ZIP64_MARKER in (compressed, size):
        return crc == info.CRC  # real sizes sit in the zip64 extra field; the budget still holds
    return (crc, compressed, size) == (info.CRC, info.compress_size, info.file_size)


def _check_no_overlap(members) -> None:
    # Overlapping members let a small file expand many times (the "better zip bomb").
    previous_end = 0
    for member in sorted(members, key=lambda m: m.info.header_offset):
        if member.info.header_offset < previous_end:
            raise Refused("zip_corrupt")
        previous_end = member.data_end


def _stored(raw: memoryview, declared: int) -> Iterator[bytes]:
    if len(raw) != declared:
        raise Refused("zip_corrupt")
    for start in range(0, len(raw), OUTPUT_STEP):
        yield bytes(raw[start : start + OUTPUT_STEP])


def _inflated(raw: memoryview, declared: int) -> Iterator[bytes]:
    """Inflate ``raw`` chunk by chunk, refusing as soon as it outgrows the declared size."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for piece in _inflate_steps(inflater, raw):
            produced += len(piece)
            if produced > declared:
                raise Refused("zip_corrupt")
            yield piece
    except zlib.error:
        raise Refused("zip_corrupt") from None
    if not inflater.eof or produced != declared:
        raise Refused("zip_corrupt")


def _inflate_steps(inflater, raw: memoryview) -> Iterator[bytes]:
    # Small input steps keep ``unconsumed_tail`` (a copy) small; max_length bounds each output.
    for start in range(0, len(raw), INPUT_STEP):
        pending = raw[start : start + INPUT_STEP]
        while pending and not inflater.eof:
            piece = inflater.decompress(pending, OUTPUT_STEP)
            pending = inflater.unconsumed_tail
            if piece:
                yield piece
        if inflater.eof:
            return
    while not inflater.eof:  # output zlib still holds after the last input
        piece = inflater.decompress(b"", OUTPUT_STEP)
        if not piece:
            return
        yield piece


def _megabytes(size: int) -> float:
    return round(size / MEGABYTE, 1)
