#!/usr/bin/env python3
"""An Exposure Notification key export reader that shares no code with fedtrace.

The message classes are built at run time from a descriptor written here from the
published field numbers of the key export format (export.proto of the Exposure
Notification servers, proto2):

  TemporaryExposureKeyExport: 1 start_timestamp fixed64, 2 end_timestamp fixed64,
    3 region string, 4 batch_num int32, 5 batch_size int32,
    6 signature_infos SignatureInfo (repeated), 7 keys TemporaryExposureKey (repeated),
    8 revised_keys TemporaryExposureKey (repeated)
  SignatureInfo: 3 verification_key_version string, 4 verification_key_id string,
    5 signature_algorithm string
  TemporaryExposureKey: 1 key_data bytes, 2 transmission_risk_level int32,
    3 rolling_start_interval_number int32, 4 rolling_period int32 (default 144),
    5 report_type enum, 6 days_since_onset_of_symptoms sint32
  TEKSignatureList: 1 signatures TEKSignature (repeated)
  TEKSignature: 1 signature_info SignatureInfo, 2 batch_num int32, 3 batch_size int32,
    4 signature bytes

Reads one export zip and prints key=value lines for the test to check. Needs Debian's
python3-protobuf (or the same from PyPI).
"""

import sys
import zipfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
HEADER = b"EK Export v1    "


def message(file, name, fields):
    m = file.message_type.add(name=name)
    for number, field_name, kind, label, type_name in fields:
        f = m.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name
        if field_name == "rolling_period":
            f.default_value = "144"


def build():
    file = descriptor_pb2.FileDescriptorProto(name="independent_export.proto", package="indep")
    file.syntax = "proto2"
    enum = file.enum_type.add(name="ReportType")
    for number, name in enumerate(
        ["UNKNOWN", "CONFIRMED_TEST", "CONFIRMED_CLINICAL_DIAGNOSIS", "SELF_REPORT",
         "RECURSIVE", "REVOKED"]):
        enum.value.add(name=name, number=number)
    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message(file, "SignatureInfo", [
        (3, "verification_key_version", F.TYPE_STRING, opt, None),
        (4, "verification_key_id", F.TYPE_STRING, opt, None),
        (5, "signature_algorithm", F.TYPE_STRING, opt, None),
    ])
    message(file, "TemporaryExposureKey", [
        (1, "key_data", F.TYPE_BYTES, opt, None),
        (2, "transmission_risk_level", F.TYPE_INT32, opt, None),
        (3, "rolling_start_interval_number", F.TYPE_INT32, opt, None),
        (4, "rolling_period", F.TYPE_INT32, opt, None),
        (5, "report_type", F.TYPE_ENUM, opt, ".indep.ReportType"),
        (6, "days_since_onset_of_symptoms", F.TYPE_SINT32, opt, None),
    ])
    message(file, "TemporaryExposureKeyExport", [
        (1, "start_timestamp", F.TYPE_FIXED64, opt, None),
        (2, "end_timestamp", F.TYPE_FIXED64, opt, None),
        (3, "region", F.TYPE_STRING, opt, None),
        (4, "batch_num", F.TYPE_INT32, opt, None),
        (5, "batch_size", F.TYPE_INT32, opt, None),
        (6, "signature_infos", F.TYPE_MESSAGE, rep, ".indep.SignatureInfo"),
        (7, "keys", F.TYPE_MESSAGE, rep, ".indep.TemporaryExposureKey"),
        (8, "revised_keys", F.TYPE_MESSAGE, rep, ".indep.TemporaryExposureKey"),
    ])
    message(file, "TEKSignature", [
        (1, "signature_info", F.TYPE_MESSAGE, opt, ".indep.SignatureInfo"),
        (2, "batch_num", F.TYPE_INT32, opt, None),
        (3, "batch_size", F.TYPE_INT32, opt, None),
        (4, "signature", F.TYPE_BYTES, opt, None),
    ])
    message(file, "TEKSignatureList", [
        (1, "signatures", F.TYPE_MESSAGE, rep, ".indep.TEKSignature"),
    ])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)

    def cls(name):
        d = pool.FindMessageTypeByName("indep." + name)
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
            return message_factory.GetMessageClass(d)
        return message_factory.MessageFactory(pool).GetPrototype(d)

    return cls("TemporaryExposureKeyExport"), cls("TEKSignatureList")


def main(path):
    export_class, signatures_class = build()
    with zipfile.ZipFile(path) as z:
        print("entries=" + ",".join(sorted(z.namelist())))
        bin_bytes = z.read("export.bin")
        sig_bytes = z.read("export.sig")
    if bin_bytes[:16] != HEADER:
        print("header=bad")
        return 1
    print("header=ok")
    export = export_class.FromString(bin_bytes[16:])
    print("region=%s" % export.region)
    print("start=%d" % export.start_timestamp)
    print("end=%d" % export.end_timestamp)
    print("batch=%d/%d" % (export.batch_num, export.batch_size))
    for info in export.signature_infos:
        print("signature_info=%s,%s,%s" % (info.verification_key_id,
                                           info.verification_key_version,
                                           info.signature_algorithm))
    order = [k.key_data for k in export.keys]
    print("keys=%d" % len(export.keys))
    print("keys_sorted=%s" % (order == sorted(order)))
    for k in export.keys:
        print("key=%s %d %d %d %d %s" % (
            k.key_data.hex(), k.rolling_start_interval_number, k.rolling_period,
            k.report_type, k.transmission_risk_level,
            k.days_since_onset_of_symptoms if k.HasField("days_since_onset_of_symptoms")
            else "-"))
    for k in export.revised_keys:
        print("revised=%s %d" % (k.key_data.hex(), k.report_type))
    signatures = signatures_class.FromString(sig_bytes)
    for s in signatures.signatures:
        print("signature=%s %d/%d %s" % (s.signature_info.verification_key_id, s.batch_num,
                                         s.batch_size, s.signature.hex()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
