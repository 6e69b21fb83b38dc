package io.pgpartition.catalog;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bounds of every supported key type, multi-column and expression keys, sub-partitions, quoted names, and session
 * settings that change how PostgreSQL prints values.
 */
@PostgresTest
class CatalogReaderLayoutTest {

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute(
                "CREATE SCHEMA \"Sales Data\"",
                "CREATE TABLE by_int (v integer NOT NULL) PARTITION BY RANGE (v)",
                "CREATE TABLE by_int_low PARTITION OF by_int FOR VALUES FROM (MINVALUE) TO (-10)",
                "CREATE TABLE by_int_mid PARTITION OF by_int FOR VALUES FROM (-10) TO (100)",
                "CREATE TABLE by_int_high PARTITION OF by_int FOR VALUES FROM (100) TO (MAXVALUE)",
                "CREATE TABLE by_bigint (v bigint NOT NULL) PARTITION BY RANGE (v)",
                "CREATE TABLE by_bigint_p PARTITION OF by_bigint FOR VALUES FROM (-5000000000) TO (5000000000)",
                "CREATE TABLE by_numeric (v numeric(10, 2) NOT NULL) PARTITION BY RANGE (v)",
                "CREATE TABLE by_numeric_p PARTITION OF by_numeric FOR VALUES FROM (-0.5) TO (10.25)",
                "CREATE TABLE by_text (v text) PARTITION BY LIST (v)",
                "CREATE TABLE by_text_odd PARTITION OF by_text FOR VALUES IN ('O''Brien', 'back\\slash', 'comma, paren)', 'ünïcødé ✓')",
                "CREATE TABLE by_text_null PARTITION OF by_text FOR VALUES IN (NULL, '')",
                "CREATE TABLE by_text_default PARTITION OF by_text DEFAULT",
                "CREATE TABLE by_uuid (v uuid NOT NULL) PARTITION BY LIST (v)",
                "CREATE TABLE by_uuid_p PARTITION OF by_uuid FOR VALUES IN ('0e37df36-f698-11e6-8dd4-cb9ced3df976')",
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE by_enum (v mood NOT NULL) PARTITION BY LIST (v)",
                "CREATE TABLE by_enum_p PARTITION OF by_enum FOR VALUES IN ('happy', 'sad')",
                "CREATE TABLE by_bool (v boolean NOT NULL) PARTITION BY LIST (v)",
                "CREATE TABLE by_bool_t PARTITION OF by_bool FOR VALUES IN (true)",
                "CREATE TABLE by_date_inf (v date NOT NULL) PARTITION BY RANGE (v)",
                "CREATE TABLE by_date_inf_old PARTITION OF by_date_inf FOR VALUES FROM ('-infinity') TO ('0044-03-15 BC')",
                "CREATE TABLE by_date_inf_new PARTITION OF by_date_inf FOR VALUES FROM ('2030-01-01') TO ('infinity')",
                "CREATE TABLE two_col (region text COLLATE \"C\" NOT NULL, day date NOT NULL) PARTITION BY RANGE (region, day)",
                "CREATE TABLE two_col_a PARTITION OF two_col FOR VALUES FROM ('a', MINVALUE) TO ('a', '2024-01-01')",
                "CREATE TABLE two_col_b PARTITION OF two_col FOR VALUES FROM ('a', '2024-01-01') TO ('b', MINVALUE)",
                "CREATE TABLE by_expr (name text NOT NULL, at timestamp NOT NULL) PARTITION BY LIST (lower(name))",
                "CREATE TABLE by_expr_p PARTITION OF by_expr FOR VALUES IN ('x')",
                "CREATE TABLE tenants_events (tenant int NOT NULL, at date NOT NULL) PARTITION BY LIST (tenant)",
                "CREATE TABLE tenants_events_1 PARTITION OF tenants_events FOR VALUES IN (1) PARTITION BY RANGE (at)",
                "CREATE TABLE tenants_events_1_2024 PARTITION OF tenants_events_1 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE \"Sales Data\".\"Orders\" (\"Id\" bigint NOT NULL, \"Day\" date NOT NULL) PARTITION BY RANGE (\"Day\")",
                "CREATE TABLE \"Sales Data\".\"Orders 2024\" PARTITION OF \"Sales Data\".\"Orders\" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    }

    private static PartitionedTable read(TestDatabase db, TableName name) throws SQLException {
        try (Connection connection = db.connection()) {
            return new CatalogReader().read(connection, List.of(name)).partitionedTable(name).orElseThrow();
        }
    }

    @Test
    void integerRangesWithMinvalueAndMaxvalue(TestDatabase db) throws SQLException {
        assertThat(read(db, TableName.of("by_int")).orderedPartitions())
                .as("integer bounds, negative values, MINVALUE and MAXVALUE, ordered by lower bound")
                .containsExactly(
                        partition("by_int_low", RangeBound.of(RangeValue.MINVALUE, RangeValue.of(-10L))),
                        partition("by_int_mid", RangeBound.of(-10L, 100L)),
                        partition("by_int_high", RangeBound.of(RangeValue.of(100L), RangeValue.MAXVALUE)));
    }

    @Test
    void bigintAndNumericBounds(TestDatabase db) throws SQLException {
        assertThat(read(db, TableName.of("by_bigint")).partitions())
                .as("bigint bounds beyond the int range")
                .containsExactly(partition("by_bigint_p", RangeBound.of(-5_000_000_000L, 5_000_000_000L)));
        PartitionedTable numeric = read(db, TableName.of("by_numeric"));
        assertThat(numeric.key().parts().get(0).type()).as("numeric type").isEqualTo(ColumnType.of("numeric(10,2)", ValueKind.NUMERIC));
        assertThat(numeric.partitions())
                .as("numeric bounds are the exact decimal PostgreSQL stores, at the column's scale")
                .containsExactly(partition("by_numeric_p", RangeBound.of(new BigDecimal("-0.50"), new BigDecimal("10.25"))));
    }

    @Test
    void textListWithQuotesBackslashesUnicodeNullAndDefault(TestDatabase db) throws SQLException {
        assertThat(read(db, TableName.of("by_text")).partitions())
                .as("text values come back exactly as stored, NULL as null, and the DEFAULT partition")
                .containsExactly(
                        partition("by_text_default", DefaultBound.INSTANCE),
                        partition("by_text_null", ListBound.of(null, "")),
                        partition("by_text_odd", ListBound.of("O'Brien", "back\\slash", "comma, paren)", "ünïcødé ✓")));
    }

    @Test
    void uuidEnumAndBooleanLists(TestDatabase db) throws SQLException {
        assertThat(read(db, TableName.of("by_uuid")).partitions())
                .as("uuid values")
                .containsExactly(partition("by_uuid_p", ListBound.of(UUID.fromString("0e37df36-f698-11e6-8dd4-cb9ced3df976"))));
        PartitionedTable byEnum = read(db, TableName.of("by_enum"));
        assertThat(byEnum.key())
                .as("an enum key carries its labels in declared order")
                .isEqualTo(PartitionKey.of(PartitionStrategy.LIST,
                        KeyPart.column("v", ColumnType.enumType("mood", List.of("sad", "ok", "happy")))));
        assertThat(byEnum.partitions()).as("enum labels as values")
                .containsExactly(partition("by_enum_p", ListBound.of("happy", "sad")));
        assertThat(read(db, TableName.of("by_bool")).partitions()).as("boolean values")
                .containsExactly(partition("by_bool_t", ListBound.of(true)));
    }

    @Test
    void infiniteAndBeforeChristDates(TestDatabase db) throws SQLException {
        assertThat(read(db, TableName.of("by_date_inf")).orderedPartitions())
                .as("-infinity/infinity map to LocalDate.MIN/MAX; BC years to proleptic years")
                .containsExactly(
                        partition("by_date_inf_old", RangeBound.of(LocalDate.MIN, LocalDate.of(-43, 3, 15))),
                        partition("by_date_inf_new", RangeBound.of(LocalDate.of(2030, 1, 1), LocalDate.MAX)));
    }

    @Test
    void multiColumnRangeKey(TestDatabase db) throws SQLException {
        PartitionedTable table = read(db, TableName.of("two_col"));
        assertThat(spelled(table.key())).as("two key columns in order")
                .isEqualTo(PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("region", ColumnType.of("text", ValueKind.TEXT)),
                        KeyPart.column("day", ColumnType.of("date", ValueKind.DATE))));
        assertThat(table.orderedPartitions())
                .as("each bound has one value per column, MINVALUE where written")
                .containsExactly(
                        partition("two_col_a", new RangeBound(List.of(RangeValue.of("a"), RangeValue.MINVALUE),
                                List.of(RangeValue.of("a"), RangeValue.of(LocalDate.of(2024, 1, 1))))),
                        partition("two_col_b", new RangeBound(List.of(RangeValue.of("a"), RangeValue.of(LocalDate.of(2024, 1, 1))),
                                List.of(RangeValue.of("b"), RangeValue.MINVALUE))));
        assertThat(table.partitionFor(List.of("a", LocalDate.of(2030, 5, 1))).map(p -> p.name().name()))
                .as("routing compares column by column").contains("two_col_b");
    }

