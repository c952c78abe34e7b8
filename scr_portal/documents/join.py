"""Joining the parts of a long document, rendered one after another (engine.render_pdf_parts), into one
tagged PDF.

pypdf copies pages but leaves out the structure tree that makes a PDF/UA file readable by a screen reader,
so the tree is joined here: one StructTreeRoot and one Document element whose children are every part's
top-level elements in order, and one ParentTree whose keys (each page's /StructParents, each link's
/StructParent) are moved past the previous parts' keys. The first part gives the catalogue's language,
title display and XMP metadata (the parts share them). Each element's /P is set again from the joined
tree (WeasyPrint points some nested elements at its Document element directly).

The joined file is written as WeasyPrint writes each part: every object that is not a stream packed into
compressed object streams, with a cross-reference stream (PDF 1.5). pypdf writes each object on its own,
uncompressed, and the structure trees' tens of thousands of small elements made a 3,000-row chronology
about four and a half times the size of the same document rendered whole."""

from __future__ import annotations

import io
import struct

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

OBJECTS_PER_STREAM = 500


def _keys_used(tree_root) -> int:
    nums = tree_root["/ParentTree"].get_object()["/Nums"]
    return max((int(nums[index]) for index in range(0, len(nums), 2)), default=-1) + 1


def join_tagged(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    nums = ArrayObject()
    parent_tree = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    tree_root = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/ParentTree"): parent_tree}
    )
    tree_root_ref = writer._add_object(tree_root)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): tree_root_ref,
            NameObject("/K"): ArrayObject(),
        }
    )
    document_ref = writer._add_object(document)
    tree_root[NameObject("/K")] = ArrayObject([document_ref])
    offset = 0
    readers = []  # kept open until the end: pypdf maps each reader's objects by the reader's identity
    for index, data in enumerate(parts):
        reader = PdfReader(io.BytesIO(data))
        readers.append(reader)
        catalog = reader.trailer["/Root"]
        if index == 0:
            _copy_catalog(writer, reader)
        for page in reader.pages:
            added = writer.add_page(page)
            if "/StructParents" in page:
                added[NameObject("/StructParents")] = NumberObject(int(page["/StructParents"]) + offset)
            for annotation in added.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        int(annotation["/StructParent"]) + offset
                    )
        part_root = catalog["/StructTreeRoot"].get_object()
        part_document = part_root["/K"][0].get_object()
        # /P is left out of the copy (it would bring the part's own root along) and set again from /K.
        for child in part_document["/K"]:
            element = child.get_object().clone(writer, ignore_fields=("/P",))
            document["/K"].append(element.indirect_reference)
        part_nums = part_root["/ParentTree"].get_object()["/Nums"]
        for position in range(0, len(part_nums), 2):
            nums.append(NumberObject(int(part_nums[position]) + offset))
            nums.append(part_nums[position + 1].clone(writer, ignore_fields=("/P",)))
        offset += _keys_used(part_root)
    _set_parents([document_ref])
    # Elements WeasyPrint lists in the ParentTree under its Document element without being in its /K.
    owners = [value for value in nums[1::2] if isinstance(value, ArrayObject)]
    orphans = [ref for refs in owners for ref in refs if "/P" not in ref.get_object()]
    for orphan in orphans:
        orphan.get_object()[NameObject("/P")] = document_ref
    _set_parents(orphans)
    writer._root_object[NameObject("/StructTreeRoot")] = tree_root_ref
    return _write_compact(writer)


def _write_compact(writer: PdfWriter) -> bytes:
    """The writer's objects as a PDF whose non-stream objects sit in compressed object streams
    (ISO 32000-1 7.5.7) indexed by a compressed cross-reference stream (7.5.8); streams stay as they are
    (the parts' page contents and fonts are compressed already)."""
    writer._resolve_links()  # what PdfWriter.write does first
    output = io.BytesIO()
    output.write(writer.pdf_header.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
    # One (type, field 2, field 3) per object number: 0 free, 1 at an offset, 2 in an object stream.
    entries = [(0, 0, 65535)] + [(0, 0, 0)] * len(writer._objects)
    packed = []
    for number, obj in enumerate(writer._objects, start=1):
        if isinstance(obj, StreamObject):
            entries[number] = (1, output.tell(), 0)
            _write_object(output, number, obj)
        elif obj is not None:
            packed.append((number, obj))
    for start in range(0, len(packed), OBJECTS_PER_STREAM):
        stream_number, offsets, body = len(entries), [], io.BytesIO()
        for index, (number, obj) in enumerate(packed[start : start + OBJECTS_PER_STREAM]):
            offsets.append(f"{number} {body.tell()}")
            obj.write_to_stream(body)
            body.write(b"\n")
            entries[number] = (2, stream_number, index)
        header = " ".join(offsets).encode() + b"\n"
        object_stream = DecodedStreamObject()
        object_stream.update(
            {
                NameObject("/Type"): NameObject("/ObjStm"),
                NameObject("/N"): NumberObject(len(offsets)),
                NameObject("/First"): NumberObject(len(header)),
            }
        )
        object_stream.set_data(header + body.getvalue())
        entries.append((1, output.tell(), 0))
        _write_object(output, stream_number, object_stream.flate_encode())
    xref_number, xref_location = len(entries), output.tell()
    entries.append((1, xref_location, 0))
    xref = DecodedStreamObject()
    xref.update(
        {
            NameObject("/Type"): NameObject("/XRef"),
            NameObject("/Size"): NumberObject(len(entries)),
            NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(2)]),
            NameObject("/Root"): writer.root_object.indirect_reference,
        }
    )
    if writer._info is not None:
        xref[NameObject("/Info")] = writer._info.indirect_reference
    if writer._ID is not None:
        xref[NameObject("/ID")] = writer._ID
    xref.set_data(b"".join(struct.pack(">BIH", *entry) for entry in entries))
    _write_object(output, xref_number, xref.flate_encode())
    output.write(f"startxref\n{xref_location}\n%%EOF\n".encode())
    return output.getvalue()


def _write_object(output: io.BytesIO, number: int, obj) -> None:
    output.write(f"{number} 0 obj\n".encode())
    obj.write_to_stream(output)
    output.write(b"\nendobj\n")


def _set_parents(stack: list) -> None:
    while stack:
        parent_ref = stack.pop()
        kids = parent_ref.get_object().get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, IndirectObject) and "/S" in kid.get_object():
                kid.get_object()[NameObject("/P")] = parent_ref
                stack.append(kid)


def _copy_catalog(writer: PdfWriter, reader: PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in catalog:
            writer._root_object[NameObject(key)] = catalog.raw_get(key).clone(writer)
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
