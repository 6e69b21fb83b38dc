package io.pgpartition.cli;

import io.pgpartition.PartitioningException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.sql.SQLException;

/**
 * {@code pgpartition}: PostgreSQL partition reports and maintenance from the command line.
 */
@Command(name = "pgpartition", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "PostgreSQL declarative partitioning: report layouts, maintain partitions, check them for monitoring, "
                + "guard them in the server, convert plain tables online, reshape partitions online.",
        subcommands = {ReportCommand.class, MaintainCommand.class, CheckCommand.class, GuardCommand.class, ConvertCommand.class,
                RepartitionCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Success.", "1:The database refused or pgpartition found a problem; the message says which.",
                "2:Invalid command-line usage.", "3:check, guard verify or convert analyze found what it looks for; each finding is printed."})
public final class PgPartitionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, with errors from the database reported as one line and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PgPartitionCommand());
        hide(commandLine, "check", PolicyOptions.CHANGING_ONLY); // accepted, so that maintain's options can be shared
        hide(commandLine, "convert", ConvertCommand.NOT_USED); // policy options a conversion has no use for (refused)
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println("pgpartition: " + exception.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof PartitioningException || exception instanceof SQLException) {
                cmd.getErr().println("pgpartition: " + exception.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw exception;
        });
        return commandLine;
    }

    /** Keeps a subcommand's options out of its help while it still parses them. */
    private static void hide(CommandLine commandLine, String subcommand, java.util.List<String> names) {
        CommandLine.Model.CommandSpec spec = commandLine.getSubcommands().get(subcommand).getCommandSpec();
        for (String name : names) {
            CommandLine.Model.OptionSpec option = spec.findOption(name);
            spec.remove(option);
            spec.addOption(CommandLine.Model.OptionSpec.builder(option).hidden(true).build());
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of report, maintain, check, guard, convert, repartition, help");
    }
}
