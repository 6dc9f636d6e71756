package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two ways a size is written for reading: status's terse form and the dashboard's IEC form. */
class ByteSizeTest {
    @Test
    void approximateFormsRoundToOneDecimalInTheLargestUnit() {
        assertThat(ByteSize.ofBytes(0).approximate()).isEqualTo("0B");
        assertThat(ByteSize.ofBytes(1023).approximate()).isEqualTo("1023B");
        assertThat(ByteSize.ofBytes(1024).approximate()).isEqualTo("1.0K");
        assertThat(ByteSize.ofBytes(1536L << 20).approximate()).isEqualTo("1.5G");
        assertThat(ByteSize.parse("3.6T").approximate()).isEqualTo("3.6T");
        assertThat(ByteSize.ofBytes(512).approximateIec()).isEqualTo("512 B");
        assertThat(ByteSize.ofBytes(1536L << 20).approximateIec()).isEqualTo("1.5 GiB");
        // past P it stays in P
        assertThat(ByteSize.ofBytes(2048L << 50).approximateIec()).isEqualTo("2048.0 PiB");
    }
}
