package io.pgpartition.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition --version} prints the version the build gave the project. */
class VersionTest {

    @Test
    void versionIsTheProjectVersion() {
        String expected = System.getProperty("pgpartition.expected.version");
        assertThat(expected).as("set by the build").isNotBlank().doesNotContain("${");
        StringWriter out = new StringWriter();
        CommandLine commandLine = PgPartitionCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));

        int exit = commandLine.execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("pgpartition " + expected + "\n");
    }
}
