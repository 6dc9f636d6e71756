package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's {@code migrate} key: where kiban migrate ecs writes for, and the size of a service without limits. */
class MigrateSpecTest {
    static List<String> errors(String migrate) {
        return SpecValidationTest.errors(SpecValidationTest.FILLED + migrate);
    }

    @Test
    void theDefaultIsTokyoTheKibanClusterAndTheSmallestFargateSize() {
        PlatformSpec s = SpecDocument.builtin().require();
        assertThat(s.migrate().region()).isEqualTo("ap-northeast-1");
        assertThat(s.migrate().cluster()).isEqualTo("kiban");
        assertThat(s.migrate().defaults().cpus()).isEqualTo(0.25);
        assertThat(s.migrate().defaults().memory()).isEqualTo(ByteSize.parse("512M"));
    }

    @Test
    void aPartialSectionKeepsTheRest() {
        assertThat(errors("migrate: {region: us-east-1, defaults: {memory: 1G}}\n")).isEmpty();
    }

    @Test
    void eachValueOutOfShapeIsAnErrorAtItsKey() {
        assertThat(errors("migrate: {region: tokyo}\n")).singleElement().asString().contains("migrate.region");
        assertThat(errors("migrate: {cluster: \"a b\"}\n")).singleElement().asString().contains("migrate.cluster");
        assertThat(errors("migrate: {defaults: {cpus: 32}}\n")).singleElement().asString()
                .contains("migrate.defaults.cpus");
        assertThat(errors("migrate: {defaults: {memory: 1T}}\n")).singleElement().asString()
                .contains("migrate.defaults.memory");
    }
}
