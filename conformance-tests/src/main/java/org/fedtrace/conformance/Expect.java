package org.fedtrace.conformance;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The suite's assertions. A refusal is checked the way §20 defines it: the rule's status code
 * (R20.1), the status message starting with the rule id (R20.2), and for INVALID_ARGUMENT a
 * google.rpc.BadRequest (R20.3) whose descriptions start with a rule id and fit 80 characters
 * (R20.5).
 */
public final class Expect {
  private static final Pattern RULE_PREFIX = Pattern.compile("^R\\d+\\.\\d+: .*", Pattern.DOTALL);

  private Expect() {}

  /** A call to the node. */
  @FunctionalInterface
  public interface Call {
    /** Makes the call; returns its response. */
    Object run() throws Exception;
  }

  /**
   * A refusal the node answered.
   *
   * @param trailers the response trailers (status details), possibly null
   * @param violations the BadRequest field violations, empty when there are none
   */
  public record Refusal(
      Status status, Metadata trailers, List<BadRequest.FieldViolation> violations) {
    /** The status message, never null. */
    public String message() {
      return Objects.toString(status.getDescription(), "");
    }

    /**
     * Asserts a field violation of {@code field} whose description starts with {@code rule}.
     *
     * @return this
     */
    public Refusal hasField(String field, String rule) {
      for (BadRequest.FieldViolation v : violations) {
        if (v.getField().equals(field) && v.getDescription().startsWith(rule + ": ")) {
          return this;
        }
      }
      throw new AssertionError(
          "expected a field violation of '"
              + field
              + "' by "
              + rule
              + "; the node named "
              + describeViolations(violations));
    }

    /** The field paths of the violations, in the node's order. */
    public List<String> fields() {
      return violations.stream().map(BadRequest.FieldViolation::getField).toList();
    }
  }

  /**
   * Asserts that {@code call} is refused by {@code rule} with {@code code}, as §20 requires.
   *
   * @return the refusal, for checks of its details
   */
  public static Refusal refused(Status.Code code, String rule, Call call) {
    Refusal r = failure(call, code + " (" + rule + ")");
    codeIs(code, rule, r);
    if (!r.message().startsWith(rule + ": ")) {
      throw new AssertionError(
          "R20.2: the status message must start with '" + rule + ": ', got '" + r.message() + "'");
    }
    if (code == Status.Code.INVALID_ARGUMENT) {
      badRequest(r);
      boolean named =
          r.violations().stream().anyMatch(v -> v.getDescription().startsWith(rule + ": "));
      if (!named) {
        throw new AssertionError(
            "no field violation names " + rule + ": " + describeViolations(r.violations()));
      }
    }
    return r;
  }

  /**
   * Asserts that {@code call} is refused with {@code code} for several violations at once: the
   * status message starts with one of {@code rules}, and for INVALID_ARGUMENT the details follow
   * R20.3 and R20.5.
   */
  public static Refusal refusedByAny(Status.Code code, List<String> rules, Call call) {
    Refusal r = failure(call, code + " " + rules);
    codeIs(code, rules.toString(), r);
    if (rules.stream().noneMatch(rule -> r.message().startsWith(rule + ": "))) {
      throw new AssertionError(
          "R20.2: the status message must start with one of "
              + rules
              + ", got '"
              + r.message()
              + "'");
    }
    if (code == Status.Code.INVALID_ARGUMENT) {
      badRequest(r);
    }
    return r;
  }

  /**
   * Asserts that {@code call} fails with {@code code}, without checking the message: for refusals a
   * gRPC library may make before the node's code runs (R20.2's exception for R6.13).
   */
  public static Refusal failsWith(Status.Code code, String rule, Call call) {
    Refusal r = failure(call, code + " (" + rule + ")");
    codeIs(code, rule, r);
    return r;
  }

