package io.pgpartition.report;

import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.maintenance.RetiredPartition;
import io.pgpartition.report.PartitionReport.PartitionEntry;
import io.pgpartition.report.PartitionReport.Sizes;
import io.pgpartition.report.PartitionReport.TableReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link PartitionReport} for a terminal: one block per table, its partitions in aligned columns with human sizes,
 * sub-partitions indented under their partition.
 *
 * <pre>
 * public.chat_messages  RANGE (created_at)  4 partitions  ~1,204 rows  1.2 MB  ahead until '2027-04-01 00:00:00+00'
 *   partition              bound                                                                ~rows    size  indexes  toast
 *   chat_messages_p202612  FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')  1,204  1.0 MB   192 kB    0 B
 * </pre>
 */
public final class ReportText {

    private ReportText() {
    }

    public static String render(PartitionReport report) {
        StringBuilder text = new StringBuilder();
        for (TableReport table : report.tables()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            table(table, "", text);
        }
        if (report.tables().isEmpty()) {
            text.append("No partitioned tables found.\n");
        }
        if (!report.retired().isEmpty()) {
            text.append("\nretired partitions\n");
            List<String[]> rows = new ArrayList<>();
            for (RetiredPartition retired : report.retired()) {
                rows.add(new String[]{retired.table().toString(), describe(retired.state()), "from " + retired.parent(), retired.bound()});
            }
            columns(rows, "  ", new boolean[4], text);
        }
        report.unreadable().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                text.append('\n').append(entry.getKey()).append("  unreadable: ").append(entry.getValue()).append('\n'));
        return text.toString();
    }

    private static void table(TableReport table, String indent, StringBuilder text) {
        long partitions = table.partitions().stream().filter(p -> !p.isDefault()).count();
        text.append(indent).append(table.name()).append("  ").append(table.key()).append("  ").append(count(partitions, "partition"));
        if (table.defaultPartition().isPresent()) {
            text.append(" + default");
        }
        table.citus().ifPresent(citus -> text.append("  Citus ").append(citus.type()).append(citus.distributedByColumn()
                ? " by " + citus.column().orElseThrow() + ", " + count(citus.shardCount(), "shard") + " per partition, colocation group "
                + citus.colocationId() : " table"));
        text.append("  ").append(table.exactRows().isPresent() ? count(table.exactRows().getAsLong(), "row")
                : table.analyzed() || table.partitions().isEmpty() ? "~" + count(table.estimatedRows(), "row") : "rows not analyzed")
                .append("  ").append(bytes(table.size().total()));
        table.coveredUntil().ifPresent(until -> text.append("  ahead until ").append(PartitionDdl.rangeValues(List.of(until))));
        text.append('\n');
        table.defaultRows().ifPresent(rows -> {
            if (rows > 0) {
                text.append(indent).append("  default partition holds ").append(count(rows, "row")).append('\n');
            }
        });
        table.gaps().forEach(gap -> text.append(indent).append("  gap: no partition ").append(gap).append('\n'));
        table.overlaps().forEach(overlap -> text.append(indent).append("  overlap: ").append(overlap).append('\n'));
        if (!table.missingRemainders().isEmpty()) {
            text.append(indent).append("  missing hash remainders: ").append(table.missingRemainders().stream()
                    .map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")).append('\n');
        }
        if (table.partitions().isEmpty()) {
            text.append(indent).append("  no partitions: every insert fails\n");
            return;
        }
        boolean exact = table.exactRows().isPresent();
        List<String[]> rows = new ArrayList<>();
        rows.add(exact ? new String[]{"partition", "bound", "~rows", "rows", "size", "indexes", "toast"}
                : new String[]{"partition", "bound", "~rows", "size", "indexes", "toast"});
        for (PartitionEntry partition : table.partitions()) {
            String name = partition.name().schema() != null && !partition.name().schema().equals(table.name().schema())
                    ? partition.name().toString() : partition.name().name();
            Sizes size = partition.size();
            String estimated = partition.estimatedRows() < 0 ? "-" : number(partition.estimatedRows());
            rows.add(exact ? new String[]{name, partition.bound(), estimated, number(partition.exactRows().orElse(0)),
                    bytes(size.total()), bytes(size.indexes()), bytes(size.toast())}
                    : new String[]{name, partition.bound(), estimated, bytes(size.total()), bytes(size.indexes()), bytes(size.toast())});
        }
        boolean[] right = exact ? new boolean[]{false, false, true, true, true, true, true}
                : new boolean[]{false, false, true, true, true, true};
        StringBuilder block = new StringBuilder();
        columns(rows, indent + "  ", right, block);
        String[] lines = block.toString().split("\n", -1);
        text.append(lines[0]).append('\n');
        for (int i = 0; i < table.partitions().size(); i++) {
            text.append(lines[i + 1]).append('\n');
            table.partitions().get(i).subpartitions().ifPresent(sub -> table(sub, indent + "    ", text));
        }
    }

    private static String describe(RetiredPartition.State state) {
        return switch (state) {
            case DETACH_PENDING -> "detach pending";
            case DETACHED_TO_DROP -> "detached, to be dropped";
            case DETACHED_TO_ARCHIVE -> "detached, to be archived";
            case DETACHED -> "detached";
            case ARCHIVED -> "archived";
        };
    }

    /** Rows in aligned columns, separated by two spaces, the columns marked {@code right} aligned right. */
    private static void columns(List<String[]> rows, String indent, boolean[] right, StringBuilder text) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.length; c++) {
                String pad = " ".repeat(widths[c] - row[c].length());
                line.append(c == 0 ? "" : "  ").append(right[c] ? pad + row[c] : row[c] + (c == row.length - 1 ? "" : pad));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** {@code 1,234,567}. */
    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes in binary units: {@code 512 B}, {@code 16.0 kB}, {@code 3.2 MB}, {@code 120 GB}. */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : (value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }

    private static String count(long n, String noun) {
        return number(n) + " " + noun + (n == 1 ? "" : "s");
    }
}
