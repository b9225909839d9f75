package org.fedtrace.conformance;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fedtrace.conformance.cases.AuditorCases;
import org.fedtrace.conformance.cases.CheckpointCases;
import org.fedtrace.conformance.cases.DepositCases;
import org.fedtrace.conformance.cases.DomesticMatchingCases;
import org.fedtrace.conformance.cases.ExportCases;
import org.fedtrace.conformance.cases.ExposureCases;
import org.fedtrace.conformance.cases.GetBatchCases;
import org.fedtrace.conformance.cases.IdempotencyCases;
import org.fedtrace.conformance.cases.KeyCases;
import org.fedtrace.conformance.cases.LifecycleCases;
import org.fedtrace.conformance.cases.LogLifecycleCases;
import org.fedtrace.conformance.cases.LogRequestCases;
import org.fedtrace.conformance.cases.NodeInfoCases;
import org.fedtrace.conformance.cases.NoticeCases;
import org.fedtrace.conformance.cases.OriginCases;
import org.fedtrace.conformance.cases.PublicEndpointCases;
import org.fedtrace.conformance.cases.PublishCases;
import org.fedtrace.conformance.cases.PullCases;
import org.fedtrace.conformance.cases.RegionalMemberCases;
import org.fedtrace.conformance.cases.RegionalNodeCases;
import org.fedtrace.conformance.cases.RevocationCases;
import org.fedtrace.conformance.cases.SharingCases;
import org.fedtrace.conformance.cases.SignatureCases;
import org.fedtrace.conformance.cases.StatisticsCases;
import org.fedtrace.conformance.cases.StatusCases;
import org.fedtrace.conformance.cases.SubscribeCases;
import org.fedtrace.conformance.cases.SymptomCases;
import org.fedtrace.conformance.cases.TransparencyCases;
import org.fedtrace.conformance.cases.TransportCases;
import org.fedtrace.conformance.cases.UploadCases;
import org.fedtrace.conformance.cases.WitnessingCases;

/**
 * The conformance catalogue: every case, one or more per testable rule of spec/protocol.md and
 * spec/transparency.md, grouped in one class per part of the spec. spec/conformance.md describes
 * each case; the runners (the in-process test and {@code fedtrace conformance}) run them through
 * {@link CatalogueRunner}.
 */
public final class Catalogue {
  /** The case classes; each has a public constructor taking a {@link Session}. */
  public static final List<Class<?>> CLASSES =
      List.of(
          TransportCases.class,
          RevocationCases.class,
          NodeInfoCases.class,
          KeyCases.class,
          PublishCases.class,
          SignatureCases.class,
          IdempotencyCases.class,
          PullCases.class,
          SubscribeCases.class,
          GetBatchCases.class,
          UploadCases.class,
          OriginCases.class,
          SharingCases.class,
          StatusCases.class,
          LifecycleCases.class,
          TransparencyCases.class,
          WitnessingCases.class,
          AuditorCases.class,
          CheckpointCases.class,
          LogRequestCases.class,
          LogLifecycleCases.class,
          NoticeCases.class,
          DepositCases.class,
          ExposureCases.class,
          DomesticMatchingCases.class,
          SymptomCases.class,
          ExportCases.class,
          PublicEndpointCases.class,
          StatisticsCases.class,
          RegionalMemberCases.class,
          RegionalNodeCases.class);

  private Catalogue() {}

  /** Every case, ordered by rule id, then name. */
  public static List<CaseInfo> cases() {
    List<CaseInfo> out = new ArrayList<>();
    for (Class<?> type : CLASSES) {
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())
            && !Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 0
            && CaseInfo.NAME.matcher(m.getName()).matches()) {
          out.add(CaseInfo.of(m));
        }
      }
    }
    out.sort(
        Comparator.comparingInt(CaseInfo::section)
            .thenComparingInt(CaseInfo::number)
            .thenComparing(CaseInfo::name));
    return out;
  }
}
