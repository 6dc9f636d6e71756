package dev.kiban.monitor;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineEvent;
import dev.kiban.engine.NodeSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The monitor (R6): sweeps at the spec's interval, follows the engine's event stream so a crash is
 * alerted within a second rather than at the next sweep, moves the alert book on, queues notifications
 * in the outbox and delivers them from a thread of their own, and serves the latest metrics. Losing the
 * engine is survived: the event thread reconnects and reconciles with a listing. With a node rule, a thread
 * of its own reads the Swarm's nodes every {@link #NODE_CHECK} between sweeps (one listing, on a manager only).
 */
public final class MonitorAgent implements AutoCloseable {
    /**
     * How often the nodes are read between sweeps. The managers mark a node down after its missed heartbeats
     * (about 5–15 s after its engine stops); with this and the node rule's default {@code for} of none, a node
     * down is told about 20 s after its engine stopped at worst, where the default 30 s sweep alone could take 45 s.
     */
    static final Duration NODE_CHECK = Duration.ofSeconds(5);
    private final Supplier<Engine> connect;
    private final Map<String, Channel> channels;
    private final MonitorState state;
    private final Outbox outbox;
    private final Clock clock;
    private final PrintWriter log;
    private final AlertBook book;
    private final Evaluator evaluator;
    private final ContainerTracker tracker = new ContainerTracker();
    private final Collector collector;
    private final Engine engine;
    private final Object lock = new Object();
    private final Object wake = new Object();
    private final AtomicLong events = new AtomicLong();
    private final Instant started;
    private volatile boolean running = true;
    /** Events older than the last reconciling listing are already in it; the stream replays up to a second of them. */
    private volatile long listedAtNanos;
    private volatile String metrics = "";
    private final List<Thread> threads = new ArrayList<>();
    /** Where each sweep is recorded for the dashboard's graphs; null with monitor.history off. */
    private MetricHistory.Writer history;
    private HostCpu hostCpu;
    private Supplier<Optional<dev.kiban.os.MemInfo>> memory;
    /** The containers' disks, read once per 5 minutes; with the history only. */
    private ContainerDisks disks;
    /** The last failure to read them, logged once until a reading succeeds. */
    private String disksFailure = "";
    /** The history's last failure, logged once until a sweep is recorded again. */
    private String historyFailure = "";

    public MonitorAgent(Engine engine, Supplier<Engine> connect, Collector collector, List<AlertPolicy> policies,
                        Map<String, Channel> channels, MonitorState state, String host, Clock clock, PrintWriter log)
            throws IOException {
        this.engine = engine;
        this.connect = connect;
        this.collector = collector;
        this.channels = channels;
        this.state = state;
        this.outbox = state.outbox();
        this.clock = clock;
        this.log = log;
        this.book = new AlertBook(policies, host);
        this.evaluator = new Evaluator(policies);
        // a damaged alerts.json is set aside, never a reason not to start
        var saved = state.alertsOrSetAside(line -> log.println(clock.instant() + " state: " + line));
        saved.ifPresent(s -> book.restore(s.alerts()));
        // a restarted agent treats exits since its last save (or the last 10 minutes) as news
        this.started = saved.map(MonitorState.Snapshot::updated).orElse(clock.instant().minus(Duration.ofMinutes(10)));
        // a file it cannot read is set aside, never a reason not to start: the other alerts still go out
        for (String q : outbox.recover()) log.println(clock.instant() + " outbox: set aside " + q);
        // said once at start, not only in failed/ after the first alert that could not go out
        channels.values().forEach(c -> {
            if (c instanceof MailChannel mail) {
                mail.refusal().ifPresent(why -> log.println(clock.instant() + " mail will be refused: " + why));
            }
        });
        log.flush();
    }

    /** Records every sweep into {@code history} from now on, the host's figures from /proc; the agent closes it. */
    public MonitorAgent recordHistory(MetricHistory.Writer history) {
        return recordHistory(history, HostCpu.system(), MonitorAgent::memInfo);
    }

