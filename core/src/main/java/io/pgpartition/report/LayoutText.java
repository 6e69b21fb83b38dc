package io.pgpartition.report;

import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.ForeignKey;
import io.pgpartition.catalog.Relation;
import io.pgpartition.catalog.UniqueConstraint;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeGap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The partition layout of tables as plain text: key, primary key, incoming foreign keys, each partition with the
 * bound clause that would create it, and for range tables the gaps between partitions.
 *
 * <pre>
 * public.claims_production  RANGE (service_from_date)  3 partitions
 *   primary key (id, service_from_date)
 *   referenced by public.claim_line_items (claim_id, claim_service_from_date)
 *   claims_production_y2026  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
 *   ...
 * </pre>
 */
public final class LayoutText {

    private LayoutText() {
    }

    /** Every root partitioned table of the snapshot, with sub-partitions indented beneath their partition. */
    public static String render(CatalogSnapshot snapshot) {
        StringBuilder text = new StringBuilder();
        for (PartitionedTable table : snapshot.rootPartitionedTables()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            render(snapshot, table, text);
        }
        snapshot.unreadableTables().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(entry -> {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(entry.getKey()).append("  unreadable: ").append(entry.getValue()).append('\n');
        });
        return text.isEmpty() ? "No partitioned tables found.\n" : text.toString();
    }

    private static void render(CatalogSnapshot snapshot, PartitionedTable table, StringBuilder text) {
        text.append(table.name()).append("  ").append(table.key()).append("  ")
                .append(count(table.partitions().size(), "partition")).append('\n');
        Optional<Relation> relation = snapshot.relation(table.name());
        relation.flatMap(Relation::primaryKey).ifPresent(pk ->
                text.append("  primary key (").append(String.join(", ", pk.columns())).append(")\n"));
        relation.ifPresent(r -> {
            for (UniqueConstraint unique : r.uniqueConstraints()) {
                if (!unique.primaryKey()) {
                    text.append("  unique ").append(unique.name()).append(" (").append(String.join(", ", unique.columns())).append(")\n");
                }
            }
            for (ForeignKey foreignKey : r.referencedBy()) {
                text.append("  referenced by ").append(foreignKey.referencing()).append(" (")
                        .append(String.join(", ", foreignKey.referencingColumns())).append(")\n");
            }
        });
        partitions(snapshot, table, "  ", text);
        if (table.strategy() == PartitionStrategy.RANGE) {
            for (RangeGap gap : table.gaps()) {
                text.append("  gap: no partition from (").append(PartitionDdl.rangeValues(gap.from())).append(") to (").append(PartitionDdl.rangeValues(gap.to())).append(")")
                        .append(" (between ").append(gap.before().name()).append(" and ").append(gap.after().name()).append(")\n");
            }
        }
        if (table.strategy() == PartitionStrategy.HASH) {
            for (HashBound missing : table.missingRemainders()) {
                text.append("  missing: no partition for ").append(missing).append('\n');
            }
        }
        if (table.partitions().isEmpty()) {
            text.append("  no partitions: every insert fails\n");
        }
    }

    private static void partitions(CatalogSnapshot snapshot, PartitionedTable table, String indent, StringBuilder text) {
        List<Partition> ordered = new ArrayList<>(table.orderedPartitions());
        table.defaultPartition().ifPresent(ordered::add);
        int width = ordered.stream().mapToInt(p -> shown(table, p).length()).max().orElse(0);
        for (Partition partition : ordered) {
            text.append(indent).append(pad(shown(table, partition), width)).append("  ")
                    .append(PartitionDdl.forValues(partition.bound()));
            if (partition.estimatedRows() >= 0) {
                text.append("  ~").append(count(partition.estimatedRows(), "row"));
            }
            text.append('\n');
            if (partition.subpartitioned()) {
                snapshot.partitionedTable(partition.name()).ifPresent(sub -> {
                    text.append(indent).append("  ").append(sub.key()).append("  ")
                            .append(count(sub.partitions().size(), "partition")).append('\n');
                    partitions(snapshot, sub, indent + "  ", text);
                });
            }
        }
    }

    /** A partition's name, schema-qualified when its schema is not its table's. */
    private static String shown(PartitionedTable table, Partition partition) {
        boolean sameSchema = java.util.Objects.equals(partition.name().schema(), table.name().schema());
        return sameSchema ? partition.name().name() : partition.name().toString();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
