package org.fedtrace.node.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.TransparencyLog;

/**
 * The {@code witnesses} member of the public checkpoint (spec transparency.md §15.5, R17.15): the
 * federation's other members, the quorum the page requires, and the checkpoints the log holds
 * cosigned, each as a C2SP signed note with one cosignature line per witness and each witness's
 * key. Reads only: it never moves the log's candidate on.
 */
final class PublicWitnesses {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final TransparencyLog log;
  private final List<OperatorIdentity> witnesses;

  PublicWitnesses(TransparencyLog log, List<OperatorIdentity> witnesses) {
    this.log = log;
    this.witnesses = List.copyOf(witnesses);
  }

  /** A majority of the witnesses, 0 when there are none. */
  static int quorum(int witnesses) {
    return witnesses == 0 ? 0 : witnesses / 2 + 1;
  }

  ObjectNode json(VerifyingKey logKey) {
    ObjectNode out = JSON.objectNode();
    out.put("quorum", quorum(witnesses.size()));
    ArrayNode members = out.putArray("members");
    witnesses.forEach(w -> members.add(w.toString()));
    ArrayNode cosigned = out.putArray("cosigned");
    for (CosignedCheckpoint cc : log.cosigned().held()) {
      ObjectNode one = cosigned.addObject();
      one.put("treeSize", cc.getCheckpoint().getTreeSize());
      List<VerifyingKey> keys = new ArrayList<>();
      ArrayNode list = one.putArray("cosignatures");
      for (Cosignature c : cc.getCosignaturesList()) {
        VerifyingKey key = key(c.getWitnessCertificate().toByteArray());
        keys.add(key);
        String name = Cosignatures.NAME_PREFIX + c.getWitness();
        list.addObject()
            .put("witness", c.getWitness())
            .put("timeUnixSeconds", c.getTimeUnixSeconds())
            .put("signature", B64.encodeToString(c.getSignature().toByteArray()))
            .put("publicKey", B64.encodeToString(key.raw()))
            .put("verifierKey", Cosignatures.verifierKey(name, key));
      }
      one.put("signedNote", Cosignatures.signedNote(cc, logKey, keys));
    }
    return out;
  }

  private static VerifyingKey key(byte[] der) {
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      return VerifyingKey.fromPublicKey(cert.getPublicKey());
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored witness certificate does not parse", e);
    }
  }
}
