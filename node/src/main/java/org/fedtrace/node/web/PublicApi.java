package org.fedtrace.node.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.node.stats.StatisticsView;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.TransparencyLog;

/**
 * The JSON resources of the public endpoint (spec transparency.md §14.2): the checkpoint, entries
 * in public form, inclusion and consistency proofs, the agreement's terms and the statistics. A
 * request out of range is refused with the rule of the matching gRPC check (R13.17–R13.26).
 * Thread-safe; reads only.
 */
final class PublicApi {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final TransparencyLog log;
  private final Agreement agreement;
  private final OperatorIdentity node;
  private final StatisticsView statistics;
  private final PublicWitnesses witnesses;

  PublicApi(
      TransparencyLog log, Agreement agreement, OperatorIdentity node, StatisticsView statistics) {
    this.log = log;
    this.agreement = agreement;
    this.node = node;
    this.statistics = statistics;
    this.witnesses =
        new PublicWitnesses(
            log, agreement.members().stream().filter(m -> !m.equals(node)).toList());
  }

  /** A refused request: HTTP 400 with a message that starts with the rule's id. */
  static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** The resource at {@code path} with {@code query}, or null when there is none. */
  JsonNode get(String path, Map<String, String> query) throws BadRequest {
    return switch (path) {
      case "/api/v1/checkpoint" -> checkpoint();
      case "/api/v1/entries" -> entries(number(query, "start"), number(query, "end"));
      case "/api/v1/proof/inclusion" -> inclusion(number(query, "index"), number(query, "size"));
      case "/api/v1/proof/consistency" ->
          consistency(number(query, "first"), number(query, "second"));
      case "/api/v1/federation" -> federation();
      case "/api/v1/statistics" -> statistics.json();
      default -> null;
    };
  }

  private ObjectNode checkpoint() {
    Checkpoint c = log.checkpoint();
    VerifyingKey key = signerKey(c);
    ObjectNode out = JSON.objectNode();
    out.put("logOrigin", c.getLogOrigin());
    out.put("treeSize", c.getTreeSize());
    out.put("rootHash", B64.encodeToString(c.getRootHash().toByteArray()));
    out.put("timeUnixMillis", c.getTimeUnixMillis());
    out.put("signedNote", Checkpoints.signedNote(c, key));
    out.put("publicKey", B64.encodeToString(key.raw()));
    out.put("verifierKey", Checkpoints.verifierKey(c.getLogOrigin(), key));
    out.put("signerCertificate", B64.encodeToString(c.getSignerCertificate().toByteArray()));
    out.set("witnesses", witnesses.json(key));
    return out;
  }

  private static VerifyingKey signerKey(Checkpoint c) {
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(c.getSignerCertificate().toByteArray()));
      return VerifyingKey.fromPublicKey(cert.getPublicKey());
    } catch (CertificateException e) {
      throw new IllegalStateException("the node's own signing certificate does not parse", e);
    }
  }

  private ObjectNode entries(long start, long end) throws BadRequest {
    long size = log.checkpointSize();
    if (end <= start) {
      throw new BadRequest("R13.17: end must be greater than start");
    }
    if (end > size) {
      throw new BadRequest("R13.18: end is greater than the tree size " + size);
    }
    ArrayNode list = JSON.arrayNode();
    for (LogEntry e : log.entries(start, end)) {
      list.add(PublicEntries.of(e));
    }
    ObjectNode out = JSON.objectNode();
    out.set("entries", list);
    return out;
  }

  private ObjectNode inclusion(long index, long size) throws BadRequest {
    long signed = log.checkpointSize();
    if (size == 0 || size > signed) {
      throw new BadRequest("R13.21: size must be 1.." + signed);
    }
    if (index >= size) {
      throw new BadRequest("R13.22: index must be less than size");
    }
    ObjectNode out = JSON.objectNode();
    out.put("index", index);
    out.put("size", size);
    out.set("auditPath", hashes(log.inclusionProof(index, size)));
    return out;
  }

  private ObjectNode consistency(long first, long second) throws BadRequest {
    long signed = log.checkpointSize();
    if (first == 0) {
      throw new BadRequest("R13.24: first must not be 0");
    }
    if (first > second) {
      throw new BadRequest("R13.25: first must not be greater than second");
    }
    if (second > signed) {
      throw new BadRequest("R13.26: second is greater than the tree size " + signed);
    }
    ObjectNode out = JSON.objectNode();
    out.put("first", first);
    out.put("second", second);
    out.set("proof", hashes(log.consistencyProof(first, second)));
    return out;
  }

  private ObjectNode federation() {
    ObjectNode out = JSON.objectNode();
    out.put("federation", agreement.federation());
    out.put("agreementVersion", agreement.version());
    out.put("agreementSha256", HexFormat.of().formatHex(agreement.sha256()));
    out.put("retentionDays", agreement.retentionDays());
    out.put("sunsetDate", agreement.sunsetDate().toString());
    out.put("exchangeEnd", agreement.exchangeEnd().toString());
    out.put("node", node.toString());
    out.put("logOrigin", log.origin());
    ArrayNode members = out.putArray("members");
    for (OperatorIdentity m : agreement.members()) {
      members.addObject().put("country", m.country()).put("operatorId", m.operatorId());
    }
    return out;
  }

  private static ArrayNode hashes(List<byte[]> proof) {
    ArrayNode out = JSON.arrayNode();
    proof.forEach(h -> out.add(B64.encodeToString(h)));
    return out;
  }

  private static long number(Map<String, String> query, String name) throws BadRequest {
    String v = query.get(name);
    if (v == null || !v.matches("[0-9]{1,18}")) {
      throw new BadRequest("R16.4: " + name + " must be a whole number below 10^18");
    }
    return Long.parseLong(v);
  }
}
