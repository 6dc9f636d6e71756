package dev.kiban.cli;

import dev.kiban.spec.TimeSpan;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration option ({@code --timeout 10m}, {@code --for 2h}) in the spec's notation. A bad one is a
 * usage error (exit 2) naming the option, through picocli's parameter error path.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return TimeSpan.parse(value).duration();
        } catch (IllegalArgumentException e) {
            // TimeSpan's message is the operator's sentence (the value shown safely), no class name
            throw new TypeConversionException(e.getMessage());
        }
    }
}
