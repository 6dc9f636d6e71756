package dev.kiban;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kiban's layers, enforced: failure ← spec ← os ← engine ← capabilities ← verify ← dashboard ← cli. A class may use
 * its own layer and the ones below; capabilities never use one another; nothing below the cli uses it.
 * ARCHITECTURE.md explains the layers: change both together. The rules take the root package, so the
 * second half of this test can show them failing on a small tree built to break them.
 */
class ArchitectureTest {
    /** The capability packages: each stands on the layers below and none on another. */
    static final List<String> CAPABILITIES = List.of("host", "swarm", "stack", "backup", "monitor", "status",
            "audit", "migrate", "docs");

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("failure").definedBy(root + ".failure..")
                .layer("spec").definedBy(root + ".spec..")
                .layer("os").definedBy(root + ".os..")
                .layer("engine").definedBy(root + ".engine..")
                .layer("capabilities").definedBy(CAPABILITIES.stream().map(c -> root + "." + c + "..")
                        .toArray(String[]::new))
                .layer("verify").definedBy(root + ".verify..", root + ".recovery..") // recovery: restore-all
                .layer("dashboard").definedBy(root + ".dashboard..")
                .layer("cli").definedBy(root + ".cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("dashboard").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("verify").mayOnlyBeAccessedByLayers("dashboard", "cli")
                .whereLayer("capabilities").mayOnlyBeAccessedByLayers("verify", "dashboard", "cli")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("capabilities", "verify", "dashboard", "cli")
                .whereLayer("os").mayOnlyBeAccessedByLayers("engine", "capabilities", "verify", "dashboard", "cli")
                .whereLayer("spec")
                .mayOnlyBeAccessedByLayers("os", "engine", "capabilities", "verify", "dashboard", "cli")
                .whereLayer("failure")
                .mayOnlyBeAccessedByLayers("spec", "os", "engine", "capabilities", "verify", "dashboard", "cli");
    }

    static ArchRule capabilitiesApart(String root) {
        List<ArchRule> rules = new ArrayList<>();
        for (String c : CAPABILITIES) {
            String[] others = CAPABILITIES.stream().filter(o -> !o.equals(c)).map(o -> root + "." + o + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(root + "." + c + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others).allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules);
    }

    static JavaClasses classes(String root, ImportOption option) {
        return new ClassFileImporter().withImportOption(option).importPackages(root);
    }

    @Test
    void everyDependencyPointsDownTheLayers() {
        layers("dev.kiban").check(classes("dev.kiban", new ImportOption.DoNotIncludeTests()));
    }

    @Test
    void capabilitiesDoNotUseOneAnother() {
        capabilitiesApart("dev.kiban").check(classes("dev.kiban", new ImportOption.DoNotIncludeTests()));
    }

    /** The rules themselves: a tree with one forbidden edge of each kind fails them, naming each edge. */
    @Test
    void theRulesCatchEachKindOfForbiddenEdge() {
        String root = "dev.kiban.archfixture";
        JavaClasses broken = classes(root, location -> true);
        var layerReport = layers(root).evaluate(broken).getFailureReport().getDetails();
        assertThat(String.join("\n", layerReport))
                .contains("archfixture.spec.SpecUsingCli", "archfixture.cli.Cli")
                .contains("archfixture.engine.EngineUsingBackup", "archfixture.backup.Backup")
                .doesNotContain("archfixture.cli.CliUsingEverything");
        var apartReport = capabilitiesApart(root).evaluate(broken).getFailureReport().getDetails();
        assertThat(String.join("\n", apartReport)).contains("archfixture.backup.BackupUsingMonitor");
        assertThat(Arrays.asList(apartReport.toArray())).noneMatch(l -> l.toString().contains("CliUsingEverything"));
    }
}
