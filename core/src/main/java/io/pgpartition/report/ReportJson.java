package io.pgpartition.report;

import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.maintenance.RetiredPartition;
import io.pgpartition.model.TableName;
import io.pgpartition.report.PartitionReport.PartitionEntry;
import io.pgpartition.report.PartitionReport.Sizes;
import io.pgpartition.report.PartitionReport.TableReport;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A {@link PartitionReport} as JSON, in the documented and stable format {@value #FORMAT}: the schema is
 * {@code io/pgpartition/report/report.schema.json} in this jar. Fields are only ever added within a format version;
 * a field that does not apply is {@code null}, never left out.
 */
public final class ReportJson {

    /** The format's name and version, the value of the top-level {@code format} field. */
    public static final String FORMAT = "pgpartition-report/1";

    /** Where the JSON schema of the format is, on the class path. */
    public static final String SCHEMA_RESOURCE = "/io/pgpartition/report/report.schema.json";

    private ReportJson() {
    }

    public static String render(PartitionReport report) {
        StringBuilder json = new StringBuilder();
        json.append("{\"format\":").append(string(FORMAT))
                .append(",\"at\":").append(string(report.at().toString()))
                .append(",\"server\":").append(string(report.server()))
                .append(",\"tables\":[");
        List<TableReport> tables = report.tables();
        for (int i = 0; i < tables.size(); i++) {
            json.append(i == 0 ? "" : ",");
            table(tables.get(i), json);
        }
        json.append("],\"retired\":[");
        List<RetiredPartition> retired = report.retired();
        for (int i = 0; i < retired.size(); i++) {
            RetiredPartition r = retired.get(i);
            json.append(i == 0 ? "" : ",").append("{\"table\":").append(name(r.table())).append(",\"parent\":").append(name(r.parent()))
                    .append(",\"state\":").append(string(r.state().name())).append(",\"bound\":").append(string(r.bound())).append('}');
        }
        json.append("],\"unreadable\":[");
        List<Map.Entry<TableName, String>> unreadable = report.unreadable().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        for (int i = 0; i < unreadable.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"table\":").append(name(unreadable.get(i).getKey()))
                    .append(",\"reason\":").append(string(unreadable.get(i).getValue())).append('}');
        }
        return json.append("]}\n").toString();
    }

    private static void table(TableReport table, StringBuilder json) {
        json.append("{\"table\":").append(name(table.name()))
                .append(",\"strategy\":").append(string(table.strategy().name()))
                .append(",\"key\":").append(string(table.key()));
        table.citus().ifPresent(citus -> json.append(",\"citus\":{\"type\":").append(string(citus.type().name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"distributionColumn\":").append(citus.column().map(ReportJson::string).orElse("null"))
                .append(",\"colocationId\":").append(citus.colocationId())
                .append(",\"shardsPerPartition\":").append(citus.shardCount()).append('}'));
        json.append(",\"estimatedRows\":").append(table.estimatedRows())
                .append(",\"exactRows\":").append(number(table.exactRows()))
                .append(",\"bytes\":");
        sizes(table.size(), json);
        json.append(",\"defaultPartition\":").append(table.defaultPartition().map(p -> name(p.name())).orElse("null"))
                .append(",\"defaultRows\":").append(number(table.defaultRows()))
                .append(",\"coveredUntil\":").append(table.coveredUntil()
                        .map(until -> string(PartitionDdl.rangeValues(List.of(until)))).orElse("null"))
                .append(",\"gaps\":").append(strings(table.gaps()))
                .append(",\"overlaps\":").append(strings(table.overlaps()))
                .append(",\"missingRemainders\":").append(table.missingRemainders())
                .append(",\"partitions\":[");
        List<PartitionEntry> partitions = table.partitions();
        for (int i = 0; i < partitions.size(); i++) {
            PartitionEntry p = partitions.get(i);
            json.append(i == 0 ? "" : ",").append("{\"table\":").append(name(p.name()))
                    .append(",\"bound\":").append(string(p.bound()))
                    .append(",\"default\":").append(p.isDefault())
                    .append(",\"estimatedRows\":").append(p.estimatedRows())
                    .append(",\"exactRows\":").append(number(p.exactRows()))
                    .append(",\"bytes\":");
            sizes(p.size(), json);
            json.append(",\"subpartitions\":");
            if (p.subpartitions().isPresent()) {
                table(p.subpartitions().get(), json);
            } else {
                json.append("null");
            }
            json.append('}');
        }
        json.append("]}");
    }

    private static void sizes(Sizes sizes, StringBuilder json) {
        json.append("{\"total\":").append(sizes.total()).append(",\"table\":").append(sizes.table())
                .append(",\"indexes\":").append(sizes.indexes()).append(",\"toast\":").append(sizes.toast()).append('}');
    }

    private static String name(TableName name) {
        return "{\"schema\":" + (name.schema() == null ? "null" : string(name.schema())) + ",\"name\":" + string(name.name()) + "}";
    }

    private static String number(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "null";
    }

    private static String strings(List<String> values) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            json.append(i == 0 ? "" : ",").append(string(values.get(i)));
        }
        return json.append(']').toString();
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String string(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
