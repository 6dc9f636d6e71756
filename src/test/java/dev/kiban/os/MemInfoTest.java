package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemInfoTest {
    static final String PROC = """
            MemTotal:       16318756 kB
            MemFree:         1204420 kB
            MemAvailable:    9816600 kB
            Buffers:          412340 kB
            """;

    @Test
    void totalAndAvailableAreReadInBytes() {
        MemInfo m = MemInfo.parse(PROC);
        assertThat(m.totalBytes()).isEqualTo(16318756L * 1024);
        assertThat(m.availableBytes()).isEqualTo(9816600L * 1024);
        assertThat(m.usedBytes()).isEqualTo((16318756L - 9816600L) * 1024);
    }

    @Test
    void aMissingFieldIsZero() {
        // kernels before 3.14 have no MemAvailable
        assertThat(MemInfo.parse("MemTotal: 1024 kB\n")).isEqualTo(new MemInfo(1024 * 1024, 0));
        assertThat(MemInfo.parse("")).isEqualTo(new MemInfo(0, 0));
    }

    @Test
    void aFieldWithoutANumberIsRefused() {
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: kB\n")).isInstanceOf(NumberFormatException.class);
    }
}
