package dev.kiban.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One task size Fargate accepts: cpu in CPU units (1024 = one vCPU) and memory in MiB. Fargate takes only
 * these pairs (AWS, "Task CPU and memory", Linux): 0.25 vCPU with 0.5, 1 or 2 GiB; 0.5 vCPU with 1–4 GiB;
 * 1 vCPU with 2–8 GiB; 2 vCPU with 4–16 GiB; 4 vCPU with 8–30 GiB, in 1 GiB steps; 8 vCPU with 16–60 GiB
 * in 4 GiB steps; 16 vCPU with 32–120 GiB in 8 GiB steps. A compose service's limits are rounded up to the
 * first pair that holds them ({@link #fit}).
 */
public record FargateSize(int cpu, int memory) implements Comparable<FargateSize> {
    /** Every valid pair, by cpu then memory: the order {@link #fit} searches. */
    public static final List<FargateSize> ALL = all();

    private static List<FargateSize> all() {
        List<FargateSize> out = new ArrayList<>();
        for (int m : new int[] {512, 1024, 2048}) out.add(new FargateSize(256, m));
        range(out, 512, 1, 4, 1);
        range(out, 1024, 2, 8, 1);
        range(out, 2048, 4, 16, 1);
        range(out, 4096, 8, 30, 1);
        range(out, 8192, 16, 60, 4);
        range(out, 16384, 32, 120, 8);
        return List.copyOf(out);
    }

    private static void range(List<FargateSize> out, int cpu, int fromGib, int toGib, int stepGib) {
        for (int g = fromGib; g <= toGib; g += stepGib) out.add(new FargateSize(cpu, g * 1024));
    }

    /** The largest size there is: a service that needs more cannot run on Fargate. */
    public static FargateSize largest() {
        return ALL.get(ALL.size() - 1);
    }

    public static boolean isValid(int cpu, int memory) {
        return ALL.contains(new FargateSize(cpu, memory));
    }

    /**
     * The smallest valid size with at least {@code cpu} units and {@code memory} MiB: the lowest cpu tier
     * whose memory range reaches the need, then the least memory in it. Since a vCPU costs more than a GiB
     * in every region's price, that is also the cheapest size that holds the need. Empty above 16 vCPU or
     * 120 GiB.
     */
    public static Optional<FargateSize> fit(int cpu, int memory) {
        return ALL.stream().filter(s -> s.cpu >= cpu && s.memory >= memory).findFirst();
    }

    public double vcpu() {
        return cpu / 1024.0;
    }

    public double gib() {
        return memory / 1024.0;
    }

    /** As an operator writes it: {@code 0.25 vCPU / 0.5 GiB}. */
    @Override
    public String toString() {
        return number(vcpu()) + " vCPU / " + number(gib()) + " GiB";
    }

    static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @Override
    public int compareTo(FargateSize o) {
        return cpu != o.cpu ? Integer.compare(cpu, o.cpu) : Integer.compare(memory, o.memory);
    }
}
