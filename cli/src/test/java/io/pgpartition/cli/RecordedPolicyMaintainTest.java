package io.pgpartition.cli;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One policy for the application and the command line: the application records what its annotations declare, and
 * {@code pgpartition maintain} without policy options creates exactly what the application's own startup maintenance
 * creates.
 */
@HibernateTest
class RecordedPolicyMaintainTest {

    @Entity(name = "Visit")
    @Table(name = "rpm_visits")
    @PartitionedBy(range = "visitedOn")
    @RangePartitions(interval = "1 month", premake = 4, naming = "{table}_{yyyy}m{MM}", defaultPartition = true)
    static class Visit {
        @Id Long id;
        @Column(name = "visited_on", nullable = false) java.time.LocalDate visitedOn;
    }

    private final CliRun cli = new CliRun();

    @Test
    void maintainWithoutOptionsDoesWhatTheApplicationsStartupMaintenanceDoes(TestDatabase db, SessionFactoryScope scope) throws Exception {
        db.execute("CREATE TABLE rpm_visits (id bigint NOT NULL, visited_on date NOT NULL) PARTITION BY RANGE (visited_on)",
                "CREATE TABLE rpm_visits_default PARTITION OF rpm_visits DEFAULT");
        try (SessionFactory application = scope.build(Visit.class)) {
            assertThat(partitions(db)).as("the application maintains nothing by default").isEmpty();
        }

        assertThat(cli.run(db, "maintain")).as("printed:%n%s%s", cli.out, cli.err).isZero();
        assertThat(cli.out.toString()).startsWith("policy from the database: public.rpm_visits: --interval '1 month' --premake 4 "
                + "--naming '{table}_{yyyy}m{MM}' --default-partition (recorded by hibernate at ");
        List<String> byTheCommandLine = partitions(db);
        assertThat(byTheCommandLine).as("this month and four ahead").hasSize(5).allMatch(name -> name.matches("rpm_visits_\\d{4}m\\d{2}"));

        for (String partition : byTheCommandLine) {
            db.execute("DROP TABLE " + partition);
        }
        try (SessionFactory application = scope.build(Map.of("pgpartition.maintenance", "apply"), Visit.class)) {
            assertThat(partitions(db)).as("the application's startup maintenance creates the same").isEqualTo(byTheCommandLine);
        }

        assertThat(cli.run(db, "maintain", "rpm_visits", "--dry-run")).isZero();
        assertThat(cli.out.toString()).as("nothing left to do, said as SQL comments in the script")
                .startsWith("-- policy from the database: public.rpm_visits: --interval '1 month'");
        assertThat(cli.run(db, "report", "rpm_visits")).isZero();
        assertThat(cli.out.toString()).as("the report says which policy maintain and check use, and who recorded it")
                .contains("\npolicies recorded by the application (maintain and check use them without options)\n"
                        + "  public.rpm_visits: --interval '1 month' --premake 4 --naming '{table}_{yyyy}m{MM}' --default-partition "
                        + "(recorded by hibernate at ");
        assertThat(cli.run(db, "check", "rpm_visits")).as("check uses it too").isZero();
        assertThat(cli.out.toString()).startsWith("policy from the database: public.rpm_visits:");
        db.execute("CREATE TABLE rpm_plain (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE rpm_plain_default PARTITION OF rpm_plain DEFAULT", "INSERT INTO rpm_plain VALUES (1, '2030-01-01')");
        assertThat(cli.run(db, "check", "rpm_visits", "rpm_plain")).as("a table without a recorded policy is checked for what "
                + "needs none, beside the one with a policy").isEqualTo(CheckCommand.PROBLEM);
        assertThat(cli.out.toString()).startsWith("policy from the database: public.rpm_visits:")
                .contains("\n[DEFAULT_HAS_ROWS] Default partition public.rpm_plain_default of public.rpm_plain holds 1 row").doesNotContain("OK");
        assertThat(cli.run(db, "check")).as("and without names: every recorded policy, every other table").isEqualTo(CheckCommand.PROBLEM);
        assertThat(cli.out.toString()).startsWith("policy from the database: public.rpm_visits:").contains("rpm_plain_default");
        db.execute("DROP TABLE rpm_plain");

        assertThat(cli.run(db, "maintain", "rpm_visits", "--interval", "1 month", "--premake", "6", "--naming", "{table}_{yyyy}m{MM}",
                "--default-partition", "--dry-run")).isZero();
        assertThat(cli.out.toString()).as("options that disagree are used, and the difference said")
                .startsWith("-- note: the options given for public.rpm_visits differ from the policy the application recorded, and "
                        + "are used: public.rpm_visits: --interval '1 month' --premake 4 ");
    }

    @Test
    void withoutOptionsAndWithoutARecordedPolicyTheCommandSaysHowToGetOne(TestDatabase db) {
        db.execute("CREATE TABLE rpm_unrecorded (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)");
        assertThat(cli.run(db, "maintain", "rpm_unrecorded")).isEqualTo(2);
        assertThat(cli.err.toString()).isEqualTo("pgpartition: No policy options (--interval, --list or --hash-modulus) and no "
                + "policy recorded in the database for rpm_unrecorded: give the options, or start the application once with "
                + "pgpartition.policies=record (the default), which records the policies its annotations declare\n"
                + "Try 'pgpartition maintain --help' for more information.\n");
    }

    private static List<String> partitions(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'rpm_visits'::regclass AND c.relname <> 'rpm_visits_default' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
