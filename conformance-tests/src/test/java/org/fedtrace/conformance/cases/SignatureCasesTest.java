package org.fedtrace.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedtrace.conformance.VectorJson;
import org.junit.jupiter.api.Test;

/**
 * The R8.20 case replays every kind of invalid signature vector: each invalid test of
 * spec/testvectors/batch_signature_v1.json has a flag some replay of {@link SignatureCases#TAMPERS}
 * carries. A new kind of vector fails this test until the case replays it too.
 */
class SignatureCasesTest {
  @Test
  void everyInvalidVectorKindIsReplayed() throws Exception {
    Set<String> replayed =
        SignatureCases.TAMPERS.stream()
            .map(SignatureCases.Tamper::flag)
            .collect(Collectors.toSet());
    List<String> missing = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("batch_signature_v1.json"), "BatchSignatureVerify")) {
      if (t.get("result").getAsString().equals("invalid")) {
        List<String> flags = new ArrayList<>();
        for (JsonElement f : t.getAsJsonArray("flags")) {
          flags.add(f.getAsString());
        }
        if (flags.stream().noneMatch(replayed::contains)) {
          missing.add("tcId " + t.get("tcId") + " " + flags);
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void plusLKeepsTheLowBytesOrderAndAddsTheGroupOrder() {
    byte[] sig = new byte[64];
    sig[32] = 1;
    byte[] out = SignatureCases.plusL(com.google.protobuf.ByteString.copyFrom(sig)).toByteArray();
    java.math.BigInteger s = java.math.BigInteger.ZERO;
    for (int i = 63; i >= 32; i--) {
      s = s.shiftLeft(8).add(java.math.BigInteger.valueOf(out[i] & 0xff));
    }
    assertEquals(SignatureCases.L.add(java.math.BigInteger.ONE), s);
  }
}
