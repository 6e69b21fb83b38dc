package io.pgpartition.report;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class LayoutTextTest {

    @Test
    void describesSeedTablesGapsAndMissingRemainders(TestDatabase db) throws SQLException {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        db.execute("DROP TABLE claim_line_items_y2024m06", "DROP TABLE chat_sessions_h2");
        try (Connection connection = db.connection()) {
            String text = LayoutText.render(new CatalogReader().read(connection,
                    List.of(TableName.of("claims_production"), TableName.of("claim_line_items"), TableName.of("chat_sessions"),
                            TableName.of("generated_images"))));
            assertThat(text).as("the layout of four seed tables, one with a gap, one missing a hash remainder").isEqualTo("""
                    public.chat_sessions  HASH (user_id)  3 partitions
                      primary key (id, user_id)
                      chat_sessions_h0  FOR VALUES WITH (MODULUS 4, REMAINDER 0)
                      chat_sessions_h1  FOR VALUES WITH (MODULUS 4, REMAINDER 1)
                      chat_sessions_h3  FOR VALUES WITH (MODULUS 4, REMAINDER 3)
                      missing: no partition for WITH (MODULUS 4, REMAINDER 2)

                    public.claim_line_items  RANGE (service_date)  5 partitions
                      primary key (id, service_date)
                      claim_line_items_y2024m04  FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')
                      claim_line_items_y2024m05  FOR VALUES FROM ('2024-05-01') TO ('2024-06-01')
                      claim_line_items_y2024m07  FOR VALUES FROM ('2024-07-01') TO ('2024-08-01')
                      claim_line_items_y2024m08  FOR VALUES FROM ('2024-08-01') TO ('2024-09-01')
                      claim_line_items_y2024m09  FOR VALUES FROM ('2024-09-01') TO ('2024-10-01')
                      gap: no partition from ('2024-06-01') to ('2024-07-01') (between claim_line_items_y2024m05 and claim_line_items_y2024m07)

                    public.claims_production  RANGE (service_from_date)  3 partitions
                      primary key (id, service_from_date)
                      referenced by public.claim_line_items (claim_id, claim_service_from_date)
                      claims_production_y2026  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
                      claims_production_y2027  FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')
                      claims_production_y2028  FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')

                    public.generated_images  RANGE (created_at)  4 partitions
                      primary key (id, created_at)
                      generated_images_2024_01  FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')
                      generated_images_2024_02  FOR VALUES FROM ('2024-02-01 00:00:00') TO ('2024-03-01 00:00:00')
                      generated_images_2024_03  FOR VALUES FROM ('2024-03-01 00:00:00') TO ('2024-04-01 00:00:00')
                      generated_images_default  DEFAULT
                    """);
        }
    }

    @Test
    void saysSoWhenThereIsNothingToShow(TestDatabase db) throws SQLException {
        db.execute("CREATE SCHEMA empty_one");
        try (Connection connection = db.connection()) {
            assertThat(LayoutText.render(new CatalogReader().read(connection, List.of(TableName.of("empty_one", "nothing")))))
                    .as("no partitioned table").isEqualTo("No partitioned tables found.\n");
        }
    }

    @Test
    void aPartitionInAnotherSchemaIsShownWithItsSchema(TestDatabase db) throws SQLException {
        db.execute("CREATE SCHEMA archive_2024",
                "CREATE TABLE spread (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE spread_2025 PARTITION OF spread FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE archive_2024.spread_2024 PARTITION OF spread FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        try (Connection connection = db.connection()) {
            assertThat(LayoutText.render(new CatalogReader().read(connection, List.of(TableName.of("spread"))))).isEqualTo("""
                    public.spread  RANGE (at)  2 partitions
                      archive_2024.spread_2024  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
                      spread_2025               FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
                    """);
        }
    }

    @Test
    void aTableWhoseBoundCannotBeReadIsReportedAsSuchAndTheOthersAsUsual(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE not_a_number (id int, amount numeric NOT NULL) PARTITION BY RANGE (amount)",
                "CREATE TABLE not_a_number_p PARTITION OF not_a_number FOR VALUES FROM (0) TO ('NaN')",
                "CREATE TABLE far_future (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE far_future_p PARTITION OF far_future FOR VALUES FROM ('9999-01-01') TO ('10000-01-01')",
                "CREATE TABLE near (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE near_2025 PARTITION OF near FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
        try (Connection connection = db.connection()) {
            io.pgpartition.catalog.CatalogSnapshot snapshot = new CatalogReader().read(connection,
                    List.of(TableName.of("near"), TableName.of("far_future"), TableName.of("not_a_number")));
            assertThat(snapshot.unreadableTables()).as("one table unreadable").containsOnlyKeys(TableName.of("public", "not_a_number"));
            assertThat(LayoutText.render(snapshot)).as("a bound past the year 9999 is read like any other").startsWith("""
                    public.far_future  RANGE (at)  1 partition
                      far_future_p  FOR VALUES FROM ('9999-01-01') TO ('10000-01-01')

                    public.near  RANGE (at)  1 partition
                      near_2025  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')

                    public.not_a_number  unreadable: Cannot read""");
        }
    }
}
