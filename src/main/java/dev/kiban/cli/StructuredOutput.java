package dev.kiban.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** JSON and YAML output of reports. Built on first use: most commands print neither. */
final class StructuredOutput {
    private StructuredOutput() {}

    static String json(Object value) {
        try {
            return new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report could not be written as JSON or YAML", e); // a bug: exit 70
        }
    }

    static String yaml(Object value) {
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        try {
            return new ObjectMapper(yaml).registerModule(new Jdk8Module()).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report could not be written as JSON or YAML", e); // a bug: exit 70
        }
    }
}
