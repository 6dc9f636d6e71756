package dev.kiban.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every file of a migration, by its path under {@code --out}, rendered and nothing written: the report,
 * the Terraform module and a task definition per service. Pure; the command writes the whole set into
 * a fresh directory and moves it into place, so {@code --out} is never half-written.
 */
public final class MigrationOutput {
    /** Marks a directory kiban migrate wrote, the only kind {@code --force} replaces. */
    public static final String MARKER = ".kiban-migrate";

    private MigrationOutput() {}

    public static Map<String, String> files(List<StackMigration> stacks, MigrationReport report) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(MARKER, "written by kiban migrate ecs; kiban migrate ecs --force replaces this directory\n");
        out.put("REPORT.md", report.markdown());
        try {
            out.put("report.json", TaskDefinitionJson.JSON.writeValueAsString(report.json()) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.put("terraform/main.tf.json", TerraformJson.main(report.cluster(), report.region(), report.express(),
                report.secrets()));
        for (StackMigration s : stacks) {
            out.put("terraform/" + TerraformJson.id(s.stack()) + ".tf.json", TerraformJson.stack(s, report.express(),
                    report.secrets()));
            for (EcsService svc : s.services()) {
                out.put("task-definitions/" + s.stack() + "/" + TerraformJson.id(svc.name()) + ".json",
                        TaskDefinitionJson.render(svc.task(), TaskDefinitionJson.placeholders(report.region(),
                                report.cluster(), TerraformJson.id(s.stack()), report.secrets())));
            }
        }
        return out;
    }
}
