package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FargateSizeTest {
    @Test
    void theTableHoldsEveryPairFargateAcceptsAndNoOther() {
        // AWS's table, tier by tier: cpu units, memory from, to, step (GiB)
        int[][] tiers = {{512, 1, 4, 1}, {1024, 2, 8, 1}, {2048, 4, 16, 1}, {4096, 8, 30, 1}, {8192, 16, 60, 4},
                {16384, 32, 120, 8}};
        java.util.List<FargateSize> expected = new java.util.ArrayList<>();
        expected.add(new FargateSize(256, 512));
        expected.add(new FargateSize(256, 1024));
        expected.add(new FargateSize(256, 2048));
        for (int[] t : tiers) {
            for (int g = t[1]; g <= t[2]; g += t[3]) expected.add(new FargateSize(t[0], g * 1024));
        }
        assertThat(FargateSize.ALL).containsExactlyElementsOf(expected).hasSize(3 + 4 + 7 + 13 + 23 + 12 + 12);
        assertThat(FargateSize.ALL).isSorted();
        assertThat(FargateSize.largest()).isEqualTo(new FargateSize(16384, 122880));
        assertThat(FargateSize.isValid(8192, 20480)).isTrue();
        assertThat(FargateSize.isValid(8192, 18432)).as("8 vCPU steps by 4 GiB").isFalse();
        assertThat(FargateSize.isValid(16384, 40960)).isTrue();
        assertThat(FargateSize.isValid(16384, 36864)).as("16 vCPU steps by 8 GiB").isFalse();
        assertThat(FargateSize.isValid(256, 3072)).isFalse();
    }

    @Test
    void everyValidSizeFitsItself() {
        for (FargateSize s : FargateSize.ALL) assertThat(FargateSize.fit(s.cpu(), s.memory())).contains(s);
    }

    /**
     * Every need from nothing to past the largest size, in steps finer than any tier's: the fit holds the need,
     * is valid, and no valid size that holds it costs less (in every region of the table), so rounding up never
     * picks a dearer size than it must.
     */
    @Test
    void theRoundUpIsTheCheapestSizeThatHoldsTheNeedExhaustively() {
        FargatePrices prices = FargatePrices.shipped();
        for (int cpu = 0; cpu <= 16384 + 128; cpu += 64) {
            for (int memory = 0; memory <= 122880 + 512; memory += 256) {
                Optional<FargateSize> fit = FargateSize.fit(cpu, memory);
                int c = cpu;
                int m = memory;
                Optional<FargateSize> holding = FargateSize.ALL.stream().filter(s -> s.cpu() >= c && s.memory() >= m)
                        .findAny();
                assertThat(fit.isPresent()).as("%d/%d", cpu, memory).isEqualTo(holding.isPresent());
                if (fit.isEmpty()) {
                    assertThat(cpu > 16384 || memory > 122880).isTrue();
                    continue;
                }
                FargateSize f = fit.get();
                assertThat(f.cpu()).isGreaterThanOrEqualTo(cpu);
                assertThat(f.memory()).isGreaterThanOrEqualTo(memory);
                for (String region : prices.regions().keySet()) {
                    BigDecimal mine = cost(prices, region, f);
                    FargateSize cheapest = FargateSize.ALL.stream().filter(s -> s.cpu() >= c && s.memory() >= m)
                            .min(Comparator.comparing(s -> cost(prices, region, s))).orElseThrow();
                    assertThat(mine).as("%d/%d in %s", cpu, memory, region).isEqualByComparingTo(
                            cost(prices, region, cheapest));
                }
            }
        }
    }

    private static BigDecimal cost(FargatePrices prices, String region, FargateSize s) {
        return prices.estimate(region, s, 1).monthly().orElseThrow();
    }

    @Test
    void sizesPrintInVcpuAndGib() {
        assertThat(new FargateSize(256, 512)).hasToString("0.25 vCPU / 0.5 GiB");
        assertThat(new FargateSize(16384, 122880)).hasToString("16 vCPU / 120 GiB");
    }
}
