package dev.kiban.monitor;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SecretRef;
import dev.kiban.spec.SpecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec's channels made real: secrets resolved (env:, file:), recipients defaulting to the admin's
 * address. A channel a rule names but the spec cannot make (a placeholder webhook) is an error naming
 * the key, so an agent never runs with alerts nobody can receive.
 */
public final class ChannelSettings {
    private ChannelSettings() {}

    public static Map<String, Channel> of(PlatformSpec spec, Map<String, String> env, List<String> wanted) {
        Map<String, Channel> out = new LinkedHashMap<>();
        var ch = spec.monitor().channels();
        for (String name : wanted) {
            switch (name) {
                case "discord" -> out.put(name, new DiscordChannel(ch.discord().webhook()
                        .reveal("monitor.channels.discord.webhook", env)));
                case "mail" -> {
                    var m = ch.mail();
                    List<String> to = m.to().isEmpty() ? List.of(spec.admin().email()) : m.to();
                    if (to.stream().anyMatch(dev.kiban.spec.Placeholder::is)) {
                        throw new SpecException("monitor.channels.mail.to (or admin.email) is still a placeholder");
                    }
                    String password = m.password().map(p -> p.reveal("monitor.channels.mail.password", env)).orElse("");
                    MailChannel.Tls tls = MailChannel.Tls.of(m.smtpPort(), m.starttls());
                    out.put(name, new MailChannel(new MailChannel.Settings(m.smtpHost(), m.smtpPort(), tls,
                            m.username().orElse(""), password, m.from(), to)));
                }
                case "webhook" -> {
                    Optional<SecretRef> url = ch.webhook().url();
                    if (url.isEmpty()) throw new SpecException("monitor.channels.webhook.url is not set");
                    out.put(name, new WebhookChannel(url.get().reveal("monitor.channels.webhook.url", env)));
                }
                default -> throw new SpecException("no channel " + name + " (channels: discord, mail, webhook)");
            }
        }
        return out;
    }

    /**
     * Whether {@code channel} takes a secret from an environment variable that {@code env} lacks: such a
     * secret is the agent's environment's to give, so a check made elsewhere cannot judge the channel.
     */
    public static boolean needsAbsentEnvironment(PlatformSpec spec, String channel, Map<String, String> env) {
        var ch = spec.monitor().channels();
        List<SecretRef> refs = switch (channel) {
            case "discord" -> List.of(ch.discord().webhook());
            case "mail" -> ch.mail().password().stream().toList();
            case "webhook" -> ch.webhook().url().stream().toList();
            default -> List.of();
        };
        return refs.stream().anyMatch(r -> r.kind() == SecretRef.Kind.ENV
                && (env.get(r.value()) == null || env.get(r.value()).isEmpty()));
    }

    /** The channels the spec's rules send to. */
    public static List<String> used(PlatformSpec spec) {
        return spec.monitor().rules().stream().flatMap(r -> r.channels().stream()).distinct().toList();
    }
}
