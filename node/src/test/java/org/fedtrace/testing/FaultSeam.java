package org.fedtrace.testing;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.SignatureException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.node.NodeSeam;
import org.fedtrace.node.exchange.Admission;
import org.fedtrace.node.exchange.BatchAdmission;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.Transaction;
import org.fedtrace.transport.Caller;

/**
 * A {@link NodeSeam} that gives a node deliberate defects ({@link Fault}), each by replacing one
 * part as the node is assembled: the admission of batches, the store's insert, the rules'
 * retention, the sunset date, the identity of callers without a certificate. The TLS side of {@link
 * Fault#ACCEPT_NO_CLIENT_CERTIFICATE} is the test's server builder ({@link TestFederation}).
 */
public final class FaultSeam implements NodeSeam {
  /** Days of retention a node that ignores retention enforces: a century. */
  private static final int CENTURY = 36_525;

  private final Set<Fault> faults;
  private final OperatorIdentity anonymousAs;
  private final CertificateValidator validator;
  private final Clock clock;

  /**
   * @param anonymousAs whom a caller without a certificate is taken for
   * @param validator the federation's, to check a signature when the origin check is skipped
   */
  public FaultSeam(
      Set<Fault> faults,
      OperatorIdentity anonymousAs,
      CertificateValidator validator,
      Clock clock) {
    this.faults = Set.copyOf(faults);
    this.anonymousAs = anonymousAs;
    this.validator = validator;
    this.clock = clock;
  }

  @Override
  public Store store(Store opened) {
    boolean replay = faults.contains(Fault.ACCEPT_REPLAY);
    boolean duplicate = faults.contains(Fault.STORE_DUPLICATE);
    Store built = replay || duplicate ? new Forgetful(opened, replay, duplicate) : opened;
    return faults.contains(Fault.LEAK_DOMESTIC_KEYS) ? new DomesticLeak(built) : built;
  }

  @Override
  public Admission admission(Admission built) {
    return (batch, payload, from) -> {
      try {
        return built.admit(batch, payload, from);
      } catch (RuleViolation v) {
        if (v.rule() == Rule.SIGNATURE_INVALID && faults.contains(Fault.ACCEPT_BAD_SIGNATURE)) {
          return admitted(batch, payload, from);
        }
        if (v.rule() == Rule.ORIGIN_IS_NOT_SIGNER_COUNTRY
            && faults.contains(Fault.SKIP_ORIGIN_CHECK)) {
          verifySignature(batch);
          return admitted(batch, payload, from);
        }
        throw v;
      }
    };
  }

  @Override
  public BatchRules rules(BatchRules built) {
    return faults.contains(Fault.IGNORE_RETENTION)
        ? new BatchRules(CENTURY, built.maxKeysPerBatch())
        : built;
  }

  @Override
  public LocalDate sunsetDate(LocalDate agreed) {
    return faults.contains(Fault.IGNORE_SUNSET) ? LocalDate.MAX : agreed;
  }

  @Override
  public ServerInterceptor identity(ServerInterceptor built) {
    return faults.contains(Fault.ACCEPT_NO_CLIENT_CERTIFICATE) ? new Anonymous(built) : built;
  }

  private NewBatch admitted(DiagnosisKeyBatch batch, byte[] payload, OperatorIdentity from) {
    return BatchAdmission.record(
        batch, payload, from, clock.instant(), CanonicalEncoding.batch(batch));
  }

  private void verifySignature(DiagnosisKeyBatch batch) {
    try {
      validator
          .validateBatchSigner(batch.getSignerCertificate().toByteArray(), clock.instant())
          .key()
          .verify(CanonicalEncoding.batch(batch), batch.getSignature().toByteArray());
    } catch (SignatureException | org.fedtrace.pki.CertificateRejectedException e) {
      throw RuleViolation.field(
          Rule.SIGNATURE_INVALID, "batch.signature", "does not verify under the signer's key");
    }
  }

  /**
   * A store that does not recognize what it holds: a reused sequence number, or an identical retry,
   * is stored again under a record its uniqueness constraints do not catch.
   */
  private static final class Forgetful extends ForwardingStore {
    private final boolean replay;
    private final boolean duplicate;

    Forgetful(Store store, boolean replay, boolean duplicate) {
      super(store);
      this.replay = replay;
      this.duplicate = duplicate;
    }

    @Override
    public Batches.Insert insertBatch(
        NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
      Batches.Insert outcome;
      try {
        outcome = store.insertBatch(batch, cursor, whenStored);
      } catch (RuleViolation v) {
        if (replay && v.rule() == Rule.SEQUENCE_CONFLICT) {
          return store.insertBatch(disguised(batch, false), cursor, whenStored);
        }
        throw v;
      }
      if (duplicate && outcome == Batches.Insert.DUPLICATE) {
        return store.insertBatch(disguised(batch, true), cursor, whenStored);
      }
      return outcome;
    }

    /** The same batch under another sequence number, and with {@code newId} another id. */
    private static NewBatch disguised(NewBatch b, boolean newId) {
      byte[] id = b.batchId();
      if (newId) {
        id[0] ^= (byte) 0xff;
      }
      DiagnosisKeyBatch changed =
          b.batch().toBuilder()
              .setBatchId(ByteString.copyFrom(id))
              .setSequence(b.sequence() ^ (1L << 62))
              .build();
      return new NewBatch(
          changed, b.payload(), b.contentSha256(), b.receivedFrom(), b.receivedUnixSeconds());
    }
  }

  /** Takes a caller without a certificate for {@code anonymousAs}; checks the others as built. */
  private final class Anonymous implements ServerInterceptor {
    private final ServerInterceptor built;

    Anonymous(ServerInterceptor built) {
      this.built = built;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        if (session != null) {
          session.getPeerCertificates();
        }
        return built.interceptCall(call, headers, next);
      } catch (SSLPeerUnverifiedException e) {
        return Contexts.interceptCall(
            Context.current().withValue(Caller.KEY, anonymousAs), call, headers, next);
      }
    }
  }
}