    /**
     * Records every sweep into {@code history} from now on (the host's CPU from {@code hostCpu}, its memory from
     * {@code memory}); the agent closes it.
     */
    MonitorAgent recordHistory(MetricHistory.Writer history, HostCpu hostCpu,
                               Supplier<Optional<dev.kiban.os.MemInfo>> memory) {
        this.history = history;
        this.hostCpu = hostCpu;
        this.memory = memory;
        this.disks = new ContainerDisks(engine);
        hostCpu.percent(); // the first reading: the first sweep's host CPU is a rate
        return this;
    }

    private static Optional<dev.kiban.os.MemInfo> memInfo() {
        try {
            return Optional.of(dev.kiban.os.MemInfo.read());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Starts the event and delivery threads; then call {@link #sweep} at the interval (or {@link #runEvery}). */
    public void start() {
        synchronized (lock) {
            listedAtNanos = epochNanos();
            tracker.reconcile(engine.containers(), engine::inspectContainer, started, this::knownDown);
        }
        threads.add(thread("kiban-events", this::followEvents));
        threads.add(thread("kiban-deliver", this::deliverLoop));
        if (!evaluator.nodeRuleNames().isEmpty()) threads.add(thread("kiban-nodes", this::nodeLoop));
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Sweeps every {@code interval} until {@link #close()}. */
    public void runEvery(Duration interval) throws IOException {
        while (running) {
            long next = System.nanoTime() + interval.toNanos();
            sweep();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One full evaluation: collect, read every rule, update the book, queue what is to be said. */
    public Sweep sweep() throws IOException {
        Sweep s = collector.sweep(true);
        if (!s.failures().isEmpty()) {
            s.failures().forEach(f -> log.println(clock.instant() + " not sampled: " + f));
            log.flush();
        }
        synchronized (lock) {
            List<Signal> signals = evaluator.all(s, tracker);
            if (!collector.leading()) signals = evaluator.asFollower(signals);
            List<Notification> out = book.update(clock.instant(), signals, evaluator.evaluated(s), silences());
            queue(out);
            state.saveAlerts(clock.instant(), List.copyOf(book.alerts()));
            DailyReport.recordDisks(state, s);
            metrics = MetricsText.render(s, book.alerts(), safePending(), events.get());
        }
        record(s);
        return s;
    }

    /**
     * Into the history, outside the lock: a slow disk (or the engine slow to size the containers' layers) delays no
     * alert. A failure is logged, never fatal.
     */
    private void record(Sweep s) {
        if (history == null) return;
        Map<String, Long> layers = Map.of();
        try {
            Optional<Map<String, Long>> read = disks.due(clock.instant());
            if (read.isPresent()) {
                layers = read.get();
                disksFailure = "";
            }
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? "an internal error" : e.getMessage();
            if (!why.equals(disksFailure)) {
                log.println(clock.instant() + " containers' disks not read: " + why);
                log.flush();
            }
            disksFailure = why;
        }
        try {
            history.record(s.at(), HistorySamples.of(s, hostCpu.percent(), memory.get(), layers));
            historyFailure = "";
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? "an internal error" : e.getMessage();
            if (!why.equals(historyFailure)) {
                log.println(clock.instant() + " history not recorded: " + why);
                log.flush();
            }
            historyFailure = why;
        }
    }

    /**
     * The node rules alone, from one node listing: between sweeps, so a node going down is told within seconds
     * of the managers marking it so. On a worker there are no nodes; a listing that fails changes nothing (the
     * next sweep names the failure). The alert states are saved only when they changed.
     */
    public void checkNodes() throws IOException {
        Optional<List<NodeSummary>> nodes = collector.nodes(new ArrayList<>());
        if (nodes.isEmpty()) return;
        synchronized (lock) {
            List<Alert> before = List.copyOf(book.alerts());
            List<Signal> signals = evaluator.nodes(nodes.get());
            if (!collector.leading()) signals = evaluator.asFollower(signals);
            queue(book.update(clock.instant(), signals, evaluator.nodeRuleNames(), silences()));
            if (!before.equals(List.copyOf(book.alerts()))) {
                state.saveAlerts(clock.instant(), List.copyOf(book.alerts()));
            }
        }
    }

    private void nodeLoop() {
        while (running) {
            try {
                Thread.sleep(NODE_CHECK.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                checkNodes();
            } catch (IOException | RuntimeException e) {
                if (!running) return;
                log.println(clock.instant() + " node check failed: " + e.getMessage());
                log.flush();
            }
        }
    }

    private int safePending() {
        try {
            return outbox.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private void queue(List<Notification> out) throws IOException {
        if (out.isEmpty()) return;
        for (Notification n : out) {
            outbox.add(n);
            n.lines().forEach(l -> log.println(clock.instant() + " " + l + " -> " + n.channel()));
        }
        log.flush();
        state.record(out);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void followEvents() {
        Engine current = engine;
        long since = clock.instant().getEpochSecond();
        long backoff = 1000;
        while (running) {
            try {
                if (current == null) {
                    current = connect.get();
                    synchronized (lock) {
                        listedAtNanos = epochNanos();
                        tracker.reconcile(current.containers(), current::inspectContainer,
                                Instant.ofEpochSecond(since), this::knownDown);
                        evaluateEvents();
                    }
                    log.println(clock.instant() + " reconnected to the engine; reconciled " + tracker.tracked()
                            + " containers");
                    log.flush();
                    backoff = 1000;
                }
                current.followEvents(since, this::onEvent);
                since = clock.instant().getEpochSecond(); // the stream ended: the engine restarted or closed it
            } catch (RuntimeException | IOException e) {
                if (!running) return;
                log.println(clock.instant() + " lost the engine's event stream (" + e.getMessage()
                        + "); reconnecting in " + backoff / 1000 + " s");
                log.flush();
                if (current != engine && current != null) current.close();
                current = null;
                since = clock.instant().getEpochSecond() - 1;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException x) {
                    return;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        }
    }

    /**
     * Whether the book holds a container-down alert for this subject (restored from a previous agent, or
     * raised before a reconnect).
     */
    private boolean knownDown(String subject) {
        return book.alerts().stream().anyMatch(a -> a.key().subject().equals(subject)
                && evaluator.downRuleNames().contains(a.key().rule()));
    }

    private long epochNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void onEvent(EngineEvent e) {
        events.incrementAndGet();
        if (e.timeNanos() > 0 && e.timeNanos() < listedAtNanos) return;
        collector.invalidate(e.id());
        synchronized (lock) {
            if (tracker.onEvent(e, clock.instant())) {
                try {
                    evaluateEvents();
                } catch (IOException x) {
                    log.println(clock.instant() + " could not queue a notification: " + x.getMessage());
                    log.flush();
                }
            }
        }
    }

    /** The silences; a damaged silences.json is set aside and the sweep goes on without silences. */
    private List<Silence> silences() throws IOException {
        return state.silencesOrSetAside(line -> {
            log.println(clock.instant() + " state: " + line);
            log.flush(); // said now, not at the next line something else logs
        });
    }

    /** The event rules alone, at once: a crash does not wait for the next sweep. */
    private void evaluateEvents() throws IOException {
        queue(book.update(clock.instant(), evaluator.events(tracker, clock.instant()), evaluator.eventRuleNames(),
                silences()));
        state.saveAlerts(clock.instant(), List.copyOf(book.alerts()));
    }

    private void deliverLoop() {
        while (running) {
            try {
                Outbox.Report r = outbox.drain(channels, clock.instant());
                r.delivered().forEach(d -> log.println(clock.instant() + " delivered " + d));
                r.retrying().forEach(d -> log.println(clock.instant() + " will retry " + d));
                r.rejected().forEach(d -> log.println(clock.instant() + " REFUSED " + d));
                r.quarantined().forEach(d -> log.println(clock.instant() + " outbox: set aside " + d));
                log.flush();
            } catch (IOException | RuntimeException e) {
                // the outbox's own errors name files, not secrets; a class name is no use to an operator
                String why = e.getMessage() == null ? "an internal error" : e.getMessage();
                log.println(clock.instant() + " delivery failed: " + why);
                log.flush();
            }
            synchronized (wake) {
                try {
                    wake.wait(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    public String metrics() {
        return metrics;
    }

    public List<Alert> alerts() {
        synchronized (lock) {
            return List.copyOf(book.alerts());
        }
    }

    /** Stops the threads; closes the engine too, which is what ends a blocked read of the event stream. */
    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        collector.close();
        engine.close();
        if (history != null) {
            try {
                history.close();
            } catch (IOException e) {
                log.println(clock.instant() + " history: " + e.getMessage());
                log.flush();
            }
        }
    }
}
