package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The mapping table (issue 15's closing note): what each compose key kiban knows becomes on ECS, mapped,
 * approximated or unsupported, from a compose file that uses them all (every-key/docker-compose.yml), as
 * the golden src/test/resources/migrate/MAPPING.md. Regenerate with -Dkiban.golden.update=true and review the diff.
 */
class MappingTableTest {
    static final Path COMPOSE = Path.of("src/test/resources/migrate/every-key/docker-compose.yml");
    static final Path GOLDEN = Path.of("src/test/resources/migrate/MAPPING.md");

    static String table() throws Exception {
        List<Problem> problems = new ArrayList<>();
        String yaml = Files.readString(COMPOSE, StandardCharsets.UTF_8);
        StackMigration m = EcsMapping.map(new StackSource("shop", "docker-compose.yml",
                SpecReader.read("docker-compose.yml", yaml, problems),
                Map.of("./missing.env", new StackSource.EnvFile.Refused("no such file"))),
                new EcsMapping.Options("us-east-1"));
        assertThat(problems).isEmpty();
        assertThat(m.refusals()).isEmpty();
        Map<String, KeyOutcome> byKey = new TreeMap<>();
        for (KeyOutcome k : m.outcomes()) {
            // db is there for deploy.mode: global alone
            if (k.service().equals("db") && !k.key().equals("deploy.mode")) continue;
            String key = (k.service().isEmpty() ? "" : "services.*.") + k.key()
                    + (k.service().equals("db") ? ": global" : "");
            byKey.putIfAbsent(key.replaceFirst("^(networks|volumes|secrets|configs)\\.[^.]+$", "$1.*"), k);
        }
        StringBuilder md = new StringBuilder("# kiban migrate ecs: the mapping table\n\n");
        md.append("What each compose key becomes on ECS and in Terraform, from `every-key/docker-compose.yml`")
                .append(" (its names appear in the notes). Refusals (bind mounts, `build:` without `image:`,")
                .append(" `privileged`, host network or PID, `devices`, published ≠ target port, undeclared")
                .append(" secrets and volumes, sizes beyond Fargate) are listed in the README.\n\n");
        md.append("| compose key | outcome | on ECS |\n|---|---|---|\n");
        byKey.forEach((key, k) -> md.append("| `").append(key).append("` | ")
                .append(k.outcome().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                .append(k.note().replace("|", "\\|").replace("\n", " ")).append(" |\n"));
        return md.toString();
    }

    @Test
    void theMappingTableIsTheGoldenOne() throws Exception {
        String table = table();
        if (Boolean.getBoolean("kiban.golden.update")) Files.writeString(GOLDEN, table, StandardCharsets.UTF_8);
        assertThat(table).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(table).contains("`services.*.ports`", "`services.*.deploy.update_config`",
                "`services.*.cpu_shares` | unsupported");
    }
}
