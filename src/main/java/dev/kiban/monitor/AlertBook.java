package dev.kiban.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every alert's state, moved on by each sweep's signals (pure: the clock is an argument). A breach
 * makes an alert pending; after the rule's {@code for} it fires; a firing alert is sent again every
 * {@code repeat}; it resolves when its value falls under the clear level or its subject is gone. The
 * events of one update are grouped into one {@link Notification} per channel; silenced alerts are kept
 * but not sent.
 */
public final class AlertBook {
    private final Map<String, AlertPolicy> policies = new LinkedHashMap<>();
    private final Map<AlertKey, Alert> alerts = new TreeMap<>();
    private final String host;

    public AlertBook(List<AlertPolicy> policies, String host) {
        policies.forEach(p -> this.policies.put(p.name(), p));
        this.host = host;
    }

    /** The alerts pending or firing, by key. */
    public Collection<Alert> alerts() {
        return List.copyOf(alerts.values());
    }

    /** Restores the states saved by a previous agent, so a restart neither re-fires nor forgets. */
    public void restore(Collection<Alert> saved) {
        saved.stream().filter(a -> policies.containsKey(a.key().rule())).forEach(a -> alerts.put(a.key(), a));
    }

    /**
     * Applies one sweep. {@code rules} are the rules the sweep evaluated: an alert of such a rule whose
     * subject gave no signal is gone (a removed container, an unmounted disk) and resolves; alerts of
     * rules not evaluated this time keep their state.
     */
    public List<Notification> update(Instant now, Collection<Signal> signals, Collection<String> rules,
            List<Silence> silences) {
        List<AlertEvent> events = new ArrayList<>();
        Map<AlertKey, Signal> seen = new LinkedHashMap<>();
        signals.forEach(s -> seen.put(s.key(), s));
        for (Signal s : seen.values()) {
            AlertPolicy p = policies.get(s.key().rule());
            if (p == null) continue;
            Alert a = alerts.get(s.key());
            switch (s.level()) {
                case BREACHED -> {
                    if (a == null) a = new Alert(s.key(), Alert.State.PENDING, now, null, null, s.value(), s.summary(),
                            p.channels());
                    if (a.state() == Alert.State.PENDING && !now.isBefore(a.since().plus(p.forDuration()))) {
                        a = a.with(Alert.State.FIRING, now, now, s.value(), s.summary());
                        events.add(new AlertEvent(AlertEvent.Kind.FIRING, a.key(), s.value(), s.summary(),
                                a.since(), now));
                    } else if (a.state() == Alert.State.FIRING && !now.isBefore(a.lastSent().plus(p.repeat()))) {
                        a = a.with(Alert.State.FIRING, a.firedAt(), now, s.value(), s.summary());
                        events.add(new AlertEvent(AlertEvent.Kind.REPEAT, a.key(), s.value(), s.summary(),
                                a.since(), now));
                    } else {
                        a = a.with(a.state(), a.firedAt(), a.lastSent(), s.value(), s.summary());
                    }
                    alerts.put(a.key(), a);
                }
                case HOLD -> {
                    if (a != null) alerts.put(a.key(), a.with(a.state(), a.firedAt(), a.lastSent(), s.value(),
                            s.summary()));
                }
                case CLEAR -> resolve(a, now, s.value(), s.summary(), events);
            }
        }
        for (Alert a : List.copyOf(alerts.values())) {
            if (rules.contains(a.key().rule()) && !seen.containsKey(a.key())) resolve(a, now, a.value(), "gone ("
                    + a.key().subject() + " is no longer there)", events);
        }
        return notifications(now, events, silences);
    }

    private void resolve(Alert a, Instant now, double value, String summary, List<AlertEvent> events) {
        if (a == null) return;
        alerts.remove(a.key());
        // a pending alert that never fired resolves silently: nobody was told it began
        if (a.state() == Alert.State.FIRING) events.add(new AlertEvent(AlertEvent.Kind.RESOLVED, a.key(), value,
                summary, a.since(), now));
    }

    private List<Notification> notifications(Instant now, List<AlertEvent> events, List<Silence> silences) {
        Map<String, List<AlertEvent>> byChannel = new TreeMap<>();
        for (AlertEvent e : events) {
            if (silences.stream().anyMatch(s -> s.matches(e.key(), now))) continue;
            for (String channel : policies.get(e.key().rule()).channels()) byChannel.computeIfAbsent(channel,
                    c -> new ArrayList<>()).add(e);
        }
        List<Notification> out = new ArrayList<>();
        byChannel.forEach((channel, list) -> out.add(new Notification(id(now), channel, host, now, List.copyOf(list),
                false)));
        return out;
    }

    static String id(Instant now) {
        return now.toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Alerts by state, for listings. */
    public Map<Alert.State, List<Alert>> byState() {
        return alerts.values().stream().collect(Collectors.groupingBy(Alert::state, TreeMap::new, Collectors.toList()));
    }
}
