package dev.kiban.cli;

import dev.kiban.failure.UsageException;
import dev.kiban.os.BackupLog;
import dev.kiban.os.RoutineLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "record", mixinStandardHelpOptions = true,
        header = "Append a job's run to its log (its unit's ExecStopPost=).",
        description = {"Reads how the run ended from systemd's $SERVICE_RESULT, $EXIT_CODE and $EXIT_STATUS and "
                + "appends one line, '<UTC time> OK|FAILED <job>: …' (the backup log's format), to "
                + "<maintenance.logs>/<JOB>.log. Without $SERVICE_RESULT (run by hand) the run counts as failed.", ""})
final class RoutineRecordCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "image-prune, backup-verify or engine-update.")
    String job;

    RoutineRecordCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        RoutineLog routine = RoutineLog.of(job).orElseThrow(() -> new UsageException("no job " + job + " (one of "
                + Arrays.stream(RoutineLog.values()).map(RoutineLog::job).collect(Collectors.joining(", ")) + ")"));
        Path logs = Path.of(SpecLoading.spec(spec).require().maintenance().logs().value());
        Map<String, String> env = context.environment();
        BackupLog.Line line = routine.line(Instant.now(), env.get("SERVICE_RESULT"), env.get("EXIT_CODE"),
                env.get("EXIT_STATUS"));
        new BackupLog(routine.file(logs)).append(line);
        spec.commandLine().getOut().println(line.format());
        return ExitCode.OK;
    }
}
