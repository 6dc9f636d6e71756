package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FargatePricesTest {
    @Test
    void theShippedTableIsDatedAndPricesTheDefaultRegion() {
        FargatePrices p = FargatePrices.shipped();
        assertThat(p.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(p.regions()).containsKeys("ap-northeast-1", "us-east-1");
    }

    @Test
    void aMonthIs730HoursOfEveryTask() {
        FargatePrices p = FargatePrices.parse("# date: 2025-01-01\nxx-test-1\t0.04\t0.004\n");
        // (1 vCPU × 0.04 + 2 GiB × 0.004) × 730 × 3 = 0.048 × 2190 = 105.12
        assertThat(p.estimate("xx-test-1", new FargateSize(1024, 2048), 3).monthly())
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(new BigDecimal("105.12")));
        assertThat(p.estimate("elsewhere-1", new FargateSize(1024, 2048), 3).monthly()).isEmpty();
    }

    @Test
    void aTableWithoutADateIsABug() {
        assertThatThrownBy(() -> FargatePrices.parse("us-east-1\t1\t1\n")).hasMessageContaining("no date");
    }
}
