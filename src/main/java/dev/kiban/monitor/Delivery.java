package dev.kiban.monitor;

import java.time.Duration;

/** What a channel made of one send: delivered, try again after a while, or refused for good. */
public sealed interface Delivery {
    record Delivered(String detail) implements Delivery {}

    /**
     * A transient failure (429, 5xx, connection refused): the outbox keeps the notification; {@code after}
     * zero: the outbox's back-off decides.
     */
    record Retry(Duration after, String reason) implements Delivery {}

    /**
     * The receiver will never take it (a 400 after truncation, a 5xx SMTP reply). {@code channelGone}: the
     * channel itself no longer exists (Discord's 404 for a deleted webhook); nothing more goes to it.
     */
    record Rejected(String reason, boolean channelGone) implements Delivery {}
}
