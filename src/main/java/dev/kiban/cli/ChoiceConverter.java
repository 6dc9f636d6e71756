package dev.kiban.cli;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option that takes one of a few words, each an enum constant in lower case. A word not among them
 * goes through picocli's parameter error path: a usage error (exit 2) naming the option.
 */
abstract class ChoiceConverter<E extends Enum<E>> implements ITypeConverter<E> {
    private final Map<String, E> byWord = new LinkedHashMap<>();

    ChoiceConverter(Collection<E> choices) {
        choices.forEach(c -> byWord.put(word(c), c));
    }

    /** The word an operator types for {@code choice}. */
    static String word(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public E convert(String value) {
        E choice = byWord.get(value);
        if (choice == null) throw new TypeConversionException("expected " + words() + ", not " + SpecText.shown(value));
        return choice;
    }

    private String words() {
        List<String> all = new ArrayList<>(byWord.keySet());
        String last = all.remove(all.size() - 1);
        return all.isEmpty() ? last : String.join(", ", all) + " or " + last;
    }

    /** {@code --family}: AUTO is the spec's default, not something to ask for on the command line. */
    static final class FamilyChoice extends ChoiceConverter<PlatformSpec.Family> {
        FamilyChoice() {
            super(List.of(PlatformSpec.Family.RHEL, PlatformSpec.Family.DEBIAN));
        }
    }

    static final class BackupSourceChoice extends ChoiceConverter<PlatformSpec.BackupSource> {
        BackupSourceChoice() {
            super(List.of(PlatformSpec.BackupSource.values()));
        }
    }

    static final class ReportFormatChoice extends ChoiceConverter<VerifyCommand.ReportFormat> {
        ReportFormatChoice() {
            super(List.of(VerifyCommand.ReportFormat.values()));
        }
    }

    static final class CheckGroupChoice extends ChoiceConverter<VerifyCommand.CheckGroup> {
        CheckGroupChoice() {
            super(List.of(VerifyCommand.CheckGroup.values()));
        }
    }
}
