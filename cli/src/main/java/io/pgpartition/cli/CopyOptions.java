package io.pgpartition.cli;

import io.pgpartition.PartitioningException;
import io.pgpartition.maintenance.MaintenanceOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How the online commands ({@code convert}, {@code repartition}) copy rows: rows per transaction and the pause between. */
final class CopyOptions {

    @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "10000",
            description = "Rows copied per transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "0ms",
            description = "Pause between two batches, leaving the server to other work (default: ${DEFAULT-VALUE}).")
    String pause;

    /** The batch size, refused below one row. */
    int batchSize(CommandLine commandLine) {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --batch-size " + batchSize + ": expected 1 or more rows");
        }
        return batchSize;
    }

    Duration pause(CommandLine commandLine) {
        try {
            return MaintenanceOptions.parseDuration(pause, "--pause");
        } catch (PartitioningException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
