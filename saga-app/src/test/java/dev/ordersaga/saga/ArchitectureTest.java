package dev.ordersaga.saga;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The saga engine's rooms, as the application assembles them (saga-engine, saga-ops and
 * saga-analytics on one class path): no package depends on itself through others, and only the
 * engine's own packages know Axon; operators and analysts read the journal's and the status board's
 * own records.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.ordersaga.saga");

  @Test
  void packagesFormNoCycles() {
    slices().matching("dev.ordersaga.saga.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  /**
   * The saga's own package (OrderSaga, its states, steps and ports) stands under all the others.
   */
  @Test
  void theSagaDependsOnNoneOfItsSubPackages() {
    noClasses()
        .that()
        .resideInAPackage("dev.ordersaga.saga")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ordersaga.saga.*..")
        .check(MAIN);
  }

  @Test
  void operatorsAndAnalystsDoNotKnowAxon() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.ordersaga.saga.ops..",
            "dev.ordersaga.saga.console..",
            "dev.ordersaga.saga.analytics..",
            "dev.ordersaga.saga.api..",
            "dev.ordersaga.saga.view..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.axonframework..")
        .check(MAIN);
  }

  @Test
  void theEngineDoesNotKnowItsProducts() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.ordersaga.saga.ops..",
            "dev.ordersaga.saga.console..",
            "dev.ordersaga.saga.analytics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ordersaga.saga.ops..",
            "dev.ordersaga.saga.console..",
            "dev.ordersaga.saga.analytics..")
        .check(MAIN);
  }
}