    @Test
    void expressionKeyIsReportedAsSuch(TestDatabase db) throws SQLException {
        PartitionedTable table = read(db, TableName.of("by_expr"));
        assertThat(spelled(table.key()))
                .as("an expression key part has no column, its expression text, and the type of its operator class")
                .isEqualTo(PartitionKey.of(PartitionStrategy.LIST, KeyPart.expression("lower(name)", ColumnType.of("text", ValueKind.TEXT))));
        assertThat(table.key().hasExpressions()).as("hasExpressions").isTrue();
        assertThat(table.key().columns()).as("columns() shows the expression in parentheses").containsExactly("(lower(name))");
    }

    @Test
    void subpartitionedTablesAreReadAtEveryLevel(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(TableName.of("tenants_events")));
            PartitionedTable top = snapshot.partitionedTable(TableName.of("tenants_events")).orElseThrow();
            assertThat(top.partitions())
                    .as("the sub-partitioned partition is marked")
                    .containsExactly(new Partition(TableName.of("public", "tenants_events_1"), ListBound.of(1L), true, -1));
            assertThat(snapshot.partitionedTable(TableName.of("tenants_events_1")).orElseThrow().partitions())
                    .as("the second level is read in the same pass")
                    .containsExactly(partition("tenants_events_1_2024", RangeBound.of(LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1))));
            assertThat(snapshot.rootPartitionedTables()).extracting(PartitionedTable::name)
                    .as("only the top is a root").containsExactly(TableName.of("public", "tenants_events"));
        }
    }

    @Test
    void quotedMixedCaseSchemaAndTableNames(TestDatabase db) throws SQLException {
        PartitionedTable table = read(db, TableName.of("Sales Data", "Orders"));
        assertThat(table).as("names with spaces and capitals are taken exactly")
                .isEqualTo(new PartitionedTable(TableName.of("Sales Data", "Orders"),
                        PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("Day", ColumnType.of("date", ValueKind.DATE))),
                        List.of(new Partition(TableName.of("Sales Data", "Orders 2024"),
                                RangeBound.of(LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1)), false, -1))));
    }

    @Test
    void sessionTimeZoneDoesNotChangeTimestamptzBounds(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE tz_events (at timestamptz NOT NULL, d date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE tz_events_p PARTITION OF tz_events FOR VALUES FROM ('2025-03-30 01:00:00+00') TO ('2025-10-26 01:00:00+00')");
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'Asia/Kolkata'");
            PartitionedTable table = new CatalogReader().read(connection, List.of(TableName.of("tz_events")))
                    .partitionedTable(TableName.of("tz_events")).orElseThrow();
            assertThat(table.partitions())
                    .as("timestamptz bounds are the same instants under another session time zone")
                    .containsExactly(partition("tz_events_p",
                            RangeBound.of(Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-10-26T01:00:00Z"))));
        }
    }

    @Test
    void nonPostgresConnectionIsRefusedClearly() {
        Connection notPostgres = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[]{java.sql.DatabaseMetaData.class},
                                (p, m, a) -> m.getName().equals("getDatabaseProductName") ? "H2" : null);
                    }
                    throw new AssertionError("no SQL may reach a non-PostgreSQL database: " + method.getName());
                });
        assertThatThrownBy(() -> new CatalogReader().read(notPostgres, List.of(TableName.of("t"))))
                .as("a non-PostgreSQL database gets a clear error before any SQL")
                .isInstanceOf(PartitioningException.class)
                .hasMessage("pgpartition works with PostgreSQL only; this connection is to H2. Point the application at a PostgreSQL 14+ database.")
                .extracting(e -> ((PartitioningException) e).getCode()).isEqualTo(ErrorCode.SERVER_UNSUPPORTED);
    }

    private static Partition partition(String name, PartitionBound bound) {
        return new Partition(TableName.of("public", name), bound, false, -1);
    }

    /** The key as the tests spell it: columns and types, leaving out the collation facts, which depend on the server's locale. */
    private static io.pgpartition.model.PartitionKey spelled(io.pgpartition.model.PartitionKey key) {
        return new io.pgpartition.model.PartitionKey(key.strategy(), key.parts().stream()
                .map(part -> new io.pgpartition.model.KeyPart(part.column(), part.expression(), part.type())).toList());
    }
}
