package io.pgpartition.model;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's hash routing against the server's: random keys of every supported type are inserted through
 * hash-partitioned parents, and each row must sit in the partition the model names.
 */
@PostgresTest
class HashRoutingTest {

    private static final int ROWS = 2000;
    private final Random random = new Random(20261121);

    private void assertRoutingAgrees(TestDatabase db, String columnType, String moduli, Function<Random, Object> values)
            throws SQLException {
        String table = "h_" + columnType.replaceAll("[^a-z0-9]", "_") + "_" + moduli.replace(',', '_');
        db.execute("CREATE TABLE " + table + " (k " + columnType + ") PARTITION BY HASH (k)");
        int greatest = Arrays.stream(moduli.split(",")).mapToInt(Integer::parseInt).max().orElseThrow();
        createPartitions(db, table, moduli);
        try (Connection connection = db.connection()) {
            PartitionedTable model = new CatalogReader().read(connection, List.of(TableName.of(table)))
                    .partitionedTable(TableName.of(table)).orElseThrow();
            List<String> disagreements = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + table + " VALUES (?) RETURNING tableoid::regclass::text")) {
                for (int i = 0; i < ROWS; i++) {
                    Object value = values.apply(random);
                    insert.setObject(1, value);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        String actual = rs.getString(1);
                        String predicted = model.partitionFor(value).map(p -> p.name().name()).orElse("(none)");
                        if (!actual.equals(predicted)) {
                            disagreements.add(value + ": server " + actual + ", model " + predicted);
                        }
                    }
                }
            }
            assertThat(disagreements).as("%d %s keys over moduli %s (greatest %d): the model picks the server's partition",
                    ROWS, columnType, moduli, greatest).isEmpty();
        }
    }

    /** One partition per remainder of each listed modulus, covering every residue exactly once. */
    private static void createPartitions(TestDatabase db, String table, String moduli) {
        int[] m = Arrays.stream(moduli.split(",")).mapToInt(Integer::parseInt).toArray();
        if (m.length == 1) {
            for (int r = 0; r < m[0]; r++) {
                db.execute("CREATE TABLE " + table + "_" + r + " PARTITION OF " + table + " FOR VALUES WITH (MODULUS " + m[0] + ", REMAINDER " + r + ")");
            }
        } else {
            // moduli "2,4": remainder 0 of 2, then remainders 1 and 3 of 4
            db.execute("CREATE TABLE " + table + "_a PARTITION OF " + table + " FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                    "CREATE TABLE " + table + "_b PARTITION OF " + table + " FOR VALUES WITH (MODULUS 4, REMAINDER 1)",
                    "CREATE TABLE " + table + "_c PARTITION OF " + table + " FOR VALUES WITH (MODULUS 4, REMAINDER 3)");
        }
    }

    @Test
    void integers(TestDatabase db) throws SQLException {
        assertRoutingAgrees(db, "integer", "7", r -> r.nextInt());
        assertRoutingAgrees(db, "smallint", "5", r -> (short) r.nextInt());
        assertRoutingAgrees(db, "bigint", "8", r -> r.nextBoolean() ? r.nextLong() : (long) r.nextInt(2000) - 1000);
        assertRoutingAgrees(db, "bigint", "2,4", Random::nextLong);
    }

    @Test
    void datesAndTimes(TestDatabase db) throws SQLException {
        assertRoutingAgrees(db, "date", "6", r -> LocalDate.ofEpochDay(r.nextInt(200_000) - 100_000));
        assertRoutingAgrees(db, "timestamp", "7", r -> LocalDateTime.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000) * 1000, ZoneOffset.UTC));
        assertRoutingAgrees(db, "timestamptz", "7",
                r -> OffsetDateTime.ofInstant(Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000) * 1000L), ZoneOffset.UTC));
    }

    @Test
    void textUuidAndBoolean(TestDatabase db) throws SQLException {
        String alphabet = "abcXYZ019 -_'\\äöü€✓🚀";
        Function<Random, Object> text = r -> {
            StringBuilder s = new StringBuilder();
            int length = r.nextInt(40);
            for (int i = 0; i < length; i++) {
                s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            return s.toString();
        };
        assertRoutingAgrees(db, "text", "9", text);
        assertRoutingAgrees(db, "varchar(64)", "4", text);
        assertRoutingAgrees(db, "uuid", "16", r -> new UUID(r.nextLong(), r.nextLong()));
        assertRoutingAgrees(db, "boolean", "3", Random::nextBoolean);
    }

    @Test
    void blankPaddedCharacterIgnoresTrailingBlanks(TestDatabase db) throws SQLException {
        assertRoutingAgrees(db, "character(12)", "5", r -> "k" + r.nextInt(100_000));
    }

    @Test
    void multiColumnKeysAndNulls(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE h_two (tenant bigint, name text) PARTITION BY HASH (tenant, name)");
        createPartitions(db, "h_two", "5");
        try (Connection connection = db.connection()) {
            PartitionedTable model = new CatalogReader().read(connection, List.of(TableName.of("h_two")))
                    .partitionedTable(TableName.of("h_two")).orElseThrow();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO h_two VALUES (?, ?) RETURNING tableoid::regclass::text")) {
                for (int i = 0; i < ROWS; i++) {
                    Long tenant = i % 10 == 0 ? null : random.nextLong();
                    String name = i % 7 == 0 ? null : "n" + random.nextInt();
                    insert.setObject(1, tenant);
                    insert.setObject(2, name);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        assertThat(model.partitionFor(Arrays.asList(tenant, name)).map(p -> p.name().name()))
                                .as("(%s, %s): columns combine in key order and NULLs are skipped", tenant, name)
                                .contains(rs.getString(1));
                    }
                }
            }
        }
    }
}
