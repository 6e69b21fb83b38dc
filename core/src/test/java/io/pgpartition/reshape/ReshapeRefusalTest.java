package io.pgpartition.reshape;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.RealTablesConversionTest;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static io.pgpartition.conversion.TableConversionTest.count;
import static io.pgpartition.reshape.PartitionReshapeTest.leftovers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a reshape refuses, before it changes anything, with the reason and the way out. */
@PostgresTest
class ReshapeRefusalTest {

    @BeforeAll
    static void tables(TestDatabase db) {
        db.execute("CREATE TABLE bills (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE bills_p202401 PARTITION OF bills FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE bills_p202402 PARTITION OF bills FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE bills_p202404 PARTITION OF bills FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                "CREATE TABLE bills_odd PARTITION OF bills FOR VALUES FROM ('2024-05-03') TO ('2024-06-01')",
                "CREATE TABLE bills_nested PARTITION OF bills FOR VALUES FROM ('2024-06-01') TO ('2024-07-01') PARTITION BY LIST (id)",
                "CREATE TABLE bills_nested_all PARTITION OF bills_nested DEFAULT",
                "CREATE TABLE bills_default PARTITION OF bills DEFAULT",
                "INSERT INTO bills VALUES (1, '2024-01-05'), (2, '2024-05-02'), (3, '2024-08-09')",
                "CREATE TABLE keyless (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE keyless_p202401 PARTITION OF keyless FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE plain (id bigint PRIMARY KEY)");
    }

