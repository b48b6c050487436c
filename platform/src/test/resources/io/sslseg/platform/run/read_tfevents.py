"""An independent reader of TensorBoard event files, for TensorBoardLogTest.

Checks the TFRecord framing and both CRC-32C checksums of every record (CRC-32C computed here, bit by bit), then
decodes each record with Google's protobuf runtime against the tensorflow.Event schema declared below (field numbers
as in TensorFlow's event.proto and summary.proto). Prints one JSON object: the events of every file, in file order.
Usage: read_tfevents.py DIR
"""
import json
import os
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def field(msg, name, number, ftype, type_name=None, repeated=False, oneof=None):
    f = msg.field.add(name=name, number=number, type=ftype,
                      label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof


def event_class():
    fdp = descriptor_pb2.FileDescriptorProto(name="tb_event_check.proto", package="tensorflow", syntax="proto3")
    summary = fdp.message_type.add(name="Summary")
    image = summary.nested_type.add(name="Image")
    field(image, "height", 1, F.TYPE_INT32)
    field(image, "width", 2, F.TYPE_INT32)
    field(image, "colorspace", 3, F.TYPE_INT32)
    field(image, "encoded_image_string", 4, F.TYPE_BYTES)
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "tag", 1, F.TYPE_STRING)
    field(value, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    field(value, "image", 4, F.TYPE_MESSAGE, ".tensorflow.Summary.Image", oneof=0)
    field(summary, "value", 1, F.TYPE_MESSAGE, ".tensorflow.Summary.Value", repeated=True)
    session = fdp.message_type.add(name="SessionLog")
    field(session, "status", 1, F.TYPE_INT32)
    event = fdp.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    field(event, "wall_time", 1, F.TYPE_DOUBLE)
    field(event, "step", 2, F.TYPE_INT64)
    field(event, "file_version", 3, F.TYPE_STRING, oneof=0)
    field(event, "summary", 5, F.TYPE_MESSAGE, ".tensorflow.Summary", oneof=0)
    field(event, "session_log", 7, F.TYPE_MESSAGE, ".tensorflow.SessionLog", oneof=0)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    desc = pool.FindMessageTypeByName("tensorflow.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def read(path, Event):
    events = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 12]
        if len(header) < 12:
            raise SystemExit("%s: torn header at byte %d" % (path, pos))
        length, length_crc = struct.unpack("<QI", header)
        if masked(header[:8]) != length_crc:
            raise SystemExit("%s: bad length CRC at byte %d" % (path, pos))
        record = data[pos + 12:pos + 12 + length]
        (record_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if masked(record) != record_crc:
            raise SystemExit("%s: bad record CRC at byte %d" % (path, pos))
        pos += 16 + length
        e = Event()
        e.ParseFromString(record)
        out = {"step": e.step, "wall_time": e.wall_time}
        if e.HasField("file_version"):
            out["file_version"] = e.file_version
        if e.HasField("session_log"):
            out["session_status"] = e.session_log.status
        if e.HasField("summary"):
            values = []
            for v in e.summary.value:
                if v.HasField("image"):
                    png = v.image.encoded_image_string
                    values.append({"tag": v.tag, "width": v.image.width, "height": v.image.height,
                                   "png": png[:8] == b"\x89PNG\r\n\x1a\n", "bytes": len(png)})
                else:
                    values.append({"tag": v.tag, "value": v.simple_value})
            out["values"] = values
        events.append(out)
    return events


def main():
    Event = event_class()
    folder = sys.argv[1]
    files = sorted(n for n in os.listdir(folder) if "tfevents" in n)
    print(json.dumps({"files": [{"name": n, "events": read(os.path.join(folder, n), Event)} for n in files]}))


main()