  /**
   * Asserts that the TLS handshake failed (the client sees UNAVAILABLE before any response) or,
   * where the spec allows refusing after the handshake, that the call was refused by {@code rule}
   * with {@code code} (R6.3, R6.7).
   */
  public static void handshakeRefused(Status.Code code, String rule, Call call) {
    Refusal r = failure(call, "a handshake failure" + (code == null ? "" : " or " + code));
    if (r.status().getCode() == Status.Code.UNAVAILABLE) {
      return;
    }
    if (code == null) {
      throw new AssertionError(
          rule + ": expected the handshake to fail (UNAVAILABLE), got " + describe(r.status()));
    }
    refused(
        code,
        rule,
        () -> {
          throw r.status().asRuntimeException();
        });
  }

  /** Asserts that {@code call} succeeds, naming the rule whose positive case it is. */
  @SuppressWarnings("unchecked")
  public static <T> T succeeds(String what, Call call) {
    try {
      return (T) call.run();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          what + ": expected OK, got " + describe(e.getStatus()) + details(e), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(what + ": " + e.getMessage(), e);
    }
  }

  /** Asserts {@code condition}. */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /** Asserts that two values are equal. */
  public static void equal(Object expected, Object actual, String what) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError(what + ": expected " + expected + ", got " + actual);
    }
  }

  /** Asserts that a refusal carries a google.rpc.BadRequest whose descriptions follow R20.5. */
  public static void badRequest(Refusal r) {
    if (r.violations().isEmpty()) {
      throw new AssertionError(
          "R20.3: INVALID_ARGUMENT without a google.rpc.BadRequest detail ('" + r.message() + "')");
    }
    for (BadRequest.FieldViolation v : r.violations()) {
      if (!RULE_PREFIX.matcher(v.getDescription()).matches()) {
        throw new AssertionError(
            "R20.5: a description must start with a rule id: '" + v.getDescription() + "'");
      }
      if (v.getDescription().length() > 80) {
        throw new AssertionError(
            "R20.5: a description must fit 80 characters: '" + v.getDescription() + "'");
      }
    }
  }

  private static void codeIs(Status.Code code, String rule, Refusal r) {
    if (r.status().getCode() != code) {
      throw new AssertionError(
          rule
              + ": expected "
              + code
              + ", got "
              + describe(r.status())
              + describeViolations(r.violations()));
    }
  }

  private static Refusal failure(Call call, String expected) {
    Object response;
    try {
      response = call.run();
    } catch (StatusRuntimeException e) {
      return new Refusal(e.getStatus(), e.getTrailers(), violations(e));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the call could not be made: " + e.getMessage(), e);
    }
    throw new AssertionError(
        "expected " + expected + ", got OK: " + shorten(String.valueOf(response)));
  }

  /** The BadRequest field violations of a failed call. */
  public static List<BadRequest.FieldViolation> violations(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    List<BadRequest.FieldViolation> out = new ArrayList<>();
    if (status == null) {
      return out;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          out.addAll(detail.unpack(BadRequest.class).getFieldViolationsList());
        } catch (InvalidProtocolBufferException e2) {
          throw new AssertionError("R20.3: an unreadable BadRequest detail", e2);
        }
      }
    }
    return out;
  }

  /** A status as "CODE: message". */
  public static String describe(Status s) {
    String cause = s.getCause() == null ? "" : " (" + s.getCause() + ")";
    return s.getCode() + ": " + s.getDescription() + cause;
  }

  private static String details(StatusRuntimeException e) {
    List<BadRequest.FieldViolation> v = violations(e);
    return v.isEmpty() ? "" : " " + describeViolations(v);
  }

  private static String describeViolations(List<BadRequest.FieldViolation> violations) {
    if (violations.isEmpty()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    for (BadRequest.FieldViolation v : violations) {
      out.add(v.getField() + " (" + v.getDescription() + ")");
    }
    return " " + out;
  }

  private static String shorten(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 200 ? one : one.substring(0, 200) + "...";
  }
}