    private static void refused(TestDatabase db, ReshapeSpec spec, String message) throws Exception {
        try (Connection connection = db.connection()) {
            assertThatThrownBy(() -> new PartitionReshape(spec).run(connection, ConversionProgress.NONE))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.RESHAPE_BLOCKED))
                    .hasMessage(message);
            assertThat(leftovers(connection)).as("nothing was made").isEmpty();
        }
    }

    @Test
    void mergesOnlyAdjacentPartitions(TestDatabase db) throws Exception {
        refused(db, ReshapeSpec.merge(TableName.of("bills"), List.of(TableName.of("bills_p202401"), TableName.of("bills_p202404"))),
                "Cannot merge bills_p202401, bills_p202404 of bills: public.bills_p202401 FOR VALUES FROM ('2024-01-01') TO "
                        + "('2024-02-01') and public.bills_p202404 FOR VALUES FROM ('2024-04-01') TO ('2024-05-01') are not adjacent (a gap "
                        + "between them): merged partitions must cover one range without a gap. Fix: name every partition in between "
                        + "too. Nothing was changed.");
    }

    @Test
    void splitsOnlyIntoPiecesThatTileThePartition(TestDatabase db) throws Exception {
        refused(db, ReshapeSpec.split(TableName.of("bills"), TableName.of("bills_p202401"), "1 week"),
                "Cannot split bills_p202401 of bills: public.bills_p202401 FOR VALUES FROM ('2024-01-01') TO ('2024-02-01') does not "
                        + "end where a period of 1 week ends, so its pieces would not tile it exactly. Fix: another --interval. "
                        + "Nothing was changed.");
        refused(db, ReshapeSpec.split(TableName.of("bills"), TableName.of("bills_odd"), "1 week"),
                "Cannot split bills_odd of bills: public.bills_odd FOR VALUES FROM ('2024-05-03') TO ('2024-06-01') does not begin where "
                        + "a period of 1 week begins, so its pieces would not tile it exactly. Fix: another --interval. Nothing was changed.");
        refused(db, ReshapeSpec.split(TableName.of("bills"), TableName.of("bills_odd"), "1 day").withNaming("{table}_p{yyyy}{MM}"),
                "Cannot split bills_odd of bills: the naming {table}_p{yyyy}{MM} gives two new partitions the name bills_p202405. "
                        + "Fix: --naming with the tokens that tell periods of 1 day apart, such as {table}_p{yyyy}{MM}{dd}. Nothing was "
                        + "changed.");
        refused(db, ReshapeSpec.split(TableName.of("bills"), TableName.of("bills_default"), "1 day"),
                "Cannot split bills_default of bills: public.bills_default is the default partition; a split cuts a RANGE partition "
                        + "by an interval. Fix: pgpartition repartition drain public.bills moves its rows into new partitions. Nothing "
                        + "was changed.");
    }

    @Test
    void leavesSubPartitionedPartitionsToTheirOwnReshape(TestDatabase db) throws Exception {
        refused(db, ReshapeSpec.split(TableName.of("bills"), TableName.of("bills_nested"), "1 day"),
                "Cannot split bills_nested of bills: public.bills_nested is itself partitioned; its own partitions are reshaped with "
                        + "it as the table. Fix: pgpartition repartition split public.bills_nested <its partitions>. Nothing was changed.");
    }

    @Test
    void namesWhatIsNotAPartitionOrNotPartitioned(TestDatabase db) throws Exception {
        refused(db, ReshapeSpec.merge(TableName.of("bills"), List.of(TableName.of("bills_p202401"), TableName.of("bills_p209912"))),
                "Cannot merge bills_p202401, bills_p209912 of bills: bills_p209912 is not one of its partitions. Fix: pgpartition "
                        + "report public.bills lists them. Nothing was changed.");
        refused(db, ReshapeSpec.drain(TableName.of("plain"), "1 month"),
                "Cannot drain the partitions of plain: public.plain is not a partitioned table. Fix: pgpartition convert run "
                        + "public.plain turns a plain table into one. Nothing was changed.");
    }

    @Test
    void needsAPrimaryKeyToFollowTheWrites(TestDatabase db) throws Exception {
        refused(db, ReshapeSpec.split(TableName.of("keyless"), TableName.of("keyless_p202401"), "1 day"),
                "Cannot split keyless_p202401 of keyless: it has no primary key (nor a unique constraint on NOT NULL columns), so the "
                        + "writes made while the rows are copied cannot be told apart. Fix: add a primary key that includes the "
                        + "partition key at: ALTER TABLE \"public\".\"keyless\" ADD PRIMARY KEY (id, \"at\"). Nothing was changed.");
    }

    @Test
    void drainsOnlyIntoPeriodsThatFitBesideTheExistingPartitions(TestDatabase db) throws Exception {
        try (Connection connection = db.connection()) {
            assertThat(count(connection, "SELECT count(*) FROM bills_default")).as("rows of May 2nd and August sit in the default")
                    .isEqualTo(2);
        }
        refused(db, ReshapeSpec.drain(TableName.of("bills"), "1 month"),
                "Cannot drain the partitions of bills: the period FOR VALUES FROM ('2024-05-01') TO ('2024-06-01') of 1 month "
                        + "overlaps public.bills_odd FOR VALUES FROM ('2024-05-03') TO ('2024-06-01'), so rows of public.bills_default in it "
                        + "cannot get a partition of that interval. Fix: drain with the interval of the existing partitions (--interval), "
                        + "or split or merge public.bills_odd to align it first. Nothing was changed.");
    }

    @Test
    void refusesWhileAnotherRunHoldsTheTable(TestDatabase db) throws Exception {
        try (Connection holder = db.connection()) {
            try (java.sql.Statement statement = holder.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + io.pgpartition.maintenance.PartitionMaintenance.ADVISORY_LOCK_CLASS
                        + ", hashtext('\"public\".\"bills\"'))");
            }
            refused(db, ReshapeSpec.merge(TableName.of("bills"), List.of(TableName.of("bills_p202401"), TableName.of("bills_p202402"))),
                    "Another run maintains or reshapes public.bills (it holds pg_advisory_lock(" + 0x7067706d + ", hashtext('\"public\".\"bills\"'))). "
                            + "Nothing was changed. Fix: let it finish; pgpartition repartition status public.bills shows a reshape under way.");
        }
    }

    @Test
    void refusesWhatItsRoleCouldNotDoWhole(TestDatabase db) throws Exception {
        String owner = RealTablesConversionTest.loginRole(db, "forced");
        String stranger = RealTablesConversionTest.loginRole(db, "stranger");
        db.execute("SET ROLE " + owner,
                "CREATE TABLE forced (id bigint NOT NULL, at date NOT NULL, tenant int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE forced_p202401 PARTITION OF forced FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE forced_p202402 PARTITION OF forced FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "ALTER TABLE forced_p202401 ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE forced_p202401 FORCE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_one ON forced_p202401 USING (tenant = 1)",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON forced TO " + stranger,
                "RESET ROLE");
        try (Connection connection = RealTablesConversionTest.as(db, owner)) {
            assertThatThrownBy(() -> new PartitionReshape(ReshapeSpec.split(TableName.of("forced"), TableName.of("forced_p202401"), "1 day"))
                    .run(connection, ConversionProgress.NONE))
                    .hasMessage("Cannot split forced_p202401 of forced: public.forced_p202401 has FORCE ROW LEVEL SECURITY, so its policies "
                            + "apply to role " + owner + " too: the copy and the verification would see only the rows they show. Fix: "
                            + "run it as a role that bypasses row-level security (ALTER ROLE \"" + owner + "\" BYPASSRLS, as a superuser) "
                            + "or as a superuser. Nothing was changed.");
        }
        try (Connection connection = RealTablesConversionTest.as(db, stranger)) {
            assertThatThrownBy(() -> new PartitionReshape(ReshapeSpec.split(TableName.of("forced"), TableName.of("forced_p202402"), "1 day"))
                    .run(connection, ConversionProgress.NONE))
                    .hasMessage("Cannot split forced_p202402 of forced: role " + stranger + " does not own public.forced (its owner is "
                            + owner + "): detaching and attaching partitions takes the owner. Fix: run it as " + owner + ", a member "
                            + "of it, or a superuser. Nothing was changed.");
        }
        try (Connection connection = db.connection()) {
            assertThat(leftovers(connection)).isEmpty();
        }
    }

    @Test
    void waitsForAConversionToBeCleanedUp(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE converted (id bigint PRIMARY KEY, at date NOT NULL)",
                "INSERT INTO converted SELECT g, date '2026-11-01' + g % 20 FROM generate_series(1, 100) g");
        try (Connection connection = db.connection()) {
            new io.pgpartition.conversion.TableConversion(io.pgpartition.conversion.ConversionSpec.of(TableName.of("converted"), "at",
                    io.pgpartition.policy.RangePolicy.monthly().premake(1).build())).run(connection,
                    java.time.Instant.parse("2026-11-21T10:00:00Z"), ConversionProgress.NONE);
        }
        try (Connection connection = db.connection()) {
            assertThatThrownBy(() -> new PartitionReshape(ReshapeSpec.split(TableName.of("converted"), TableName.of("converted_p20261101"),
                    "1 day")).run(connection, ConversionProgress.NONE))
                    .hasMessage("Cannot split converted_p20261101 of converted: its conversion is not cleaned up (its trigger "
                            + "pgpartition_sync logs every write for a rollback). Fix: pgpartition convert cleanup public.converted "
                            + "--confirm (or rollback) first. Nothing was changed.");
            io.pgpartition.conversion.TableConversion.recorded(TableName.of("converted"),
                    io.pgpartition.conversion.ConversionSpec.DEFAULT_OPTIONS).cleanup(connection);
            assertThat(leftovers(connection)).as("nothing of a reshape, nor of the conversion, left").isEmpty();
        }
    }
}
