package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Nested
    class Sizes {
        @Test
        void readsDockerStyleBinaryUnits() {
            assertThat(ByteSize.parse("512M").bytes()).isEqualTo(512L * 1024 * 1024);
            assertThat(ByteSize.parse("16G").bytes()).isEqualTo(16L << 30);
            assertThat(ByteSize.parse("1.5G").bytes()).isEqualTo(3L << 29);
            assertThat(ByteSize.parse("10mb").bytes()).isEqualTo(10L << 20);
        }

        @Test
        void refusesABareNumberAsAForgottenUnit() {
            assertThatThrownBy(() -> ByteSize.parse("512"))
                    .hasMessage("expected a size with a unit, like 512M, 16G or 3.6T, got \"512\"");
            assertThatThrownBy(() -> ByteSize.parse("32 GB of RAM"))
                    .hasMessageContaining("expected a size with a unit");
        }

        @Test
        void decimalTerabytesAddUpWithinRounding() {
            ByteSize sum = ByteSize.parse("3.0T").plus(ByteSize.parse("0.6T"));
            assertThat(sum.exceeds(ByteSize.parse("3.6T"))).isFalse();
            assertThat(ByteSize.parse("3.7T").exceeds(ByteSize.parse("3.6T"))).isTrue();
        }

        @Test
        void printsTheShortForm() {
            assertThat(ByteSize.parse("16G")).hasToString("16G");
            assertThat(ByteSize.parse("3.6T")).hasToString("3.6T");
        }
    }

    @Test
    void durationsReadOperatorUnits() {
        assertThat(TimeSpan.parse("10m").duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(TimeSpan.parse("1h30m").duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(TimeSpan.parse("30d").duration()).isEqualTo(Duration.ofDays(30));
        assertThat(TimeSpan.parse("1h30m")).hasToString("1h30m");
        assertThatThrownBy(() -> TimeSpan.parse("600"))
                .hasMessage("expected a duration like 30s, 10m, 2h or 30d, got \"600\"");
        assertThatThrownBy(() -> TimeSpan.parse("10 minutes")).hasMessageContaining("expected a duration");
    }

    @Test
    void cidrsMustBeNetworksAndKnowTheirRange() {
        Cidr ingress = Cidr.parse("10.0.255.0/24");
        assertThat(ingress.range()).hasToString("10.0.255.0-10.0.255.255");
        assertThat(Cidr.parse("10.0.0.0/8").range().overlaps(ingress.range())).isTrue();
        assertThat(Cidr.parse("10.0.4.0/24").range().overlaps(ingress.range())).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.1.5/24"))
                .hasMessage("\"10.0.1.5/24\" has host bits set; the network is 10.0.1.0/24");
        assertThatThrownBy(() -> Cidr.parse("10.0.300.0/24")).hasMessageContaining("octet 300 > 255");
        assertThatThrownBy(() -> Cidr.parse("172.17.0.0")).hasMessageContaining("expected a CIDR like 172.19.0.0/16");
        assertThatThrownBy(() -> Cidr.parse("172.17.0.0/33")).hasMessageContaining("prefix length must be 0 to 32");
    }

    @Test
    void portsAndRanges() {
        assertThat(PortRange.parse("8000-8999").contains(PortRange.parse("8080"))).isTrue();
        assertThat(PortRange.parse("8000-8999").contains(PortRange.parse("9000"))).isFalse();
        assertThatThrownBy(() -> PortRange.parse("70000")).hasMessageContaining("ports run from 1 to 65535");
        assertThatThrownBy(() -> PortRange.parse("http"))
                .hasMessage("expected a port like 443 or a range like 8000-8999, got \"http\"");
        assertThatThrownBy(() -> PortRange.parse("9000-8000")).hasMessageContaining("from low to high");
    }

    @Nested
    class Schedules {
        @Test
        void theDesignsCronLineIsSundayAtTwo() {
            assertThat(Schedule.parse("0 2 * * 0").onCalendar()).isEqualTo("Sun *-*-* 02:00:00");
        }

        @Test
        void cronRangesListsStepsAndNames() {
            assertThat(Schedule.parse("*/15 1-5 * * mon-fri").onCalendar()).isEqualTo("Mon..Fri *-*-* 1..5:0/15:00");
            assertThat(Schedule.parse("30 3 1 jan,jul *").onCalendar()).isEqualTo("*-1,7-1 03:30:00");
            assertThat(Schedule.parse("@weekly").onCalendar()).isEqualTo("weekly");
        }

        @Test
        void badCronFieldsSayWhich() {
            assertThatThrownBy(() -> Schedule.parse("0 25 * * 0"))
                    .hasMessage("bad cron hour field \"25\": 25 is outside 0-23");
            assertThatThrownBy(() -> Schedule.parse("0 2 * * funday"))
                    .hasMessageContaining("bad cron day of week field");
            assertThatThrownBy(() -> Schedule.parse("0 2 1 * 0")).hasMessageContaining("either-or");
        }

        @Test
        void calendarEventsAreCheckedPartByPart() {
            assertThat(Schedule.parse("Sun *-*-* 02:00:00").onCalendar()).isEqualTo("Sun *-*-* 02:00:00");
            assertThat(Schedule.parse("Mon..Fri 06:30").onCalendar()).isEqualTo("Mon..Fri 06:30");
            assertThat(Schedule.parse("weekly").onCalendar()).isEqualTo("weekly");
            assertThatThrownBy(() -> Schedule.parse("Sun *-*-* 25:00:00"))
                    .hasMessage("bad calendar event \"Sun *-*-* 25:00:00\": hour 25 is outside 0-23");
            assertThatThrownBy(() -> Schedule.parse("Sunday-ish 02:00")).hasMessageContaining("is not a weekday");
            assertThatThrownBy(() -> Schedule.parse("*-13-01 02:00")).hasMessageContaining("month 13 is outside 1-12");
        }
    }

    @Nested
    class Secrets {
        @Test
        void literalsNeverPrint() {
            SecretRef s = SecretRef.parse("https://discord.com/api/webhooks/1/abc");
            assertThat(s.kind()).isEqualTo(SecretRef.Kind.LITERAL);
            assertThat(s.toString()).doesNotContain("abc").isEqualTo("<secret>");
        }

        @Test
        void environmentReferencesResolveAndNameTheKeyWhenUnset() {
            SecretRef s = SecretRef.parse("env:DISCORD_WEBHOOK");
            assertThat(s.reveal("monitor.channels.discord.webhook", Map.of("DISCORD_WEBHOOK", "https://x")))
                    .isEqualTo("https://x");
            assertThatThrownBy(() -> s.reveal("monitor.channels.discord.webhook", Map.of()))
                    .hasMessage("monitor.channels.discord.webhook: environment variable DISCORD_WEBHOOK is not set");
        }

        @Test
        void placeholdersRefuseNamingTheKey() {
            SecretRef s = SecretRef.parse("<Discord webhook URL>");
            assertThatThrownBy(() -> s.reveal("monitor.channels.discord.webhook", Map.of()))
                    .isInstanceOf(SpecException.class)
                    .hasMessageStartingWith("monitor.channels.discord.webhook is still the placeholder <Discord "
                            + "webhook URL>");
        }

        @Test
        void badReferencesAreRefused() {
            assertThatThrownBy(() -> SecretRef.parse("env:1BAD")).hasMessageContaining("environment variable name");
            assertThatThrownBy(() -> SecretRef.parse("file:relative")).hasMessageContaining("absolute path");
        }
    }

    @Test
    void hostPathsNest() {
        assertThat(HostPath.parse("/data/docker").nests(HostPath.parse("/data/docker/volumes"))).isTrue();
        assertThat(HostPath.parse("/var/lib/docker").nests(HostPath.parse("/data/docker/volumes"))).isFalse();
        assertThat(HostPath.parse("/data/docker/").value()).isEqualTo("/data/docker");
        assertThatThrownBy(() -> HostPath.parse("data/docker"))
                .hasMessage("expected an absolute path, got \"data/docker\"");
    }

    @Test
    void didYouMeanFindsTyposOnly() {
        assertThat(Suggestion.nearest("cpuCore", java.util.List.of("cpuCores", "memory"))).contains("cpuCores");
        assertThat(Suggestion.nearest("swapines", java.util.List.of("swappiness", "disks"))).contains("swappiness");
        assertThat(Suggestion.nearest("zzz", java.util.List.of("swappiness", "disks"))).isEmpty();
    }

    /** One rule per shape, shared by spec validation and the renderers. */
    @Nested
    class SharedRules {
        @Test
        void logwatchDetailIsOneForm() {
            for (String ok : new String[] {"low", "Med", "HIGH", "0", "7", "10"}) {
                assertThat(SpecText.Form.LOGWATCH_DETAIL.accepts(ok)).as(ok).isTrue();
            }
            for (String bad : new String[] {"11", "lowx", "low\nService = x", "", "-1"}) {
                assertThat(SpecText.Form.LOGWATCH_DETAIL.accepts(bad)).as(bad).isFalse();
            }
        }

        @Test
        void unitTextRefusesControlCharactersSpecifiersAndEscapes() {
            assertThat(SpecText.requireUnitText("k", "*-*-* 03:00:00")).isEqualTo("*-*-* 03:00:00");
            for (String bad : new String[] {"a\nb", "a%nb", "a\\b", "a\u2028b"}) {
                assertThatThrownBy(() -> SpecText.requireUnitText("backup.schedule", bad)).as(bad)
                        .isInstanceOf(SpecException.class).hasMessageStartingWith("backup.schedule: refusing")
                        .hasMessageNotContaining(bad);
            }
        }
    }
}
