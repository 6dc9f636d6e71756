package dev.kiban.migrate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * Reads a task definition kiban wrote into the AWS SDK v2's own ECS model (its serializable builder, the
 * way the SDK documents Jackson use), failing on any field the model does not have, and writes the model
 * back out by the SDK's own member names, so a test can compare the two.
 */
final class EcsModelRoundTrip {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    private EcsModelRoundTrip() {}

    static RegisterTaskDefinitionRequest read(JsonNode json) throws Exception {
        RegisterTaskDefinitionRequest.Builder b = (RegisterTaskDefinitionRequest.Builder) STRICT.treeToValue(json,
                RegisterTaskDefinitionRequest.serializableBuilderClass());
        return b.build();
    }

    /** The model as plain maps and lists under the SDK's JSON member names, unset members left out. */
    static Object plain(Object v) {
        if (v instanceof SdkPojo p) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (SdkField<?> f : p.sdkFields()) {
                Object x = f.getValueOrDefault(p);
                if (x == null || x instanceof SdkAutoConstructList<?> || x instanceof SdkAutoConstructMap<?, ?>) {
                    continue;
                }
                m.put(f.locationName(), plain(x));
            }
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(i -> out.add(plain(i)));
            return out;
        }
        if (v instanceof Map<?, ?> mm) {
            Map<Object, Object> out = new LinkedHashMap<>();
            mm.forEach((k, x) -> out.put(k, plain(x)));
            return out;
        }
        return v;
    }
}
