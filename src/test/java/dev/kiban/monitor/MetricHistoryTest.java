package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricHistoryTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration TEN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    Path history() {
        return dir.resolve("history");
    }

    static List<HistorySample> sweep(String subject, double cpu, double memory, double limit) {
        return List.of(new HistorySample(subject, Metric.CPU_PERCENT, cpu),
                new HistorySample(subject, Metric.MEMORY_BYTES, memory, limit));
    }

    static List<Double> avgs(List<HistoryPoint> points) {
        return points.stream().map(HistoryPoint::avg).toList();
    }

    @Test
    void theDocumentedSizesHold() {
        assertThat(MetricHistory.bytesPerSubject(Duration.ofSeconds(10))).isEqualTo(439_552);
        assertThat(MetricHistory.bytesPerSubject(Duration.ofSeconds(30))).isEqualTo(247_552);
        assertThat(MetricHistory.rawSlots(Duration.ofSeconds(10)) * 10L).isGreaterThanOrEqualTo(25 * 3600);
    }

    @Test
    void whatIsWrittenIsReadBack() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            for (int i = 0; i < 5; i++) {
                List<HistorySample> s = new ArrayList<>(sweep("web", i * 10, 1000 + i, 4096));
                s.addAll(sweep("db", 50, 2_000_000_000L, Double.NaN));
                s.add(new HistorySample(MetricHistory.HOST, Metric.CPU_PERCENT, 12.5));
                s.add(new HistorySample(MetricHistory.HOST, Metric.DISK_BYTES, 123_456_789));
                w.record(T0.plusSeconds(10L * i), s);
            }
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        assertThat(r.subjects()).containsExactly("host", "db", "web");
        List<HistoryPoint> cpu = r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60));
        assertThat(avgs(cpu)).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0);
        assertThat(cpu).allSatisfy(p -> assertThat(p.min()).isEqualTo(p.avg()).isEqualTo(p.max()));
        assertThat(cpu.get(2).at()).isEqualTo(T0.plusSeconds(20));
        assertThat(avgs(r.series("web", Metric.MEMORY_BYTES, T0, T0.plusSeconds(60))))
                .containsExactly(1000.0, 1001.0, 1002.0, 1003.0, 1004.0);
        assertThat(r.series("web", Metric.DISK_BYTES, T0, T0.plusSeconds(60))).isEmpty();
        // 32-bit floats: a byte count to 7 significant digits
        assertThat(r.series("db", Metric.MEMORY_BYTES, T0, T0.plusSeconds(60)).get(0).avg())
                .isCloseTo(2e9, within(2e9 * 1e-7));
        assertThat(r.series("host", Metric.DISK_BYTES, T0, T0.plusSeconds(60)).get(0).avg())
                .isCloseTo(123_456_789, within(16.0));
        assertThat(r.memoryLimit("web", T0, T0.plusSeconds(60)).getAsDouble()).isEqualTo(4096);
        assertThat(r.memoryLimit("db", T0, T0.plusSeconds(60))).isEmpty();
        assertThat(r.series("nobody", Metric.CPU_PERCENT, T0, T0.plusSeconds(60))).isEmpty();
        assertThat(r.series("web", Metric.CPU_PERCENT, T0.plusSeconds(60), T0)).isEmpty();
        assertThat(r.series("web", Metric.CPU_PERCENT, T0.plusSeconds(15), T0.plusSeconds(25))).hasSize(1);
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, Instant.MIN, Instant.MAX))).containsExactly(20.0);
    }

    @Test
    void theFilesArePrivateAndAsLargeAsTheBound() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0, sweep("web", 1, 2, 3));
            assertThat(w.bytesOnDisk()).isEqualTo(MetricHistory.bytesPerSubject(TEN));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(history())) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void theRawRingWrapsAroundAndKeepsTheLast25Hours() throws IOException {
        Duration hour = Duration.ofHours(1);
        assertThat(MetricHistory.rawSlots(hour)).isEqualTo(25);
        try (MetricHistory.Writer w = MetricHistory.writer(history(), hour)) {
            for (int i = 0; i <= 60; i++) w.record(T0.plus(hour.multipliedBy(i)), sweep("web", i, i, 0));
            assertThat(w.bytesOnDisk()).isEqualTo(MetricHistory.bytesPerSubject(hour));
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        Instant last = T0.plus(hour.multipliedBy(60));
        List<HistoryPoint> day = r.series("web", Metric.CPU_PERCENT, last.minus(Duration.ofHours(24)), last);
        assertThat(avgs(day)).hasSize(25).first().isEqualTo(36.0);
        assertThat(avgs(day)).last().isEqualTo(60.0);
        // overwritten: the hours of the first day are only in the aggregates
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, T0.plus(Duration.ofHours(10)))).isEmpty();
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, last)).hasSize(61);
    }

    @Test
    void aRangeOfADayIsReadRawAndALongerOneAsFiveMinuteAggregates() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            for (int i = 0; i < 60; i++) w.record(T0.plusSeconds(10L * i), sweep("web", i + 1, 100, 0)); // 10 min
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        Instant end = T0.plus(Duration.ofHours(24));
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, end)).hasSize(60);
        List<HistoryPoint> week = r.series("web", Metric.CPU_PERCENT, end.minus(Duration.ofDays(7)), end);
        assertThat(week).hasSize(2);
        assertThat(week.get(0)).isEqualTo(new HistoryPoint(T0, 1, 15.5, 30));
        assertThat(week.get(1)).isEqualTo(new HistoryPoint(T0.plusSeconds(300), 31, 45.5, 60));
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, end.plusSeconds(1))).hasSize(2);
    }

    @Test
    void aggregatesCountOnlyTheSweepsThatHadAValue() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0, List.of(new HistorySample("web", Metric.MEMORY_BYTES, 10)));
            w.record(T0.plusSeconds(10), sweep("web", 4, 30, 512));
            w.record(T0.plusSeconds(20), sweep("web", 8, 20, Double.NaN));
            w.record(T0.plusSeconds(30), sweep("web", Double.NaN, Double.NaN, Double.NaN));
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        Instant from = T0.minus(Duration.ofDays(2));
        assertThat(r.series("web", Metric.CPU_PERCENT, from, T0.plusSeconds(60)))
                .containsExactly(new HistoryPoint(T0, 4, 6, 8));
        assertThat(r.series("web", Metric.MEMORY_BYTES, from, T0.plusSeconds(60)))
                .containsExactly(new HistoryPoint(T0, 10, 20, 30));
        assertThat(r.series("web", Metric.DISK_BYTES, from, T0.plusSeconds(60))).isEmpty();
        assertThat(r.memoryLimit("web", from, T0.plusSeconds(60)).getAsDouble()).isEqualTo(512);
    }

    @Test
    void aRestartedWriterGoesOnWithTheCurrentFiveMinutes() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0, sweep("web", 10, 0, 0));
            w.record(T0.plusSeconds(10), sweep("web", 20, 0, 0));
        }
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0.plusSeconds(20), sweep("web", 60, 0, 0));
        }
        assertThat(MetricHistory.reader(history()).series("web", Metric.CPU_PERCENT, T0.minus(Duration.ofDays(3)),
                T0.plusSeconds(60))).containsExactly(new HistoryPoint(T0, 10, 30, 60));
    }

    @Test
    void anotherIntervalRemakesTheRawRingAndKeepsTheAggregates() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0, sweep("web", 10, 0, 0));
        }
        Duration thirty = Duration.ofSeconds(30);
        try (MetricHistory.Writer w = MetricHistory.writer(history(), thirty)) {
            w.record(T0.plusSeconds(30), sweep("web", 20, 0, 0));
            assertThat(w.bytesOnDisk()).isEqualTo(MetricHistory.bytesPerSubject(thirty));
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60)))).containsExactly(20.0);
        assertThat(r.series("web", Metric.CPU_PERCENT, T0.minus(Duration.ofDays(2)), T0.plusSeconds(60)))
                .containsExactly(new HistoryPoint(T0, 10, 15, 20));
    }

    /** The byte offset of the raw slot of {@code at}. */
    static long rawOffset(Instant at, Duration interval) {
        return MetricHistory.HEADER + (long) MetricHistory.AGGREGATE_SLOTS * MetricHistory.AGGREGATE_RECORD
                + Math.floorMod(at.getEpochSecond() / interval.toSeconds(), MetricHistory.rawSlots(interval))
                * (long) MetricHistory.RAW_RECORD;
    }

    @Test
    void aTornLastRecordIsSkippedAndTheRestIsRead() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            for (int i = 0; i < 4; i++) w.record(T0.plusSeconds(10L * i), sweep("web", i, i, 0));
        }
        Path f = history().resolve(MetricHistory.fileName("web"));
        Instant last = T0.plusSeconds(30);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            // the crash wrote the first half of the next sweep's record over the last one's
            byte[] next = MetricHistory.raw(last.getEpochSecond(), new float[] {99, 99, 99, 99});
            raf.seek(rawOffset(last, TEN));
            raf.write(next, 0, 16);
            // and the current 5 minutes' aggregate was cut short too
            raf.seek(MetricHistory.HEADER + Math.floorMod(T0.getEpochSecond() / 300, MetricHistory.AGGREGATE_SLOTS)
                    * (long) MetricHistory.AGGREGATE_RECORD + 20);
            raf.write(new byte[] {1, 2, 3, 4});
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60)))).containsExactly(0.0, 1.0, 2.0);
        assertThat(r.series("web", Metric.CPU_PERCENT, T0.minus(Duration.ofDays(2)), T0.plusSeconds(60))).isEmpty();
        // the writer starts a new aggregate rather than trusting the torn one, and goes on
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0.plusSeconds(40), sweep("web", 4, 4, 0));
        }
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60))))
                .containsExactly(0.0, 1.0, 2.0, 4.0);
        // a file cut short (a crash while it grew) or emptied reads as what it still holds
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(rawOffset(T0.plusSeconds(20), TEN));
        }
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60)))).containsExactly(0.0, 1.0);
        Files.write(f, new byte[0]);
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60))).isEmpty();
        assertThat(r.subjects()).isEmpty();
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0.plusSeconds(50), sweep("web", 5, 5, 0)); // damaged: made afresh
        }
        assertThat(avgs(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60)))).containsExactly(5.0);
    }

    @Test
    void hostileSubjectNamesNeverBecomePathsAndComeBackAsTheyWere() throws IOException {
        List<String> names = List.of("../../etc/passwd", "/etc/shadow", "a/b", "..", ".", "x\u0000y", "line\nbreak",
                "<script>alert(1)</script>", "名前", "host (container)", "a".repeat(1000), "space name ");
        String tooLong = "b".repeat(MetricHistory.MAX_NAME + 1);
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            List<HistorySample> all = new ArrayList<>();
            for (String n : names) all.addAll(sweep(n, 1, 2, 0));
            all.add(new HistorySample(tooLong, Metric.CPU_PERCENT, 1));
            all.add(new HistorySample("", Metric.CPU_PERCENT, 1));
            w.record(T0, all);
        }
        try (Stream<Path> files = Files.list(history())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(MetricHistory.LOCK)))
                    .hasSize(names.size()).allMatch(n -> n.matches("[0-9a-f]{32}\\.series"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(history());
        }
        MetricHistory.Reader r = MetricHistory.reader(history());
        assertThat(r.subjects()).containsExactlyInAnyOrderElementsOf(names);
        for (String n : names) assertThat(r.series(n, Metric.CPU_PERCENT, T0, T0.plusSeconds(1))).hasSize(1);
        assertThat(r.series(tooLong, Metric.CPU_PERCENT, T0, T0.plusSeconds(1))).isEmpty();
        assertThat(r.series("", Metric.CPU_PERCENT, T0, T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void noLinkIsFollowed() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(history(), elsewhere);
        assertThatThrownBy(() -> MetricHistory.writer(history(), TEN)).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        Files.delete(history());
        Path target = Files.writeString(dir.resolve("target"), "keep");
        Files.createDirectory(history());
        Files.createSymbolicLink(history().resolve(MetricHistory.fileName("web")), target);
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            assertThatThrownBy(() -> w.record(T0, sweep("web", 1, 1, 0))).isInstanceOf(IOException.class);
            w.record(T0.plusSeconds(10), sweep("db", 1, 1, 0)); // the others are still recorded
        }
        assertThat(Files.readString(target)).isEqualTo("keep");
        assertThat(Files.isSymbolicLink(history().resolve(MetricHistory.fileName("web")))).isTrue();
        MetricHistory.Reader r = MetricHistory.reader(history());
        assertThat(r.subjects()).containsExactly("db");
        assertThat(r.series("web", Metric.CPU_PERCENT, T0, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void oneWriterAtATime() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            assertThatThrownBy(() -> MetricHistory.writer(history(), TEN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("another kiban monitor");
        }
        MetricHistory.writer(history(), TEN).close();
    }

    @Test
    void theSizeStaysWithinTheBoundAfterManySweeps() throws IOException {
        Duration interval = Duration.ofMinutes(1); // 1500 raw slots: 3000 sweeps wrap the ring twice
        int subjects = 20;
        try (MetricHistory.Writer w = MetricHistory.writer(history(), interval)) {
            for (int i = 0; i < 3000; i++) {
                List<HistorySample> s = new ArrayList<>();
                for (int k = 0; k < subjects; k++) s.addAll(sweep("c" + k, k, i, 0));
                w.record(T0.plus(interval.multipliedBy(i)), s);
            }
            assertThat(w.bytesOnDisk()).isEqualTo(subjects * MetricHistory.bytesPerSubject(interval));
        }
    }

    @Test
    void aSubjectGoneForEightDaysIsRemoved() throws IOException {
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(T0, sweep("old", 1, 1, 0));
            w.record(T0, sweep("recent", 1, 1, 0));
        }
        Instant now = Instant.now();
        Files.setLastModifiedTime(history().resolve(MetricHistory.fileName("old")),
                FileTime.from(now.minus(Duration.ofDays(9))));
        Files.setLastModifiedTime(history().resolve(MetricHistory.fileName("recent")),
                FileTime.from(now.minus(Duration.ofDays(7))));
        try (MetricHistory.Writer w = MetricHistory.writer(history(), TEN)) {
            w.record(now, sweep("web", 1, 1, 0));
        }
        assertThat(MetricHistory.reader(history()).subjects()).containsExactly("recent", "web");
        assertThat(Files.exists(history().resolve(MetricHistory.LOCK), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aReaderBesideTheWriterNeverSeesAWrongValue() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger points = new AtomicInteger();
        AtomicReference<String> wrong = new AtomicReference<>();
        Duration second = Duration.ofSeconds(1);
        Instant end = T0.plusSeconds(80_000);
        Thread reader = new Thread(() -> {
            MetricHistory.Reader r = MetricHistory.reader(history());
            while (!done.get()) {
                for (HistoryPoint p : r.series("web", Metric.MEMORY_BYTES, T0, T0.plus(Duration.ofHours(20)))) {
                    // every value is a function of its time: a mixed or torn record would show
                    double expected = p.at().getEpochSecond() % 100_000;
                    if (p.avg() != expected && wrong.get() == null) wrong.set(p + " expected " + expected);
                    points.incrementAndGet();
                }
                for (HistoryPoint p : r.series("web", Metric.CPU_PERCENT, T0.minus(Duration.ofDays(2)), end)) {
                    if ((p.min() > p.avg() || p.avg() > p.max() || p.max() > 100) && wrong.get() == null) {
                        wrong.set("aggregate " + p);
                    }
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        try (MetricHistory.Writer w = MetricHistory.writer(history(), second)) {
            // until the reader has read a few times, within the raw ring (90,000 one-second slots)
            for (int i = 0; (i < 20_000 || reads.get() < 5) && i < 80_000; i++) {
                Instant at = T0.plusSeconds(i);
                w.record(at, sweep("web", i % 101, at.getEpochSecond() % 100_000, 0));
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(wrong.get()).isNull();
        assertThat(reads.get()).isGreaterThan(1);
        assertThat(points.get()).isGreaterThan(0);
    }
}
