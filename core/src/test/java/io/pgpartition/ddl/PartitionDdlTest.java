package io.pgpartition.ddl;

import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionDdlTest {

    private static final TableName PARENT = TableName.of("public", "claim_line_items");
    private static final TableName APRIL = TableName.of("public", "claim_line_items_y2024m04");
    private static final PartitionKey BY_SERVICE_DATE = PartitionKey.of(PartitionStrategy.RANGE,
            KeyPart.column("service_date", ColumnType.of("date", ValueKind.DATE)));
    private static final RangeBound APRIL_BOUND = RangeBound.of(LocalDate.of(2024, 4, 1), LocalDate.of(2024, 5, 1));

    @Test
    void rendersEveryBoundForm() {
        assertThat(PartitionDdl.forValues(APRIL_BOUND)).as("range")
                .isEqualTo("FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')");
        assertThat(PartitionDdl.forValues(new RangeBound(List.of(RangeValue.of("a"), RangeValue.MINVALUE), List.of(RangeValue.MAXVALUE, RangeValue.MAXVALUE))))
                .as("multi-column with MINVALUE/MAXVALUE").isEqualTo("FOR VALUES FROM ('a', MINVALUE) TO (MAXVALUE, MAXVALUE)");
        assertThat(PartitionDdl.forValues(ListBound.of("auto", null))).as("list with NULL").isEqualTo("FOR VALUES IN ('auto', NULL)");
        assertThat(PartitionDdl.forValues(new HashBound(8, 3))).as("hash").isEqualTo("FOR VALUES WITH (MODULUS 8, REMAINDER 3)");
        assertThat(PartitionDdl.forValues(DefaultBound.INSTANCE)).as("default").isEqualTo("DEFAULT");
    }

    @Test
    void createsDetachesAndDrops() {
        assertThat(PartitionDdl.createPartitionOf(PARENT, APRIL, APRIL_BOUND)).as("create as partition")
                .isEqualTo("CREATE TABLE \"public\".\"claim_line_items_y2024m04\" PARTITION OF \"public\".\"claim_line_items\" "
                        + "FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')");
        assertThat(PartitionDdl.detach(PARENT, APRIL, false)).as("detach")
                .isEqualTo("ALTER TABLE \"public\".\"claim_line_items\" DETACH PARTITION \"public\".\"claim_line_items_y2024m04\"");
        assertThat(PartitionDdl.detach(PARENT, APRIL, true)).as("detach concurrently")
                .isEqualTo("ALTER TABLE \"public\".\"claim_line_items\" DETACH PARTITION \"public\".\"claim_line_items_y2024m04\" CONCURRENTLY");
        assertThat(PartitionDdl.drop(APRIL)).as("drop, never cascade").isEqualTo("DROP TABLE \"public\".\"claim_line_items_y2024m04\"");
        assertThat(PartitionDdl.detachFinalize(PARENT, APRIL)).as("finish an interrupted concurrent detach")
                .isEqualTo("ALTER TABLE \"public\".\"claim_line_items\" DETACH PARTITION \"public\".\"claim_line_items_y2024m04\" FINALIZE");
        assertThat(PartitionDdl.moveToSchema(APRIL, "claims_archive")).as("archive into another schema")
                .isEqualTo("ALTER TABLE \"public\".\"claim_line_items_y2024m04\" SET SCHEMA \"claims_archive\"");
    }

    @Test
    void createsStandaloneWithMatchingCheckThenAttaches() {
        assertThat(PartitionDdl.createStandaloneThenAttach(PARENT, BY_SERVICE_DATE, APRIL, APRIL_BOUND))
                .as("standalone table with a CHECK matching the bound, attach, drop the CHECK")
                .containsExactly(
                        "CREATE TABLE \"public\".\"claim_line_items_y2024m04\" (LIKE \"public\".\"claim_line_items\" INCLUDING ALL "
                                + "EXCLUDING IDENTITY, CONSTRAINT \"pgpartition_bound\" CHECK (\"service_date\" IS NOT NULL AND "
                                + "\"service_date\" >= '2024-04-01' AND \"service_date\" < '2024-05-01'))",
                        "ALTER TABLE \"public\".\"claim_line_items\" ATTACH PARTITION \"public\".\"claim_line_items_y2024m04\" "
                                + "FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                        "ALTER TABLE \"public\".\"claim_line_items_y2024m04\" DROP CONSTRAINT \"pgpartition_bound\"");
    }

    @Test
    void createsAnEmptyTableThenAttachesWithoutCheck() {
        assertThat(PartitionDdl.createEmptyThenAttach(PARENT, APRIL, APRIL_BOUND))
                .as("an empty table needs no CHECK to spare the attach a scan")
                .containsExactly(
                        "CREATE TABLE \"public\".\"claim_line_items_y2024m04\" (LIKE \"public\".\"claim_line_items\" INCLUDING ALL "
                                + "EXCLUDING IDENTITY)",
                        "ALTER TABLE \"public\".\"claim_line_items\" ATTACH PARTITION \"public\".\"claim_line_items_y2024m04\" "
                                + "FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')");
    }

    @Test
    void writesChecksForListBoundsAndNoneForHash() {
        PartitionKey bySource = PartitionKey.of(PartitionStrategy.LIST, KeyPart.column("source_type", ColumnType.of("text", ValueKind.TEXT)));
        assertThat(PartitionDdl.boundCheck(bySource, ListBound.of("auto", "manual"))).as("list")
                .isEqualTo("\"source_type\" IS NOT NULL AND \"source_type\" IN ('auto', 'manual')");
        assertThat(PartitionDdl.boundCheck(bySource, ListBound.of("auto", null))).as("list with NULL")
                .isEqualTo("(\"source_type\" IS NULL OR \"source_type\" IN ('auto'))");
        assertThat(PartitionDdl.boundCheck(bySource, ListBound.of((Object) null))).as("NULL only").isEqualTo("\"source_type\" IS NULL");
        assertThat(PartitionDdl.boundCheck(PartitionKey.of(PartitionStrategy.HASH, KeyPart.column("id", ColumnType.of("bigint", ValueKind.INTEGER))),
                new HashBound(4, 1))).as("hash").isNull();
        assertThat(PartitionDdl.boundCheck(BY_SERVICE_DATE, RangeBound.of(RangeValue.MINVALUE, RangeValue.of(LocalDate.of(2024, 1, 1)))))
                .as("MINVALUE leaves the lower side open")
                .isEqualTo("\"service_date\" IS NOT NULL AND \"service_date\" < '2024-01-01'");
    }
}
