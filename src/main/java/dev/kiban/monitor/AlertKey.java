package dev.kiban.monitor;

/** What an alert is about: a rule and its subject (a container, a service, a filesystem). */
public record AlertKey(String rule, String subject) implements Comparable<AlertKey> {
    @Override
    public String toString() {
        return rule + "/" + subject;
    }

    @Override
    public int compareTo(AlertKey o) {
        return toString().compareTo(o.toString());
    }
}
