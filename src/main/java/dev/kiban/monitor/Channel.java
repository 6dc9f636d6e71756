package dev.kiban.monitor;

/** Somewhere notifications go: Discord, mail, a JSON webhook. Implementations never log their secrets. */
public interface Channel {
    String name();

    /** Sends one notification; never throws for the receiver's answers, only reports them. */
    Delivery send(Notification n, boolean redelivery);
}
