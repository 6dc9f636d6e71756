package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, item 2: which running containers look like a database copied live, and what the warning says. */
class DatabaseContainersTest {
    @Test
    void knownImagesAreDatabasesWhateverTheRegistryTagOrDigest() {
        for (String image : List.of("postgres", "postgres:16-alpine", "docker.io/library/postgres:16",
                "registry.example.org:5000/mirror/postgres@sha256:abcd", "MySQL:8", "mariadb:11", "mongo:7",
                "bitnami/redis:7.2", "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
                "opensearchproject/opensearch:2", "influxdb:2", "couchdb", "cassandra:5",
                "clickhouse/clickhouse-server:24")) {
            assertThat(DatabaseContainers.classify("c", image, Set.of())).as(image).isPresent();
        }
        for (String image : List.of("nginx:1.27", "postgres-exporter", "library/redisinsight",
                "registry:5000/postgres-backup:1", "traefik")) {
            assertThat(DatabaseContainers.classify("c", image, Set.of())).as(image).isEmpty();
        }
        assertThat(DatabaseContainers.repository("registry:5000/a/b/postgres:16@sha256:ff")).isEqualTo("postgres");
    }

    @Test
    void aDatabasesDataDirectoryMakesAnyImageOne() {
        assertThat(DatabaseContainers.classify("app", "example/app:1", Set.of("PG_VERSION", "base/")).orElseThrow()
                .reason()).isEqualTo("a PostgreSQL data directory: PG_VERSION");
        assertThat(DatabaseContainers.classify("a", "x", Set.of("ibdata1")).orElseThrow().kind()).isEqualTo("mysql");
        assertThat(DatabaseContainers.classify("a", "x", Set.of("WiredTiger")).orElseThrow().kind()).isEqualTo("mongo");
        assertThat(DatabaseContainers.classify("a", "x", Set.of("dump.rdb")).orElseThrow().kind()).isEqualTo("redis");
        assertThat(DatabaseContainers.classify("a", "x", Set.of("appendonly.aof"))).isPresent();
        // a mysql/ directory alone is common; beside performance_schema/ it is MySQL's
        assertThat(DatabaseContainers.classify("a", "x", Set.of("mysql/"))).isEmpty();
        assertThat(DatabaseContainers.classify("a", "x", Set.of("mysql/", "performance_schema/")).orElseThrow()
                .kind()).isEqualTo("mysql");
        assertThat(DatabaseContainers.classify("a", "x", Set.of("html/", "index.php", "PG_VERSION.txt"))).isEmpty();
    }

    @Test
    void theWarningNamesTheContainerAndTheLabelToAdd() {
        String w = DatabaseContainers.classify("shop-db-1", "postgres:16", Set.of()).orElseThrow().warning();
        assertThat(w).startsWith("shop-db-1 looks like a database (image postgres:16)")
                .contains("kiban.backup.stop=true", "kiban.backup.pre='pg_dumpall -U postgres",
                        "kiban.backup.stop=false");
    }

    @Test
    void aLabelledOrStoppedContainerIsNotNamed(@TempDir Path root) {
        var plain = new ContainerSummary("1", "db", "postgres:16", "running", "Up", Map.of());
        var stop = new ContainerSummary("2", "db2", "postgres:16", "running", "Up",
                Map.of("kiban.backup.stop", "true"));
        var pre = new ContainerSummary("3", "db3", "mysql", "running", "Up", Map.of("kiban.backup.pre", "mysqldump"));
        var live = new ContainerSummary("4", "cache", "redis", "running", "Up", Map.of("kiban.backup.stop", "false"));
        var blankPre = new ContainerSummary("5", "db5", "mongo", "running", "Up", Map.of("kiban.backup.pre", " "));
        var exited = new ContainerSummary("6", "old", "postgres", "exited", "Exited", Map.of());
        assertThat(DatabaseContainers.unquiesced(List.of(plain, stop, pre, live, blankPre, exited), root, List.of()))
                .extracting(DatabaseContainers.Finding::container).containsExactly("db", "db5");
    }

    @Test
    void theFilesOfMountsInAManagedTreeAreReadWithNoLinkFollowed(@TempDir Path root) throws Exception {
        Path pg = Files.createDirectories(root.resolve("data/docker/volumes/app/pgdata"));
        Files.writeString(pg.resolve("PG_VERSION"), "16\n");
        Path outside = Files.createDirectories(root.resolve("srv/db"));
        Files.writeString(outside.resolve("ibdata1"), "");
        Path linked = Files.createDirectories(root.resolve("data/docker/volumes/linked"));
        Files.createSymbolicLink(linked.resolve("data"), outside);
        Files.createSymbolicLink(root.resolve("data/docker/volumes/whole"), outside);
        var trees = List.of("/data/docker/volumes", "/var/lib/docker/volumes");
        ContainerSummary app = withMount("app", "/data/docker/volumes/app");
        ContainerSummary other = withMount("other", "/srv/db");
        ContainerSummary viaLink = withMount("via-link", "/data/docker/volumes/linked");
        ContainerSummary whole = withMount("whole", "/data/docker/volumes/whole");
        ContainerSummary sneaky = withMount("sneaky", "/data/docker/volumes/../../../srv/db");
        assertThat(DatabaseContainers.unquiesced(List.of(app, other, viaLink, whole, sneaky), root, trees))
                .extracting(DatabaseContainers.Finding::container).containsExactly("app");
        assertThat(DatabaseContainers.names(root, "/data/docker/volumes/linked", trees)).containsExactly("data");
    }

    static ContainerSummary withMount(String name, String source) {
        return new ContainerSummary(name + "-id", name, "example/app:1", "running", "Up", Map.of(),
                List.of(new ContainerSummary.Mount("bind", "", source, "/var/lib/data")));
    }
}
