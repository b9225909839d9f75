package org.fedtrace;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's referee of the node module's layers (node/README.md): each rule reads the compiled
 * production classes of this module ({@code target/classes}), so an import that breaks a layer
 * fails {@code ./mvnw verify} with the offending class and dependency.
 */
class LayeringTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter().importPath(Path.of("target", "classes"));
  }

  @Test
  void theTransparencyLogIsALibraryThatKnowsNeitherTheNodeNorTheStore() {
    noClasses()
        .that()
        .resideInAPackage("org.fedtrace.tlog..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.fedtrace.node..", "org.fedtrace.store..", "org.fedtrace.audit..")
        .check(production);
  }

  @Test
  void theStoreNeverImportsTheNode() {
    noClasses()
        .that()
        .resideInAPackage("org.fedtrace.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.fedtrace.node..", "org.fedtrace.audit..")
        .check(production);
  }

  @Test
  void theLibrariesImportNeitherTheStoreNorTheNode() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.fedtrace.crypto..",
            "org.fedtrace.batch..",
            "org.fedtrace.matching..",
            "org.fedtrace.rules..",
            "org.fedtrace.stats..",
            "org.fedtrace.pki..",
            "org.fedtrace.transport..",
            "org.fedtrace.upload..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.fedtrace.store..", "org.fedtrace.node..", "org.fedtrace.audit..")
        .check(production);
  }

  @Test
  void theExporterReadsTheStoreButNeverImportsTheNode() {
    noClasses()
        .that()
        .resideInAPackage("org.fedtrace.export..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.fedtrace.node..", "org.fedtrace.audit..")
        .check(production);
  }

  @Test
  void onlyTheStoreTouchesSql() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.fedtrace.store.sql..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..", "javax.sql..", "org.sqlite..", "org.postgresql..", "com.zaxxer.hikari..")
        .check(production);
  }

  @Test
  void onlyTheTransportReadsTheTlsSession() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.fedtrace.transport..", "org.fedtrace.pki..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("javax.net.ssl.SSLSession")
        .check(production);
  }

  @Test
  void theNodesWingsNeverImportWhatIsAboveThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.fedtrace..")
        .layer("Wiring")
        .definedBy("org.fedtrace.node")
        .layer("Rpc")
        .definedBy("org.fedtrace.node.rpc..")
        .layer("Web")
        .definedBy("org.fedtrace.node.web..")
        .layer("Operator")
        .definedBy("org.fedtrace.node.operator..")
        .layer("Stats")
        .definedBy("org.fedtrace.node.stats..")
        .layer("Exchange")
        .definedBy("org.fedtrace.node.exchange..")
        .layer("Base")
        .definedBy(
            "org.fedtrace.node.config..",
            "org.fedtrace.node.lifecycle..",
            "org.fedtrace.node.metrics..",
            "org.fedtrace.node.wire..")
        .whereLayer("Wiring")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Rpc")
        .mayOnlyBeAccessedByLayers("Wiring")
        .whereLayer("Web")
        .mayOnlyBeAccessedByLayers("Wiring")
        .whereLayer("Operator")
        .mayOnlyBeAccessedByLayers("Wiring", "Rpc")
        .whereLayer("Stats")
        .mayOnlyBeAccessedByLayers("Wiring", "Rpc", "Web")
        .whereLayer("Exchange")
        .mayOnlyBeAccessedByLayers("Wiring", "Rpc", "Operator", "Stats")
        .whereLayer("Base")
        .mayOnlyBeAccessedByLayers("Wiring", "Rpc", "Web", "Operator", "Exchange", "Stats")
        .check(production);
  }

  @Test
  void noPackagesImportEachOtherInACircle() {
    slices().matching("org.fedtrace.(**)").should().beFreeOfCycles().check(production);
  }

  @Test
  void noConstructorTakesMoreThanSevenParameters() {
    constructors()
        .that()
        .areDeclaredInClassesThat(declaredByHand())
        .should(takeAtMost(7))
        .check(production);
  }

  /** Classes whose constructors list only what their author wrote (no captured variables). */
  private static DescribedPredicate<JavaClass> declaredByHand() {
    return DescribedPredicate.describe(
        "are written out (not anonymous, local, inner or enum)",
        c -> !c.isAnonymousClass() && !c.isLocalClass() && !c.isInnerClass() && !c.isEnum());
  }

  private static ArchCondition<JavaConstructor> takeAtMost(int n) {
    return new ArchCondition<>("take at most " + n + " parameters") {
      @Override
      public void check(JavaConstructor c, ConditionEvents events) {
        int count = c.getRawParameterTypes().size();
        if (count > n) {
          events.add(
              SimpleConditionEvent.violated(
                  c, c.getFullName() + " takes " + count + " parameters, more than " + n));
        }
      }
    };
  }
}
