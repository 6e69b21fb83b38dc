package io.pgpartition.ddl;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile names and values run through the rendering functions against the real server: nothing injects, and the
 * objects created are exactly the ones named, holding exactly the values given.
 */
@PostgresTest
class HostileSqlTest {

    private static final String SCHEMA = "hostile \"schema\"; --";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    static Stream<String> hostileNames() {
        return Stream.of(
                "weird\"name",
                "semi;colon",
                "back\\slash",
                "Robert'); DROP TABLE canary; --",
                "\"; DROP TABLE canary; --",
                "$$dollar$$ $tag$",
                "MixedCase With Spaces",
                "ünïcødé ✓ 🚀",
                "new\nline",
                "x".repeat(63),
                "€".repeat(21));
    }

    static Stream<String> hostileValues() {
        return Stream.of(
                "'",
                "''",
                "\\",
                "\\'",
                "'); DROP TABLE canary; --",
                "$$; DROP TABLE canary; $$",
                "E'\\x41'",
                "ünïcødé ✓ 🚀",
                "tab\tand\nnewline",
                "");
    }

    @BeforeEach
    void createCanary(TestDatabase db) {
        db.execute("CREATE TABLE canary (id int)", "CREATE SCHEMA " + Sql.identifier(SCHEMA));
    }

    @AfterEach
    void dropEverything(TestDatabase db) {
        db.execute("DROP SCHEMA " + Sql.identifier(SCHEMA) + " CASCADE", "DROP TABLE canary");
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void partitionsAreCreatedDetachedAndDroppedUnderExactlyTheirNames(String name, TestDatabase db) throws SQLException {
        TableName parent = TableName.of(SCHEMA, "parent " + SEQUENCE.incrementAndGet());
        TableName partition = TableName.of(SCHEMA, name);
        TableName standalone = TableName.of(SCHEMA, name.substring(0, Math.min(name.length(), 20)) + "_s");
        PartitionKey key = PartitionKey.of(PartitionStrategy.LIST, KeyPart.column(name, ColumnType.of("text", ValueKind.TEXT)));
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + Sql.table(parent) + " (" + Sql.identifier(name) + " text) PARTITION BY LIST ("
                    + Sql.identifier(name) + ")");
            statement.execute(PartitionDdl.createPartitionOf(parent, partition, ListBound.of("a")));
            for (String sql : PartitionDdl.createStandaloneThenAttach(parent, key, standalone, ListBound.of("b", null))) {
                statement.execute(sql);
            }

            assertThat(partitions(connection, parent))
                    .as("both partitions exist under exactly the names given, with their values")
                    .containsExactlyInAnyOrder(Partition.of(partition, ListBound.of("a")), Partition.of(standalone, ListBound.of("b", null)));
            assertCanaryStands(statement);

            statement.execute(PartitionDdl.detach(parent, partition, false));
            statement.execute(PartitionDdl.detach(parent, standalone, true));
            assertThat(partitions(connection, parent)).as("both are detached").isEmpty();
            assertThat(tableExists(connection, partition)).as("a detached partition remains as a table").isTrue();

            statement.execute(PartitionDdl.drop(partition));
            assertThat(tableExists(connection, partition)).as("drop removes exactly that table").isFalse();
            assertThat(tableExists(connection, standalone)).as("and no other").isTrue();
            assertCanaryStands(statement);
        }
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void valuesArriveExactlyAndRouteRows(String value, TestDatabase db) throws SQLException {
        TableName parent = TableName.of(SCHEMA, "by_value " + SEQUENCE.incrementAndGet());
        TableName listed = parent.sibling(parent.name() + " listed");
        TableName ranged = TableName.of(SCHEMA, "ranged " + SEQUENCE.incrementAndGet());
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + Sql.table(parent) + " (k text NOT NULL) PARTITION BY LIST (k)");
            statement.execute(PartitionDdl.createPartitionOf(parent, listed, ListBound.of(value)));
            statement.execute("CREATE TABLE " + Sql.table(ranged) + " (k text NOT NULL) PARTITION BY RANGE (k)");
            String upper = value + "\uFFFF";
            for (String sql : PartitionDdl.createStandaloneThenAttach(ranged,
                    PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("k", ColumnType.of("text", ValueKind.TEXT))),
                    ranged.sibling(ranged.name() + " p"), RangeBound.of(value, upper))) {
                statement.execute(sql);
            }

            assertThat(partitions(connection, parent)).as("the list value is stored exactly")
                    .containsExactly(Partition.of(listed, ListBound.of(value)));
            assertThat(partitions(connection, ranged)).as("the range bounds are stored exactly")
                    .containsExactly(Partition.of(ranged.sibling(ranged.name() + " p"), RangeBound.of(value, upper)));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + Sql.table(parent) + " VALUES (?) RETURNING tableoid::regclass::text")) {
                insert.setString(1, value);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as("a row with the value, bound as a parameter, lands in that partition")
                            .isEqualTo(Sql.table(listed));
                }
            }
            assertCanaryStands(statement);
        }
    }

    @Test
    void literalsMeanTheSameWithoutStandardConformingStrings(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET standard_conforming_strings = off");
            for (String value : hostileValues().toList()) {
                try (ResultSet rs = statement.executeQuery("SELECT " + Sql.literal(value))) {
                    rs.next();
                    assertThat(rs.getString(1)).as("literal of %s", value).isEqualTo(value);
                }
            }
            assertCanaryStands(statement);
        }
    }

    @Test
    void tooLongNamesFailBeforeAnythingRuns(TestDatabase db) throws SQLException {
        TableName parent = TableName.of(SCHEMA, "bounded");
        db.execute("CREATE TABLE " + Sql.table(parent) + " (k text) PARTITION BY LIST (k)");
        String tooLong = "claim_line_items_with_a_really_long_prefix_y2024m04_and_more_xyz";
        assertThat(tooLong).as("64 bytes").hasSize(64);
        assertThatThrownBy(() -> PartitionDdl.createPartitionOf(parent, parent.sibling(tooLong), ListBound.of("a")))
                .isInstanceOf(PartitioningException.class)
                .hasMessage("Name \"" + tooLong + "\" is 64 bytes long in UTF-8; PostgreSQL keeps at most 63 bytes and would silently "
                        + "truncate it. Choose a shorter table name or naming pattern.");
        try (Connection connection = db.connection()) {
            assertThat(partitions(connection, parent)).as("nothing was created").isEmpty();
        }
    }

    private static List<Partition> partitions(Connection connection, TableName parent) {
        CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(parent));
        PartitionedTable table = snapshot.partitionedTable(parent).orElseThrow();
        return table.partitions();
    }

    private static boolean tableExists(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static void assertCanaryStands(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM canary")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the canary table was not dropped by an injection").isZero();
        }
    }
}
