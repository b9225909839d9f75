package org.fedtrace.batch.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * The JSON form of keys and batches in the vector files. Field names are the proto field names;
 * bytes are lowercase hex; 64-bit integers are decimal strings (as in the proto3 JSON mapping, so
 * that no JSON reader rounds them); 32-bit integers, the report type's enum number and the format
 * version are JSON numbers; {@code days_since_onset_of_symptoms} is present exactly when the proto
 * field is. Reading does not validate, so that vectors can carry malformed fields.
 */
final class BatchJson {
  static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BatchJson() {}

  static ObjectNode keyToJson(DiagnosisKey k) {
    ObjectNode n = NODES.objectNode();
    n.put("key_data", HEX.formatHex(k.getKeyData().toByteArray()));
    n.put(
        "rolling_start_interval_number", Integer.toUnsignedLong(k.getRollingStartIntervalNumber()));
    n.put("rolling_period", Integer.toUnsignedLong(k.getRollingPeriod()));
    n.put("report_type", k.getReportTypeValue());
    if (k.hasDaysSinceOnsetOfSymptoms()) {
      n.put("days_since_onset_of_symptoms", k.getDaysSinceOnsetOfSymptoms());
    }
    n.put("transmission_risk_level", Integer.toUnsignedLong(k.getTransmissionRiskLevel()));
    ArrayNode visited = n.putArray("visited_countries");
    k.getVisitedCountriesList().forEach(visited::add);
    return n;
  }

  static DiagnosisKey keyFromJson(JsonNode n) {
    DiagnosisKey.Builder k =
        DiagnosisKey.newBuilder()
            .setKeyData(bytes(n, "key_data"))
            .setRollingStartIntervalNumber((int) n.get("rolling_start_interval_number").asLong())
            .setRollingPeriod((int) n.get("rolling_period").asLong())
            .setReportTypeValue(n.get("report_type").asInt())
            .setTransmissionRiskLevel((int) n.get("transmission_risk_level").asLong());
    if (n.has("days_since_onset_of_symptoms")) {
      k.setDaysSinceOnsetOfSymptoms(n.get("days_since_onset_of_symptoms").asInt());
    }
    n.get("visited_countries").forEach(c -> k.addVisitedCountries(c.asText()));
    return k.build();
  }

  /** Every field but the signature, which a vector carries beside the batch as {@code sig}. */
  static ObjectNode batchToJson(DiagnosisKeyBatch b) {
    ObjectNode n = NODES.objectNode();
    n.put("format_version", Integer.toUnsignedLong(b.getFormatVersion()));
    n.put("batch_id", HEX.formatHex(b.getBatchId().toByteArray()));
    n.put("origin", b.getOrigin());
    n.put("sequence", Long.toUnsignedString(b.getSequence()));
    n.put("created_unix_seconds", Long.toString(b.getCreatedUnixSeconds()));
    ArrayNode keys = n.putArray("keys");
    b.getKeysList().forEach(k -> keys.add(keyToJson(k)));
    if (!b.getSignerCertificate().isEmpty()) {
      n.put("signer_certificate", HEX.formatHex(b.getSignerCertificate().toByteArray()));
    }
    return n;
  }

  static DiagnosisKeyBatch batchFromJson(JsonNode n) {
    DiagnosisKeyBatch.Builder b =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion((int) n.get("format_version").asLong())
            .setBatchId(bytes(n, "batch_id"))
            .setOrigin(n.get("origin").asText())
            .setSequence(Long.parseUnsignedLong(n.get("sequence").asText()))
            .setCreatedUnixSeconds(Long.parseLong(n.get("created_unix_seconds").asText()));
    n.get("keys").forEach(k -> b.addKeys(keyFromJson(k)));
    if (n.has("signer_certificate")) {
      b.setSignerCertificate(bytes(n, "signer_certificate"));
    }
    return b.build();
  }

  static ByteString bytes(JsonNode n, String field) {
    return ByteString.copyFrom(HEX.parseHex(n.get(field).asText()));
  }
}
