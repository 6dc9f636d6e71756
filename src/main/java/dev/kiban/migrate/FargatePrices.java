package dev.kiban.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dated Fargate price table shipped with kiban ({@code fargate-prices.tsv}: region, USD per vCPU-hour,
 * USD per GiB-hour) and a service's monthly estimate from it: hours a month × tasks × (vCPU × price +
 * GiB × price). The date is printed with every estimate, since prices change and the table does not.
 */
public record FargatePrices(String date, Map<String, Price> regions) {
    public static final int HOURS_A_MONTH = 730;

    public record Price(BigDecimal vcpuHour, BigDecimal gibHour) {}

    /** One service's estimate: its size, how many tasks, and USD a month (empty when the region has no price). */
    public record Estimate(String region, String date, FargateSize size, int tasks, Optional<BigDecimal> monthly) {}

    private static FargatePrices shipped;

    public static synchronized FargatePrices shipped() {
        if (shipped == null) {
            try (InputStream in = FargatePrices.class.getResourceAsStream("fargate-prices.tsv")) {
                if (in == null) throw new IllegalStateException("fargate-prices.tsv is missing from kiban");
                shipped = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shipped;
    }

    static FargatePrices parse(String text) {
        String date = null;
        Map<String, Price> regions = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("# date:")) date = l.substring("# date:".length()).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\t");
            if (f.length != 3) throw new IllegalStateException("fargate-prices.tsv: bad line " + l);
            regions.put(f[0], new Price(new BigDecimal(f[1]), new BigDecimal(f[2])));
        }
        if (date == null) throw new IllegalStateException("fargate-prices.tsv has no date");
        return new FargatePrices(date, Map.copyOf(regions));
    }

    public Estimate estimate(String region, FargateSize size, int tasks) {
        Price p = regions.get(region);
        if (p == null) return new Estimate(region, date, size, tasks, Optional.empty());
        BigDecimal hourly = p.vcpuHour().multiply(BigDecimal.valueOf(size.vcpu()))
                .add(p.gibHour().multiply(BigDecimal.valueOf(size.gib())));
        BigDecimal monthly = hourly.multiply(BigDecimal.valueOf((long) HOURS_A_MONTH * tasks))
                .setScale(2, RoundingMode.HALF_UP);
        return new Estimate(region, date, size, tasks, Optional.of(monthly));
    }
}
