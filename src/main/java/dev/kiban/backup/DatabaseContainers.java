package dev.kiban.backup;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Consistency by default (issue 16, item 2): the running containers that look like a database, by their image or by a
 * database's files in what they mount, and that have neither {@code kiban.backup.stop} nor {@code kiban.backup.pre}:
 * their volumes would be copied while the database writes them. {@link #classify} is pure; {@link #unquiesced} looks
 * at the files of the mounts under the volume trees kiban manages, no link followed.
 */
public final class DatabaseContainers {
    private DatabaseContainers() {}

    /** Image repositories (the last path part, any registry, tag or digest) of databases, and their kind. */
    private static final Map<String, String> IMAGES = Map.ofEntries(
            Map.entry("postgres", "postgres"), Map.entry("postgis", "postgres"), Map.entry("timescaledb", "postgres"),
            Map.entry("timescaledb-ha", "postgres"), Map.entry("pgvector", "postgres"),
            Map.entry("postgresql", "postgres"), Map.entry("mysql", "mysql"), Map.entry("mysql-server", "mysql"),
            Map.entry("percona-server", "mysql"), Map.entry("mariadb", "mariadb"), Map.entry("mongo", "mongo"),
            Map.entry("mongodb", "mongo"), Map.entry("mongodb-community-server", "mongo"), Map.entry("redis", "redis"),
            Map.entry("redis-stack", "redis"), Map.entry("redis-stack-server", "redis"), Map.entry("valkey", "redis"),
            Map.entry("keydb", "redis"), Map.entry("elasticsearch", "elasticsearch"),
            Map.entry("opensearch", "elasticsearch"), Map.entry("influxdb", "influxdb"),
            Map.entry("couchdb", "couchdb"), Map.entry("cassandra", "cassandra"),
            Map.entry("clickhouse-server", "clickhouse"), Map.entry("clickhouse", "clickhouse"),
            Map.entry("neo4j", "neo4j"), Map.entry("memcached", "memcached"), Map.entry("rethinkdb", "rethinkdb"),
            Map.entry("etcd", "etcd"), Map.entry("cockroach", "cockroach"), Map.entry("questdb", "questdb"),
            Map.entry("arangodb", "arangodb"), Map.entry("couchbase", "couchbase"), Map.entry("scylla", "cassandra"),
            Map.entry("mssql-server", "mssql"), Map.entry("oracle-free", "oracle"));

    /** The files and directories that say a database's data directory is here, and whose. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("PG_VERSION", "postgres"), Map.entry("ibdata1", "mysql"), Map.entry("mysql/", "mysql?"),
            Map.entry("performance_schema/", "mysql?"),
            Map.entry("aria_log_control", "mariadb"), Map.entry("WiredTiger", "mongo"),
            Map.entry("WiredTiger.wt", "mongo"), Map.entry("mongod.lock", "mongo"), Map.entry("dump.rdb", "redis"),
            Map.entry("appendonly.aof", "redis"), Map.entry("appendonlydir/", "redis"),
            Map.entry("nodes/", "elasticsearch?"), Map.entry("_dbs.couch", "couchdb"),
            Map.entry("_users.couch", "couchdb"), Map.entry("commitlog/", "cassandra?"),
            Map.entry("influxd.bolt", "influxdb"), Map.entry("wal/", "influxdb?"));

    /** A container that needs a label, and why it looks like a database. */
    public record Finding(String container, String kind, String reason) {
        /** The operator's line: the container, why, and the label to add with an example value. */
        public String warning() {
            return container + " looks like a database (" + reason + ") and has neither "
                    + QuiescedContainers.STOP + " nor " + QuiescedContainers.PRE + ": its volumes are copied while it "
                    + "writes them; label it " + QuiescedContainers.STOP + "=true (stopped while they are copied) or "
                    + QuiescedContainers.PRE + "=" + example(kind) + " (a dump taken first), or "
                    + QuiescedContainers.STOP + "=false to say a live copy is meant";
        }
    }

    /**
     * Whether a container of {@code image} whose mounts hold {@code names} (top-level and one level down, a directory
     * with a trailing '/') is a database's, and why. A name whose kind ends in '?' is only a hint (a directory named
     * {@code nodes/} or {@code wal/} is common) and counts only beside another one.
     */
    public static Optional<Finding> classify(String container, String image, Set<String> names) {
        String repository = repository(image);
        String kind = IMAGES.get(repository);
        if (kind != null) return Optional.of(new Finding(container, kind, "image " + image));
        List<String> hints = new ArrayList<>();
        for (String n : names) {
            String k = FILES.get(n);
            if (k == null) continue;
            if (!k.endsWith("?")) return Optional.of(new Finding(container, k, "a " + name(k) + " data directory: "
                    + n.replaceFirst("/$", "") + (n.endsWith("/") ? "/" : "")));
            hints.add(n);
        }
        if (hints.size() >= 2) {
            String k = FILES.get(hints.get(0));
            return Optional.of(new Finding(container, k.substring(0, k.length() - 1), "a "
                    + name(k.substring(0, k.length() - 1)) + " data directory: " + String.join(", ", hints)));
        }
        return Optional.empty();
    }

    /** Whether the container's labels already say how it is backed up (any kiban.backup.stop, a non-blank pre). */
    public static boolean labelled(Map<String, String> labels) {
        return labels.containsKey(QuiescedContainers.STOP)
                || !labels.getOrDefault(QuiescedContainers.PRE, "").isBlank();
    }

    /**
     * The repository name of an image reference: {@code registry:5000/library/postgres:16@sha256:…} is
     * {@code postgres}.
     */
    static String repository(String image) {
        String s = image.strip().toLowerCase(Locale.ROOT);
        int at = s.indexOf('@');
        if (at >= 0) s = s.substring(0, at);
        int slash = s.lastIndexOf('/');
        String last = slash >= 0 ? s.substring(slash + 1) : s;
        int colon = last.indexOf(':');
        return colon >= 0 ? last.substring(0, colon) : last;
    }

    private static String name(String kind) {
        return switch (kind) {
            case "postgres" -> "PostgreSQL";
            case "mysql" -> "MySQL/MariaDB";
            case "mariadb" -> "MariaDB";
            case "mongo" -> "MongoDB";
            case "redis" -> "Redis";
            case "couchdb" -> "CouchDB";
            case "influxdb" -> "InfluxDB";
            case "elasticsearch" -> "Elasticsearch";
            case "cassandra" -> "Cassandra";
            default -> kind;
        };
    }

    /** A pre command that dumps the database inside its own data volume, as an example for the warning. */
    static String example(String kind) {
        return switch (kind) {
            case "postgres" -> "'pg_dumpall -U postgres -f /var/lib/postgresql/data/kiban-dump.sql'";
            case "mysql", "mariadb" -> "'mysqldump --all-databases --single-transaction -uroot "
                    + "-p\"$MYSQL_ROOT_PASSWORD\" > /var/lib/mysql/kiban-dump.sql'";
            case "mongo" -> "'mongodump --archive=/data/db/kiban-dump.archive'";
            case "redis" -> "'redis-cli save'";
            default -> "'<the database's dump command>'";
        };
    }

    /**
     * The running containers that look like a database and are not labelled, their mounts' files read under
     * {@code root} where a mount's source lies in one of {@code trees} (the volume tree, the engine's volume store).
     */
    public static List<Finding> unquiesced(List<ContainerSummary> containers, Path root, List<String> trees) {
        List<Finding> out = new ArrayList<>();
        for (ContainerSummary c : containers) {
            if (!c.running() || labelled(c.labels())) continue;
            Set<String> names = new LinkedHashSet<>();
            if (!IMAGES.containsKey(repository(c.image()))) {
                for (ContainerSummary.Mount m : c.mounts()) names.addAll(names(root, m.source(), trees));
            }
            classify(c.name(), c.image(), names).ifPresent(out::add);
        }
        return out;
    }

    /** The names in a mount's source and one level down, when it lies in a managed tree; none on any doubt. */
    static Set<String> names(Path root, String source, List<String> trees) {
        Set<String> out = new LinkedHashSet<>();
        if (source == null || HostRoot.problem(source).isPresent()) return out;
        String normal = Path.of(source).normalize().toString();
        boolean managed = trees.stream().anyMatch(t -> normal.startsWith(t.endsWith("/") ? t : t + "/"));
        if (!managed) return out;
        Path dir = HostRoot.resolve(root, normal);
        try {
            int descended = 0;
            for (Path p : list(dir)) {
                boolean d = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                out.add(p.getFileName() + (d ? "/" : ""));
                // a data directory is the mount or one level down (PGDATA=…/data/pgdata): a few are enough
                if (d && descended++ < 64) list(p).forEach(q -> out.add(q.getFileName()
                        + (Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS) ? "/" : "")));
            }
        } catch (IOException | RuntimeException e) {
            return out; // unreadable: judged by what was seen
        }
        return out;
    }

    /** A directory's first 500 entries, or none when it is a link or no directory. */
    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().limit(500).toList();
        }
    }
}
