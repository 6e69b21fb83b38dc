package io.pgpartition.model;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never refuse a row PostgreSQL would accept: random keys of every supported type, with the values that sit on and
 * around bounds, are routed by the model and by the server (an INSERT through the parent, in a savepoint). The model
 * names the server's partition, says no partition exactly when the server refuses the row, or abstains
 * ({@link KeyRoute.AskServer}); it never guesses.
 */
@PostgresTest
class RoutingAgreesWithServerTest {

    private static final int KEYS = 600;
    private final Random random = new Random(20261202);

    /** Routes {@link #KEYS} values both ways; returns how often the model abstained. */
    private int assertAgrees(TestDatabase db, String table, Function<Random, Object> values) throws SQLException {
        try (Connection connection = db.connection()) {
            PartitionedTable model = new CatalogReader().read(connection, List.of(TableName.of(table)))
                    .partitionedTable(TableName.of(table)).orElseThrow();
            Optional<RangeIndex> index = RangeIndex.of(model);
            connection.setAutoCommit(false);
            List<String> disagreements = new ArrayList<>();
            int abstained = 0;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + table + " VALUES (?) RETURNING tableoid::regclass::text")) {
                for (int i = 0; i < KEYS; i++) {
                    Object value = values.apply(random);
                    String server = serverRoute(connection, insert, value);
                    KeyRoute route = model.route(java.util.Arrays.asList(value));
                    if (route instanceof KeyRoute.AskServer) {
                        abstained++;
                        continue;
                    }
                    String predicted = route instanceof KeyRoute.Routed routed ? routed.partition().name().name() : "(none)";
                    if (!server.equals(predicted)) {
                        disagreements.add(value + " (" + value.getClass().getSimpleName() + "): server " + server + ", model " + predicted);
                    }
                    if (index.isPresent()) {
                        KeyRoute indexed = index.get().route(value);
                        assertThat(indexed).as("the binary search answers as the model does for %s", value).isEqualTo(route);
                    }
                }
            }
            connection.rollback();
            assertThat(disagreements).as("%s: the model picks the server's partition or abstains", table).isEmpty();
            return abstained;
        }
    }

    private static String serverRoute(Connection connection, PreparedStatement insert, Object value) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            insert.setObject(1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            if ("23514".equals(e.getSQLState())) {
                return "(none)";
            }
            if ("22001".equals(e.getSQLState()) || "22008".equals(e.getSQLState())) {
                return "(refused " + e.getSQLState() + ")"; // too long, out of range: the model must have asked
            }
            throw e;
        } finally {
            connection.rollback(savepoint);
        }
    }

    private static void monthly(TestDatabase db, String table, String type, int fromYear, int toYear, String literalSuffix) {
        db.execute("CREATE TABLE " + table + " (k " + type + ") PARTITION BY RANGE (k)");
        for (int year = fromYear; year < toYear; year++) {
            for (int month = 1; month <= 12; month++) {
                if (month == 6) {
                    continue; // a gap every June
                }
                LocalDate from = LocalDate.of(year, month, 1);
                db.execute("CREATE TABLE " + table + "_" + year + "_" + month + " PARTITION OF " + table
                        + " FOR VALUES FROM ('" + from + literalSuffix + "') TO ('" + from.plusMonths(1) + literalSuffix + "')");
            }
        }
    }

    private static LocalDateTime nearBoundary(Random r) {
        LocalDateTime month = LocalDateTime.of(2023 + r.nextInt(2), 1 + r.nextInt(12), 1, 0, 0);
        return switch (r.nextInt(4)) {
            case 0 -> month.minusNanos(1 + r.nextInt(999_999_999));
            case 1 -> month.plusNanos(r.nextInt(1_000_000_000));
            case 2 -> month.minusNanos(r.nextInt(1_000) * 1_000L);
            default -> month.plusSeconds(r.nextInt(86_400 * 40)).withNano(0);
        };
    }

    @Test
    void timestampsOfEveryPrecisionRoundAsTheServerDoesOrTheModelAbstains(TestDatabase db) throws SQLException {
        monthly(db, "rt_ts0", "timestamp(0)", 2023, 2025, "");
        monthly(db, "rt_ts3", "timestamp(3)", 2023, 2025, "");
        monthly(db, "rt_ts6", "timestamp", 2023, 2025, "");
        int abstained0 = assertAgrees(db, "rt_ts0", RoutingAgreesWithServerTest::nearBoundary);
        int abstained3 = assertAgrees(db, "rt_ts3", RoutingAgreesWithServerTest::nearBoundary);
        int abstained6 = assertAgrees(db, "rt_ts6", RoutingAgreesWithServerTest::nearBoundary);
        assertThat(abstained0).as("whole seconds are routed, fractions of timestamp(0) are asked").isBetween(KEYS / 5, KEYS * 4 / 5);
        assertThat(abstained6).as("only sub-microsecond values are asked of timestamp(6)").isLessThan(abstained3);
    }

    @Test
    void timestampsWithTimeZoneAndLegacyTypes(TestDatabase db) throws SQLException {
        monthly(db, "rt_tstz", "timestamptz", 2023, 2025, " 00:00+00");
        int abstained = assertAgrees(db, "rt_tstz", r -> {
            LocalDateTime local = nearBoundary(r);
            return switch (r.nextInt(3)) {
                case 0 -> local.toInstant(ZoneOffset.UTC);
                case 1 -> OffsetDateTime.of(local, ZoneOffset.ofHours(r.nextInt(27) - 13));
                default -> Timestamp.valueOf(local);
            };
        });
        assertThat(abstained).as("java.sql.Timestamp goes through the driver's time zone: always asked").isGreaterThan(KEYS / 4);
        monthly(db, "rt_date", "date", 2023, 2025, "");
        assertAgrees(db, "rt_date", r -> r.nextInt(5) == 0 ? java.sql.Date.valueOf(nearBoundary(r).toLocalDate())
                : nearBoundary(r).toLocalDate());
    }

    @Test
    void datesAndTimestampsFarFromTheYear2000(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_far (k timestamp) PARTITION BY HASH (k)");
        for (int remainder = 0; remainder < 4; remainder++) {
            db.execute("CREATE TABLE rt_far_" + remainder + " PARTITION OF rt_far FOR VALUES WITH (MODULUS 4, REMAINDER " + remainder + ")");
        }
        db.execute("CREATE TABLE rt_far_range (k timestamp) PARTITION BY RANGE (k)",
                "CREATE TABLE rt_far_range_old PARTITION OF rt_far_range FOR VALUES FROM (MINVALUE) TO ('1500-01-01')",
                "CREATE TABLE rt_far_range_new PARTITION OF rt_far_range FOR VALUES FROM ('2400-01-01') TO (MAXVALUE)");
        Function<Random, Object> far = r -> LocalDateTime.of(1 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28),
                r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1_000);
        assertThat(assertAgrees(db, "rt_far", far)).as("hashes of years 1 to 9000 are computed").isZero();
        assertThat(assertAgrees(db, "rt_far_range", far)).as("ranges of years 1 to 9000 are computed").isZero();
    }

    @Test
    void numericKeysRoundedToTheColumnsScale(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_num (k numeric(10,2)) PARTITION BY RANGE (k)");
        for (int from = 0; from < 100; from += 10) {
            db.execute("CREATE TABLE rt_num_" + from + " PARTITION OF rt_num FOR VALUES FROM (" + from + ") TO (" + (from + 10) + ")");
        }
        int abstained = assertAgrees(db, "rt_num", r -> switch (r.nextInt(4)) {
            case 0 -> BigDecimal.valueOf(r.nextInt(12_000) - 1_000, 2);
            case 1 -> BigDecimal.valueOf(r.nextInt(10) * 10L).subtract(new BigDecimal("0.004")).add(BigDecimal.valueOf(r.nextInt(2), 3));
            case 2 -> BigDecimal.valueOf(r.nextInt(11) * 10L).subtract(new BigDecimal("0.005"));
            default -> r.nextDouble() * 110;
        });
        assertThat(abstained).as("values finer than two decimals and doubles are asked").isGreaterThan(KEYS / 3);
    }

    @Test
    void blankPaddedCharacterKeys(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_char (k character(3)) PARTITION BY LIST (k)",
                "CREATE TABLE rt_char_a PARTITION OF rt_char FOR VALUES IN ('a')",
                "CREATE TABLE rt_char_bb PARTITION OF rt_char FOR VALUES IN ('bb ', 'c')",
                "CREATE TABLE rt_char_range (k character(4) COLLATE \"C\") PARTITION BY RANGE (k)",
                "CREATE TABLE rt_char_range_1 PARTITION OF rt_char_range FOR VALUES FROM ('a') TO ('b ')",
                "CREATE TABLE rt_char_range_2 PARTITION OF rt_char_range FOR VALUES FROM ('b') TO ('c')");
        String[] keys = {"a", "a ", "a  ", "bb", "bb ", "c", "c  ", "b", "ab", "a b", "", " "};
        assertThat(assertAgrees(db, "rt_char", r -> keys[r.nextInt(keys.length)])).as("char(n) equality is modelled").isZero();
        assertAgrees(db, "rt_char_range", r -> keys[r.nextInt(keys.length)]);
    }

    @Test
    void textUnderCollationsTheModelDoesNotOrderIsAskedOfTheServer(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_text_c (k text COLLATE \"C\") PARTITION BY RANGE (k)",
                "CREATE TABLE rt_text_c_1 PARTITION OF rt_text_c FOR VALUES FROM ('B') TO ('a')",
                "CREATE TABLE rt_text_c_2 PARTITION OF rt_text_c FOR VALUES FROM ('a') TO ('n')",
                "CREATE TABLE rt_text_pattern (k text) PARTITION BY RANGE (k text_pattern_ops)",
                "CREATE TABLE rt_text_pattern_1 PARTITION OF rt_text_pattern FOR VALUES FROM ('B') TO ('a')",
                "CREATE TABLE rt_text_pattern_2 PARTITION OF rt_text_pattern FOR VALUES FROM ('a') TO ('n')");
        boolean icu = false;
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'")) {
            rs.next();
            icu = rs.getInt(1) > 0;
        }
        String alphabet = "aAbBnNzZ_- éÉ0";
        Function<Random, Object> text = r -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return s.toString();
        };
        assertThat(assertAgrees(db, "rt_text_c", text)).as("COLLATE \"C\" is ordered by the model").isZero();
        assertThat(assertAgrees(db, "rt_text_pattern", text)).as("a non-default operator class is always asked").isEqualTo(KEYS);
        if (icu) {
            db.execute("CREATE COLLATION rt_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                    "CREATE TABLE rt_text_ci (k text COLLATE rt_ci) PARTITION BY LIST (k)",
                    "CREATE TABLE rt_text_ci_a PARTITION OF rt_text_ci FOR VALUES IN ('a')",
                    "CREATE TABLE rt_text_ci_rest PARTITION OF rt_text_ci DEFAULT",
                    "CREATE TABLE rt_text_icu (k text COLLATE \"und-x-icu\") PARTITION BY RANGE (k)",
                    "CREATE TABLE rt_text_icu_1 PARTITION OF rt_text_icu FOR VALUES FROM ('a') TO ('n')",
                    "CREATE TABLE rt_text_icu_2 PARTITION OF rt_text_icu FOR VALUES FROM ('n') TO ('z')");
            assertThat(assertAgrees(db, "rt_text_ci", text)).as("a nondeterministic collation is always asked").isEqualTo(KEYS);
            assertThat(assertAgrees(db, "rt_text_icu", text)).as("an ICU order is always asked").isEqualTo(KEYS);
        }
        db.execute("CREATE TABLE rt_text_default (k text) PARTITION BY RANGE (k)",
                "CREATE TABLE rt_text_default_1 PARTITION OF rt_text_default FOR VALUES FROM ('B') TO ('a')",
                "CREATE TABLE rt_text_default_2 PARTITION OF rt_text_default FOR VALUES FROM ('a') TO ('n')");
        assertAgrees(db, "rt_text_default", text);
    }

    /** Short texts with trailing and only blanks, multibyte letters, and lengths around {@code n}. */
    private static Function<Random, Object> blankyText(String alphabet, int maxLength) {
        return r -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0, n = r.nextInt(maxLength + 1); i < n; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            for (int i = 0, blanks = r.nextInt(4) == 0 ? r.nextInt(6) : 0; i < blanks; i++) {
                s.append(' ');
            }
            return s.toString();
        };
    }

    @Test
    void keysOfADomainAreRoutedAsTheServerCoercesThemToItsBaseType(TestDatabase db) throws SQLException {
        db.execute("CREATE DOMAIN rt_d_char4 AS char(4)",
                "CREATE DOMAIN rt_d_varchar3 AS varchar(3)",
                "CREATE DOMAIN rt_d_ts0 AS timestamp(0)",
                "CREATE DOMAIN rt_d_tstz3 AS timestamptz(3)",
                "CREATE DOMAIN rt_d_date AS date CHECK (VALUE > '1900-01-01')",
                "CREATE DOMAIN rt_d_bigint AS bigint",
                "CREATE DOMAIN rt_d_text AS text",
                "CREATE TABLE rt_dom_char (k rt_d_char4) PARTITION BY LIST (k)",
                "CREATE TABLE rt_dom_char_a PARTITION OF rt_dom_char FOR VALUES IN ('a')",
                "CREATE TABLE rt_dom_char_b PARTITION OF rt_dom_char FOR VALUES IN ('bé ', ' ')",
                "CREATE TABLE rt_dom_varchar (k rt_d_varchar3) PARTITION BY LIST (k)",
                "CREATE TABLE rt_dom_varchar_1 PARTITION OF rt_dom_varchar FOR VALUES IN ('a', 'abc', 'é  ')",
                "CREATE TABLE rt_dom_varchar_2 PARTITION OF rt_dom_varchar FOR VALUES IN ('a  ', 'bé')",
                "CREATE TABLE rt_dom_char_hash (k rt_d_char4) PARTITION BY HASH (k)",
                "CREATE TABLE rt_dom_text (k rt_d_text) PARTITION BY LIST (k)",
                "CREATE TABLE rt_dom_text_a PARTITION OF rt_dom_text FOR VALUES IN ('a', 'a ')",
                "CREATE TABLE rt_dom_bigint (k rt_d_bigint) PARTITION BY HASH (k)");
        for (int remainder = 0; remainder < 4; remainder++) {
            db.execute("CREATE TABLE rt_dom_char_hash_" + remainder + " PARTITION OF rt_dom_char_hash FOR VALUES WITH (MODULUS 4, REMAINDER "
                            + remainder + ")",
                    "CREATE TABLE rt_dom_bigint_" + remainder + " PARTITION OF rt_dom_bigint FOR VALUES WITH (MODULUS 4, REMAINDER "
                            + remainder + ")");
        }
        monthly(db, "rt_dom_ts0", "rt_d_ts0", 2023, 2025, "");
        monthly(db, "rt_dom_tstz3", "rt_d_tstz3", 2023, 2025, " 00:00+00");
        monthly(db, "rt_dom_date", "rt_d_date", 2023, 2025, "");

        Function<Random, Object> text = blankyText("abé ", 5);
        assertThat(assertAgrees(db, "rt_dom_char", text)).as("a domain over char(4): blanks do not count, longer texts are asked")
                .isLessThan(KEYS / 2);
        assertThat(assertAgrees(db, "rt_dom_varchar", text)).as("a domain over varchar(3): texts longer than 3 are asked")
                .isLessThan(KEYS * 3 / 4);
        assertThat(assertAgrees(db, "rt_dom_char_hash", text)).as("hashes of a domain over char(4)").isLessThan(KEYS / 2);
        assertThat(assertAgrees(db, "rt_dom_text", text)).as("a domain over text: every text is routed").isZero();
        assertThat(assertAgrees(db, "rt_dom_bigint", r -> r.nextLong())).as("a domain over bigint").isZero();
        int abstained = assertAgrees(db, "rt_dom_ts0", RoutingAgreesWithServerTest::nearBoundary);
        assertThat(abstained).as("fractions of a domain over timestamp(0) are asked, whole seconds routed").isBetween(KEYS / 5, KEYS * 4 / 5);
        assertAgrees(db, "rt_dom_tstz3", r -> nearBoundary(r).toInstant(ZoneOffset.UTC));
        assertThat(assertAgrees(db, "rt_dom_date", r -> nearBoundary(r).toLocalDate())).as("a domain over date").isZero();
    }

    @Test
    void varcharAndCharKeysWithTrailingAndOnlyBlanks(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_varchar (k varchar(3)) PARTITION BY LIST (k)",
                "CREATE TABLE rt_varchar_1 PARTITION OF rt_varchar FOR VALUES IN ('abc', 'a', ' ')",
                "CREATE TABLE rt_varchar_2 PARTITION OF rt_varchar FOR VALUES IN ('a  ', 'éé')",
                "CREATE TABLE rt_varchar_rest PARTITION OF rt_varchar DEFAULT",
                "CREATE TABLE rt_char_hash (k char(3)) PARTITION BY HASH (k)",
                "CREATE TABLE rt_bpchar_hash (k bpchar) PARTITION BY HASH (k)",
                "CREATE TABLE rt_varchar_hash (k varchar(4)) PARTITION BY HASH (k)");
        for (int remainder = 0; remainder < 5; remainder++) {
            for (String table : List.of("rt_char_hash", "rt_bpchar_hash", "rt_varchar_hash")) {
                db.execute("CREATE TABLE " + table + "_" + remainder + " PARTITION OF " + table
                        + " FOR VALUES WITH (MODULUS 5, REMAINDER " + remainder + ")");
            }
        }
        String[] edges = {"", " ", "   ", "    ", "a  ", "a   ", "é ", "abc ", "abc    "};
        Function<Random, Object> random = blankyText("abcé", 4);
        Function<Random, Object> text = r -> r.nextInt(3) == 0 ? edges[r.nextInt(edges.length)] : random.apply(r);
        assertThat(assertAgrees(db, "rt_varchar", text)).as("texts longer than 3 are asked").isLessThan(KEYS * 3 / 4);
        assertThat(assertAgrees(db, "rt_char_hash", text)).as("hashes of char(3) without their padding").isLessThan(KEYS * 3 / 4);
        assertThat(assertAgrees(db, "rt_bpchar_hash", text)).as("bpchar without a length: every text is hashed").isZero();
        assertThat(assertAgrees(db, "rt_varchar_hash", text)).as("hashes of varchar(4)").isLessThan(KEYS / 2);
    }

    @Test
    void boundsPastTheYear9999AreReadAndRouted(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_far_date (k date) PARTITION BY RANGE (k)",
                "CREATE TABLE rt_far_date_1 PARTITION OF rt_far_date FOR VALUES FROM ('9999-01-01') TO ('10000-01-01')",
                "CREATE TABLE rt_far_date_2 PARTITION OF rt_far_date FOR VALUES FROM ('10000-01-01') TO ('12000-06-01')",
                "CREATE TABLE rt_far_tstz (k timestamptz) PARTITION BY RANGE (k)",
                "CREATE TABLE rt_far_tstz_1 PARTITION OF rt_far_tstz FOR VALUES FROM ('2000-01-01 00:00:00+00') TO ('294276-12-01 00:00:00+00')",
                "CREATE TABLE rt_far_tstz_2 PARTITION OF rt_far_tstz FOR VALUES FROM ('294276-12-01 00:00:00+00') TO (MAXVALUE)");
        assertThat(assertAgrees(db, "rt_far_date", r -> LocalDate.of(9998 + r.nextInt(2004), 1 + r.nextInt(12), 1 + r.nextInt(28))))
                .as("dates around the year 10000 and the bound past it").isZero();
        try (Connection connection = db.connection()) {
            PartitionedTable tstz = new CatalogReader().read(connection, List.of(TableName.of("rt_far_tstz")))
                    .partitionedTable(TableName.of("rt_far_tstz")).orElseThrow();
            assertThat(tstz.partitions()).extracting(p -> p.bound().toString()).as("a timestamptz bound in the year 294276")
                    .containsExactly("FROM [2000-01-01T00:00:00Z] TO [+294276-12-01T00:00:00Z]", "FROM [+294276-12-01T00:00:00Z] TO [MAXVALUE]");
            assertThat(tstz.route(List.of(Instant.parse("+294276-12-02T00:00:00Z"))))
                    .isEqualTo(new KeyRoute.Routed(tstz.partitions().get(1)));
        }
    }

    @Test
    void listKeysOfIntegersBooleansAndText(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rt_list_int (k int) PARTITION BY LIST (k)",
                "CREATE TABLE rt_list_int_1 PARTITION OF rt_list_int FOR VALUES IN (1, 2, 3)",
                "CREATE TABLE rt_list_int_null PARTITION OF rt_list_int FOR VALUES IN (NULL, 7)",
                "CREATE TABLE rt_list_bool (k boolean) PARTITION BY LIST (k)",
                "CREATE TABLE rt_list_bool_t PARTITION OF rt_list_bool FOR VALUES IN (true)");
        assertAgrees(db, "rt_list_int", r -> r.nextInt(5) == 0 ? null : r.nextInt(9));
        assertAgrees(db, "rt_list_bool", r -> r.nextInt(3) == 0 ? null : r.nextBoolean());
    }
}
