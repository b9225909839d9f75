#!/usr/bin/env python3
"""A fedtrace client that shares no code with the Java implementation.

It builds the fedtrace.v1 message classes at run time from a FileDescriptorSet
(the compiled .proto files), talks to a node over mutual TLS with gRPC's own
Python stack, and prints what it saw as key=value lines for the test to check:

  GetNodeInfo, then PublishBatch of a signed batch twice (new, then duplicate),
  PublishBatch of a forged copy (refused; the google.rpc.BadRequest trailer is
  decoded here too), then PullBatches from the beginning, printing the symptom
  state of every pulled key (days since onset or symptom_status, spec 26.1)
  with the key-record bytes this client computes for it.

Needs Debian's python3-grpcio and python3-protobuf (or the same from PyPI).
"""

import argparse
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

SERVICE = "/fedtrace.v1.Federation/"
DEADLINE_SECONDS = 30


class Messages:
    """Message classes by full proto name, from a serialized FileDescriptorSet."""

    def __init__(self, descriptor_set: bytes):
        files = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set)
        self.pool = descriptor_pool.DescriptorPool()
        for f in files.file:  # dependencies come first in the set
            self.pool.Add(f)
        self.factory = None

    def __getitem__(self, name):
        descriptor = self.pool.FindMessageTypeByName(name)
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
            return message_factory.GetMessageClass(descriptor)
        if self.factory is None:
            self.factory = message_factory.MessageFactory(self.pool)
        return self.factory.GetPrototype(descriptor)


def rpc(channel, method, response_class):
    """A unary call of the Federation service, with a deadline (R6.10)."""
    call = channel.unary_unary(
        SERVICE + method,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_class.FromString,
    )
    return lambda request: call(request, timeout=DEADLINE_SECONDS)


def refusal(error, messages):
    """The code, message and BadRequest field violations of a failed call."""
    violations = []
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = messages["google.rpc.Status"].FromString(value)
        for detail in status.details:
            if detail.type_url.endswith("/google.rpc.BadRequest"):
                bad = messages["google.rpc.BadRequest"].FromString(detail.value)
                violations += [v.field + " | " + v.description for v in bad.field_violations]
    return error.code().name, error.details(), violations


SYMPTOM_BYTES = {
    "onset_unknown_days_since_submission": 2,
    "asymptomatic_days_since_submission": 3,
    "unknown_days_since_submission": 4,
}


def symptoms(key):
    """The symptom state of a key (spec 26.1) and its key-record bytes 22 and 23, in hex."""
    if key.HasField("symptom_status"):
        status = key.symptom_status
        case = status.WhichOneof("status")
        if case == "onset_range":
            r = status.onset_range
            label = "onset_range:%d:%d" % (r.range_days, r.days_since_range_end)
            kind, days = 0x10 + r.range_days, r.days_since_range_end
        else:
            days = getattr(status, case)
            label, kind = "%s:%d" % (case, days), SYMPTOM_BYTES[case]
    elif key.HasField("days_since_onset_of_symptoms"):
        days = key.days_since_onset_of_symptoms
        label, kind = "days_since_onset_of_symptoms:%d" % days, 1
    else:
        label, kind, days = "none", 0, 0
    return "%s %02x%02x" % (label, kind, days & 0xFF)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--target", required=True, help="host:port of the node")
    p.add_argument("--descriptors", required=True, help="FileDescriptorSet file")
    p.add_argument("--ca", required=True, help="federation authority certificate (PEM)")
    p.add_argument("--cert", required=True, help="member TLS certificate (PEM)")
    p.add_argument("--key", required=True, help="member TLS private key (PKCS#8 PEM)")
    p.add_argument("--batch", required=True, help="a signed DiagnosisKeyBatch (binary)")
    p.add_argument("--forged", required=True, help="the same batch altered after signing")
    p.add_argument("--traveller", required=True,
                   help="a signed format-2 batch of scope TRAVELLER (binary)")
    a = p.parse_args()

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    messages = Messages(read(a.descriptors))
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(a.ca), private_key=read(a.key), certificate_chain=read(a.cert))
    with grpc.secure_channel(a.target, credentials) as channel:
        node_info = rpc(channel, "GetNodeInfo", messages["fedtrace.v1.GetNodeInfoResponse"])
        publish = rpc(channel, "PublishBatch", messages["fedtrace.v1.PublishBatchResponse"])
        pull = rpc(channel, "PullBatches", messages["fedtrace.v1.PullBatchesResponse"])
        Batch = messages["fedtrace.v1.DiagnosisKeyBatch"]
        PublishRequest = messages["fedtrace.v1.PublishBatchRequest"]

        info = node_info(messages["fedtrace.v1.GetNodeInfoRequest"]())
        print("protocol_version=" + info.protocol_version)
        print("node=%s/%s" % (info.node.country, info.node.operator_id))
        print("agreement_sha256=" + info.agreement_sha256.hex())
        print("features=" + ",".join(info.features))

        batch = Batch.FromString(read(a.batch))
        for attempt in (1, 2):
            response = publish(PublishRequest(batch=batch))
            print("publish_%d_duplicate=%s" % (attempt, response.duplicate))

        try:
            publish(PublishRequest(batch=Batch.FromString(read(a.forged))))
            print("forged_code=OK")
        except grpc.RpcError as e:
            code, message, violations = refusal(e, messages)
            print("forged_code=" + code)
            print("forged_message=" + message)
            for v in violations:
                print("forged_violation=" + v)

        # spec 0.8.0: a TRAVELLER batch, rebuilt here field by field from the signed one, so
        # the signature verifies only if this protobuf library keeps scope (field 9)
        signed = Batch.FromString(read(a.traveller))
        rebuilt = Batch(format_version=signed.format_version, batch_id=signed.batch_id,
                        origin=signed.origin, sequence=signed.sequence,
                        created_unix_seconds=signed.created_unix_seconds, keys=signed.keys,
                        signer_certificate=signed.signer_certificate,
                        signature=signed.signature, scope=signed.scope)
        response = publish(PublishRequest(batch=rebuilt))
        print("traveller_duplicate=%s" % response.duplicate)

        Pull = messages["fedtrace.v1.PullBatchesRequest"]
        pulled = pull(Pull(max_batches=10))
        print("pulled_batches=%d" % len(pulled.batches))
        for b in pulled.batches:
            print("pulled=%s/%d keys=%d format=%d scope=%d"
                  % (b.origin, b.sequence, len(b.keys), b.format_version, b.scope))
            for k in b.keys:
                print("pulled_symptoms=" + symptoms(k))
        print("caught_up=%s" % pulled.caught_up)

        # spec 0.8.0: interest filters
        filtered = pull(Pull(max_batches=10, origins=["DE"], travellers_only=True))
        for b in filtered.batches:
            print("filtered=%s/%d format=%d scope=%d"
                  % (b.origin, b.sequence, b.format_version, b.scope))
        print("filtered_caught_up=%s" % filtered.caught_up)
        try:
            pull(Pull(origins=["FR", "DE"]))
            print("unsorted_code=OK")
        except grpc.RpcError as e:
            code, message, violations = refusal(e, messages)
            print("unsorted_code=" + code)
            for v in violations:
                print("unsorted_violation=" + v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
