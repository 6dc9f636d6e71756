package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.migrate.KeyOutcome.Outcome;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compose's ${VAR} substitution from the design's common/.env, never from kiban's own environment. */
class InterpolationTest {
    static StackMigration map(String yaml, Map<String, String> vars) {
        List<Problem> problems = new ArrayList<>();
        SpecNode tree = SpecReader.read("compose.yml", yaml, problems);
        assertThat(problems).isEmpty();
        return EcsMapping.map(new StackSource("shop", "compose.yml", tree, Map.of(), vars, List.of("../common/.env")),
                new EcsMapping.Options("us-east-1"));
    }

    @Test
    void everyFormIsSubstitutedAsComposeDoes() {
        StackMigration m = map("""
                services:
                  web:
                    image: "nginx:${TAG}"
                    environment:
                      URL: "https://${DOMAIN}/$$x"
                      A: "${MISSING:-fallback}"
                      B: "${EMPTY:-nonempty}"
                      C: "${EMPTY-kept}"
                      D: "$DOMAIN"
                      E: "${MISSING}"
                """, Map.of("TAG", "1.27", "DOMAIN", "example.org", "EMPTY", ""));
        EcsTask.Container c = m.services().get(0).task().container();
        assertThat(c.image()).isEqualTo("nginx:1.27");
        assertThat(c.environment()).containsEntry("URL", "https://example.org/$x").containsEntry("A", "fallback")
                .containsEntry("B", "nonempty").containsEntry("C", "").containsEntry("D", "example.org")
                .containsEntry("E", "");
        assertThat(m.outcomes()).filteredOn(o -> o.key().equals("environment") && o.note().startsWith("variables"))
                .singleElement().satisfies(o -> {
                    assertThat(o.outcome()).isEqualTo(Outcome.APPROXIMATED);
                    assertThat(o.note()).contains("DOMAIN").contains("from ../common/.env").contains("MISSING")
                            .contains("not set");
                });
    }

    @Test
    void aSecretNamedVariableIsNeverCopiedAndOnlyEnvironmentMayUseIt() {
        Map<String, String> vars = Map.of("DB_PASSWORD", "pw-value-9");
        StackMigration m = map("services:\n  web:\n    image: nginx:1.27\n    environment:\n"
                + "      - DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n", vars);
        EcsTask.Container c = m.services().get(0).task().container();
        assertThat(c.environment()).doesNotContainKey("DATABASE_URL");
        assertThat(c.secrets()).extracting(EcsTask.SecretFrom::variable).containsExactly("DATABASE_URL");
        assertThat(m.toString()).doesNotContain("pw-value-9");
        StackMigration refused = map("services:\n  web:\n    image: nginx:1.27\n"
                + "    command: [run, \"${DB_PASSWORD}\"]\n", vars);
        assertThat(refused.refusals()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("DB_PASSWORD").contains("outside environment");
        });
        assertThat(refused.toString()).doesNotContain("pw-value-9");
    }

    @Test
    void aRequiredVariableThatIsUnsetIsRefused() {
        StackMigration m = map("services:\n  web:\n    image: \"nginx:${TAG:?set TAG}\"\n", Map.of());
        assertThat(m.refusals()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("required variable TAG: set TAG is not set"));
    }
}
