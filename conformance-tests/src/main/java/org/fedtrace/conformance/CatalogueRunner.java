package org.fedtrace.conformance;

import io.grpc.StatusRuntimeException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs cases of the catalogue against one target: checks each case's needs (skipping it with the
 * reason when one is unmet), times it, and classifies the outcome. Both runners use it.
 */
public final class CatalogueRunner {
  private final SpecRules spec;

  /** A runner judging levels by the spec shipped with the suite. */
  public CatalogueRunner() {
    this(SpecRules.bundled());
  }

  /** A runner judging levels by {@code spec}. */
  public CatalogueRunner(SpecRules spec) {
    this.spec = spec;
  }

  /** Runs the cases {@code filter} accepts, reporting each result as it is known. */
  public List<Result> run(Session session, Predicate<CaseInfo> filter, Consumer<Result> listener) {
    List<Result> out = new ArrayList<>();
    for (CaseInfo c : Catalogue.cases()) {
      if (filter.test(c)) {
        Result r = run(session, c);
        out.add(r);
        listener.accept(r);
      }
    }
    return out;
  }

  /** Runs one case. */
  public Result run(Session session, CaseInfo c) {
    SpecRules.Level level =
        spec.rule(c.rule()).map(SpecRules.Rule::level).orElse(SpecRules.Level.MUST);
    long start = System.nanoTime();
    Result.Outcome outcome = Result.Outcome.PASSED;
    String detail = "";
    Throwable failure = null;
    try {
      String unmet = unmet(session, c);
      if (unmet != null) {
        throw new Skipped(unmet);
      }
      invoke(session, c);
    } catch (Skipped s) {
      outcome = Result.Outcome.SKIPPED;
      detail = s.getMessage();
    } catch (AssertionError e) {
      outcome = Result.Outcome.FAILED;
      detail = e.getMessage();
      failure = e;
    } catch (StatusRuntimeException e) {
      outcome = Result.Outcome.FAILED;
      detail = "unexpected " + Expect.describe(e.getStatus());
      failure = e;
    } catch (RuntimeException e) {
      outcome = Result.Outcome.FAILED;
      detail = "error: " + e;
      failure = e;
    }
    return new Result(
        c, level, outcome, detail, Duration.ofNanos(System.nanoTime() - start), failure);
  }

  /** Why a need of {@code c} is not met, or null when all are. */
  private static String unmet(Session s, CaseInfo c) {
    boolean pastSunset = s.runsPastSunsetAgreement();
    if (pastSunset != c.needs().contains(Need.PAST_SUNSET)) {
      return pastSunset
          ? "the node runs the kit's past-sunset agreement: only the past-sunset cases run"
          : s.kit().pastSunsetAgreement().isEmpty()
              ? "the test kit has no past-sunset agreement (kits before 0.7.0)"
              : "needs the node on the kit's past-sunset agreement (second pass, §6.3)";
    }
    boolean regional = s.runsRegionalAgreement();
    if (regional != c.needs().contains(Need.REGIONAL_NODE)) {
      return regional
          ? "the node runs the kit's regional agreement: only the regional cases run"
          : s.kit().regionalAgreement().isEmpty() || s.kit().sibling().isEmpty()
              ? "the test kit has no regional agreement and sibling (kits before 0.8.0, or"
                  + " without --node: make a new kit)"
              : "needs the node on the kit's regional agreement (regional pass, §6.4)";
    }
    for (Need n : c.needs()) {
      if (n.feature() != null && !s.hasFeature(n.feature())) {
        return "the node does not list the optional feature '" + n.feature() + "'";
      }
      switch (n) {
        case UPLOAD:
          if (s.kit().backend().isEmpty() || s.kit().healthAuthority().isEmpty()) {
            return "the test kit has no backend credential and health authority (kit --node)";
          }
          break;
        case OPERATOR_MATCHING:
          if (s.kit().backend().isEmpty()) {
            return "the test kit has no backend credential (kit --node)";
          }
          break;
        case AGREEMENT:
          if (s.kit().agreement().isEmpty()) {
            return "the test kit holds no agreement.json";
          }
          break;
        case SHARING_TERMS:
          if (!KitSharing.present(s)) {
            return "the kit's agreement lacks the kit's sharing terms (kit --node, spec 0.8.0)";
          }
          break;
        case REGIONAL_MEMBERS:
          if (s.kit().memberC().isEmpty() || s.kit().memberD().isEmpty()) {
            return "the test kit has no regional members C and D (kits before 0.8.0 regional"
                + " members: make a new kit)";
          }
          break;
        case AUDITOR_CREDENTIAL:
          if (s.kit().auditor().isEmpty()) {
            return "the test kit has no auditor credential (kits before 0.8.0: make a new kit)";
          }
          break;
        case CONTROLLED_NODE:
          if (s.target().controlledNodes().isEmpty()) {
            return "needs a node whose clock and lifecycle the runner controls (in-process only)";
          }
          break;
        case RATE_LIMIT:
          if (s.target().declaredRequestsPerSecond().isEmpty()) {
            return "the node declares no rate limit (remote: --rate-limit)";
          }
          break;
        case EXPORTS:
          if (s.target().exports().isEmpty()) {
            return "the node's key export files were not named (remote: --exports URL|DIR)";
          }
          break;
        case PUBLIC_ENDPOINT:
          if (s.target().publicPort().isEmpty()) {
            return "the node's public endpoint was not given (remote: --public-port)";
          }
          break;
        default:
          break;
      }
    }
    return null;
  }

  private static void invoke(Session session, CaseInfo c) {
    Object instance;
    try {
      instance = c.method().getDeclaringClass().getConstructor(Session.class).newInstance(session);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + c.method().getDeclaringClass(), e);
    }
    try {
      c.method().invoke(instance);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof AssertionError ae) {
        throw ae;
      }
      throw new IllegalStateException(cause.toString(), cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + c.name(), e);
    }
  }
}
