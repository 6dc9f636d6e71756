package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;
    static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    /** A receiver that records what reached it, and answers as told. */
    static final class Receiver implements Channel {
        final List<String> got = new ArrayList<>();
        final List<Boolean> repeats = new ArrayList<>();
        Delivery answer = new Delivery.Delivered("ok");
        boolean dieAfterSending;

        @Override
        public String name() {
            return "discord";
        }

        @Override
        public Delivery send(Notification n, boolean redelivery) {
            got.add(n.id());
            repeats.add(redelivery);
            if (dieAfterSending) throw new ThreadDeath(); // the process ends between the send and the acknowledgement
            return answer;
        }
    }

    static Notification n(String id, Instant at) {
        return new Notification(id, "discord", "ws1", at, List.of(new AlertEvent(AlertEvent.Kind.FIRING,
                new AlertKey("container-down", "web"), 1, "exited 1", at, at)), false);
    }

    @Test
    void anOutageDelaysButLosesNothingAndKeepsTheOrder() throws Exception {
        Outbox outbox = new Outbox(dir);
        Receiver discord = new Receiver();
        discord.answer = new Delivery.Retry(Duration.ZERO, "Discord did not answer");
        outbox.add(n("a", T0));
        outbox.add(n("b", T0.plusSeconds(1)));
        Outbox.Report down = outbox.drain(Map.of("discord", discord), T0);
        assertThat(down.retrying()).hasSize(1);
        assertThat(discord.got).as("b waits behind a").containsExactly("a");

        Outbox restarted = new Outbox(dir); // the agent restarts during the outage
        restarted.recover();
        assertThat(restarted.drain(Map.of("discord", discord), T0.plusSeconds(1)).delivered()).as("not yet due")
                .isEmpty();
        discord.answer = new Delivery.Delivered("ok");
        Outbox.Report up = restarted.drain(Map.of("discord", discord), T0.plus(Duration.ofMinutes(1)));
        assertThat(up.delivered()).hasSize(2);
        assertThat(discord.got).containsExactly("a", "a", "b");
        assertThat(restarted.pending()).isEmpty();
        assertThat(restarted.drain(Map.of("discord", discord), T0.plus(Duration.ofMinutes(2))).delivered())
                .as("never twice").isEmpty();
    }

    @Test
    void aCrashBetweenSendAndAckSendsOnceMoreUnderTheSameIdMarkedAsAPossibleRepeat() throws Exception {
        Outbox outbox = new Outbox(dir);
        Receiver discord = new Receiver();
        discord.dieAfterSending = true;
        outbox.add(n("a", T0));
        assertThatThrownBy(() -> outbox.drain(Map.of("discord", discord), T0)).isInstanceOf(ThreadDeath.class);
        assertThat(Files.readString(dir.resolve("a.discord.json"))).contains("\"inFlight\":true");

        discord.dieAfterSending = false;
        Outbox next = new Outbox(dir);
        next.recover();
        assertThat(next.drain(Map.of("discord", discord), T0.plusSeconds(5)).delivered()).hasSize(1);
        assertThat(discord.got).containsExactly("a", "a");
        assertThat(discord.repeats).containsExactly(false, true);
        assertThat(next.pending()).isEmpty();
    }

    @Test
    void aRefusedNotificationIsKeptAsideWithItsReason() throws Exception {
        Outbox outbox = new Outbox(dir);
        Receiver discord = new Receiver();
        discord.answer = new Delivery.Rejected("the Discord webhook no longer exists (404)", true);
        outbox.add(n("a", T0));
        outbox.add(n("b", T0));
        Outbox.Report r = outbox.drain(Map.of("discord", discord), T0);
        assertThat(r.rejected()).hasSize(1);
        assertThat(discord.got).as("a gone channel gets nothing more").containsExactly("a");
        assertThat(Files.readString(dir.resolve("failed/a.discord.json"))).contains("no longer exists");
        assertThat(outbox.pending()).extracting(i -> i.notification().id()).containsExactly("b");
        assertThat(Files.getPosixFilePermissions(dir.resolve("b.discord.json")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aChannelNotConfiguredKeepsItsNotifications() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(n("a", T0));
        assertThat(outbox.drain(Map.of(), T0).delivered()).isEmpty();
        assertThat(outbox.pending()).hasSize(1);
    }

    /** A file a root process must never read through: outbox entries that point at it are moved, not followed. */
    @TempDir
    Path elsewhere;

    Path sentinel() throws Exception {
        Path s = elsewhere.resolve("shadow");
        Files.writeString(s, "root:SECRET-HASH:19000:0:99999:7:::\n");
        return s;
    }

    @Test
    void filesThatAreNotNotificationsAreSetAsideAndTheRestStillGoesOut() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(n("a", T0));
        outbox.add(n("z", T0.plusSeconds(5)));
        Path sentinel = sentinel();
        String before = Files.readString(sentinel);
        Files.writeString(dir.resolve("garbage.discord.json"), "{not json at all SECRET-IN-FILE");
        Files.writeString(dir.resolve("empty.discord.json"), "");
        Files.writeString(dir.resolve("null.discord.json"), "null");
        Files.writeString(dir.resolve("wrong.discord.json"),
                "{\"notification\": {\"id\": \"../../escape\", \"channel\": \"discord\"}}");
        Files.createSymbolicLink(dir.resolve("link.discord.json"), sentinel);
        Files.createDirectory(dir.resolve("dir.discord.json"));
        try (var f = java.nio.channels.FileChannel.open(dir.resolve("huge.discord.json"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            // sparse: large without filling the disk
            f.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), Outbox.MAX_FILE + 10);
        }
        // valid JSON for "a" under another name: delivering it would rewrite a.discord.json and leave this one
        // to be sent forever
        Files.copy(dir.resolve("a.discord.json"), dir.resolve("copy.discord.json"));

        Receiver discord = new Receiver();
        Outbox.Report r = outbox.drain(Map.of("discord", discord), T0.plusSeconds(10));
        assertThat(discord.got).containsExactly("a", "z");
        assertThat(r.delivered()).hasSize(2);
        assertThat(r.quarantined()).hasSize(8)
                .allSatisfy(q -> assertThat(q).contains("moved to failed/").doesNotContain("SECRET"));
        assertThat(String.join("\n", r.quarantined()))
                .contains("garbage.discord.json: not a notification's JSON (line 1")
                .contains("empty.discord.json: empty").contains("link.discord.json: a symbolic link")
                .contains("dir.discord.json: a directory").contains("huge.discord.json: larger than 1 MiB")
                .contains("wrong.discord.json: a notification").contains("copy.discord.json: its name");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("failed");
        }
        assertThat(Files.isSymbolicLink(dir.resolve("failed/link.discord.json.bad"))).as("the link itself moved")
                .isTrue();
        assertThat(Files.readString(sentinel)).as("the link's target untouched").isEqualTo(before);
        assertThat(Files.readString(dir.resolve("failed/garbage.discord.json.bad.reason")))
                .startsWith("not a notification's JSON").doesNotContain("SECRET");
        assertThat(Files.getPosixFilePermissions(dir.resolve("failed/garbage.discord.json.bad.reason")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        // the same name turning bad again does not overwrite the evidence of the first time
        Files.writeString(dir.resolve("garbage.discord.json"), "[");
        assertThat(outbox.pending()).isEmpty();
        assertThat(dir.resolve("failed/garbage.discord.json.1.bad")).exists();
    }

    @Test
    void aCorruptFileDoesNotStopTheRecoveryAtStartUp() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(n("a", T0));
        Files.writeString(dir.resolve("bad.discord.json"), "{\"notification\":");
        List<String> aside = new Outbox(dir).recover();
        assertThat(aside).singleElement().asString().contains("bad.discord.json");
        assertThat(outbox.pending()).extracting(i -> i.notification().id()).containsExactly("a");
    }

    @Test
    void aChannelThatThrowsIsRetriedNotFatal() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(n("a", T0));
        Channel broken = new Channel() {
            @Override
            public String name() {
                return "discord";
            }

            @Override
            public Delivery send(Notification n, boolean redelivery) {
                throw new IllegalArgumentException("invalid URI https://discord.com/api/webhooks/1/SECRET");
            }
        };
        Outbox.Report r = outbox.drain(Map.of("discord", broken), T0);
        assertThat(r.retrying()).singleElement().asString().contains("failed unexpectedly").doesNotContain("SECRET");
        assertThat(outbox.pending()).hasSize(1);
    }
}
