package io.pgpartition.conversion;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.Jdbc;
import io.pgpartition.catalog.TableFacts;
import io.pgpartition.catalog.TableReader;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.Sql;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.Periods;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.RangePolicy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Converts one plain table into a partitioned one while the application keeps writing to it.
 *
 * <p>{@link #run} goes through the phases of {@link ConversionStatus.Phase}, recording each in the table
 * {@value #STATE_TABLE} of the table's schema, so that a run stopped anywhere (process killed, connection lost,
 * server restarted) is resumed by running again: nothing is copied twice, nothing is lost.
 * <ol>
 *   <li>prepare, in one transaction: the twin {@code <table>_partitioned} ({@code LIKE} the table, without its
 *       indexes and identity), its primary key and unique constraints with the key added, its other indexes and
 *       outgoing foreign keys, partitions covering every key present plus the premake horizon, a change log
 *       {@code <table>_pgp_log}, and on the table a trigger that records in it the key of every row an INSERT, UPDATE
 *       or DELETE touches (TRUNCATE is refused until the end);</li>
 *   <li>copy, in batches in primary-key order up to the greatest key present when the trigger was made, each batch
 *       its own transaction; the copy takes no row lock, so writers never wait for it;</li>
 *   <li>replay and verify: the twin's rows of every logged key are replaced by the table's current version, in rounds;
 *       then, in one snapshot, the row count and checksum of every partition against the rows of the table it should
 *       hold, leaving out the keys logged since;</li>
 *   <li>swap, in one transaction under a lock timeout with retries: the last logged changes replayed under the lock,
 *       then the names, the sequences (serial and identity),
 *       grants, comment, row-level security, user triggers and dependent views move to the partitioned table; the
 *       original stays as {@code <table>_old}, kept in sync the other way, for {@link #rollback} until
 *       {@link #cleanup}.</li>
 * </ol>
 */
public final class TableConversion {

    /** The table, in the converted table's schema, where conversions record their state. */
    public static final String STATE_TABLE = "pgpartition_conversions";
    /** The name of the trigger that mirrors writes (into the twin before the swap, back into the original after). */
    public static final String SYNC_TRIGGER = "pgpartition_sync";
    /** The name of the trigger that refuses TRUNCATE while a conversion is under way. */
    public static final String TRUNCATE_TRIGGER = "pgpartition_no_truncate";
    /** The first key of a conversion's advisory lock ({@code 'pgpc'}); the second is {@code hashtext} of the table's name. */
    public static final int ADVISORY_LOCK_CLASS = 0x70677063;
    /** How long a run waits for another run's advisory lock before it refuses. */
    static final long LOCK_WAIT_MILLIS = 3_000;

    private static final String TWIN_SUFFIX = "_partitioned";
    private static final String RETIRED_SUFFIX = "_old";
    private static final String INDEX_SUFFIX = "_pgp";

    private final ConversionSpec spec;

    public TableConversion(ConversionSpec spec) {
        this.spec = spec;
    }

    /**
     * A conversion already recorded in the database, for {@link #status}, {@link #rollback} and {@link #cleanup}, which
     * read what they need from it: its layout and key are not needed (and not known).
     */
    public static TableConversion recorded(TableName table, MaintenanceOptions options) {
        return new TableConversion(new ConversionSpec(table, "", new HashPolicy(1, NamingPattern.parse("{table}_h{remainder}",
                "recorded conversion", "naming")), 1, Duration.ZERO, ConversionSpec.ForeignKeys.REFUSE, options));
    }

    public ConversionSpec spec() {
        return spec;
    }

    // ------------------------------------------------------------------ names

    /** The names a conversion of {@code table} uses. */
    record Names(TableName table, TableName twin, TableName retired, TableName syncFunction, TableName truncateFunction,
                 TableName state, TableName log, TableName logFunction) {

        static Names of(TableName table) {
            return new Names(table, table.sibling(derived(table.name(), TWIN_SUFFIX)), table.sibling(derived(table.name(), RETIRED_SUFFIX)),
                    table.sibling(derived(table.name(), "_pgp_sync")), table.sibling(derived(table.name(), "_pgp_no_truncate")),
                    table.sibling(STATE_TABLE), table.sibling(derived(table.name(), "_pgp_log")),
                    table.sibling(derived(table.name(), "_pgp_log_write")));
        }
    }

    /**
     * {@code name + suffix}, or when that is over PostgreSQL's 63 bytes, the name cut on a character boundary with a
     * short hash of the whole name before the suffix, so that two long names never derive the same.
     */
    static String derived(String name, String suffix) {
        String whole = name + suffix;
        if (whole.getBytes(StandardCharsets.UTF_8).length <= Sql.MAX_IDENTIFIER_BYTES) {
            return whole;
        }
        String hash = String.format("_%08x", name.hashCode());
        int budget = Sql.MAX_IDENTIFIER_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length - hash.length();
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut + hash + suffix;
    }

    // ------------------------------------------------------------------ the model of one conversion

    /** What the catalog and the data say about the table, and what the conversion will create from it. */
    private record Model(TableFacts facts, Names names, ColumnType keyType, List<String> identityColumns, List<String> insertable,
                         List<String> allColumns, long rows, long nullKeys, String minKey, String maxKey,
                         List<Partitioned> partitions, List<String> blockers, List<ConversionAnalysis.Change> changes,
                         List<String> carried, List<String> twinDdl) {
    }

    /** A partition of the twin. */
    private record Partitioned(TableName name, PartitionBound bound) {
    }

    private Model model(Connection connection, Instant now) throws SQLException {
        TableFacts facts = TableReader.read(connection, spec.table()).orElseThrow(() -> new PartitioningException(
                ErrorCode.CATALOG_UNREADABLE, "Table " + spec.table() + " does not exist. Check the name and the schema: schema.table."));
        Names names = Names.of(facts.name());
        facts = withoutOwnTriggers(facts);
        List<String> blockers = new ArrayList<>();
        List<ConversionAnalysis.Change> changes = new ArrayList<>();
        List<String> carried = new ArrayList<>();
        String key = spec.keyColumn();
        TableName table = facts.name();
        if (!facts.kind().equals("r")) {
            blockers.add(table + " is " + (facts.kind().equals("p") ? "already partitioned" : "not a plain table (relkind "
                    + facts.kind() + ")") + ": there is nothing to convert.");
            return new Model(facts, names, null, List.of(), List.of(), List.of(), 0, 0, null, null, List.of(), blockers, changes,
                    carried, List.of());
        }
        Optional<TableFacts.Column> keyColumn = facts.column(key);
        ColumnType keyType = keyColumn.map(c -> ColumnType.of(c.type(), ColumnType.kindOfTypeName(c.baseType()))).orElse(null);
        if (keyColumn.isEmpty()) {
            blockers.add(table + " has no column " + key + ". Fix: name an existing column in --by, one of "
                    + facts.columns().stream().map(TableFacts.Column::name).collect(Collectors.joining(", ")) + ".");
        } else if (spec.policy() instanceof RangePolicy range && !Periods.fits(range, keyType)) {
            blockers.add("Column " + key + " of " + table + " is " + keyColumn.get().type() + ", which an interval of "
                    + range.interval() + " cannot step through. Fix: use " + (range.interval().isTime()
                    ? "an integer step such as 100000, or a date or timestamp column" : "an interval such as '1 month'") + ".");
        }
        List<String> identity = identityColumns(facts);
        if (identity.isEmpty()) {
            blockers.add(table + " has no primary key (nor a unique constraint on NOT NULL columns): the sync trigger and the "
                    + "batches identify rows by one. Fix: ALTER TABLE " + Sql.table(table) + " ADD PRIMARY KEY (...).");
        }
        List<TableFacts.Reference> unkeyed = unkeyedReferences(facts);
        for (TableFacts.Reference reference : facts.referencedBy()) {
            if (!unkeyed.contains(reference)) {
                carried.add("foreign key " + reference.constraint() + " of " + reference + " (re-pointed at the partitioned table at "
                        + "the swap, validated after it)");
            }
        }
        if (!unkeyed.isEmpty()) {
            String referencing = unkeyed.stream().map(Object::toString).collect(Collectors.joining(", "));
            if (spec.foreignKeys() == ConversionSpec.ForeignKeys.REFUSE) {
                blockers.add(table + " is referenced by " + referencing + ": a foreign key can only reference a partitioned table "
                        + "by columns that include the partition key. Fix: drop those foreign keys (or add " + key + " to them), or "
                        + "convert with --foreign-keys drop, which drops them at the swap and prints each.");
            } else {
                for (TableFacts.Reference reference : unkeyed) {
                    changes.add(new ConversionAnalysis.Change("foreign key " + reference.constraint() + " of " + reference
                            + " is dropped at the swap", "ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT "
                            + Sql.identifier(reference.constraint())));
                }
            }
        }
        List<String> all = facts.columns().stream().map(TableFacts.Column::name).toList();
        List<String> insertable = facts.columns().stream().filter(c -> !c.isGenerated()).map(TableFacts.Column::name).toList();
        long rows = 0;
        long nullKeys = 0;
        String min = null;
        String max = null;
        List<Partitioned> partitions = new ArrayList<>();
        List<String> twinDdl = new ArrayList<>();
        if (keyColumn.isPresent()) {
            String k = Sql.identifier(key);
            Object[] data = Jdbc.first(connection, "SELECT count(*), count(*) FILTER (WHERE " + k + " IS NULL), min(" + k + ")::text, max("
                    + k + ")::text FROM " + Sql.table(table), rs -> new Object[]{rs.getLong(1), rs.getLong(2), rs.getString(3),
                    rs.getString(4)}).orElseThrow();
            rows = (Long) data[0];
            nullKeys = (Long) data[1];
            min = (String) data[2];
            max = (String) data[3];
            if (nullKeys > 0) {
                blockers.add(nullKeys + " row" + (nullKeys == 1 ? "" : "s") + " of " + table + " have a null " + key
                        + ", which the partitioned table's primary key cannot hold. Fix: UPDATE " + Sql.table(table) + " SET "
                        + k + " = ... WHERE " + k + " IS NULL.");
            }
            if (!keyColumn.get().notNull()) {
                changes.add(new ConversionAnalysis.Change("column " + key + " becomes NOT NULL (the primary key includes it)",
                        "ALTER TABLE " + Sql.table(names.twin()) + " ALTER COLUMN " + k + " SET NOT NULL"));
            }
            if (blockers.stream().noneMatch(b -> b.contains("cannot step through"))) {
                partitions = partitions(connection, table, keyType, min, max, now, blockers);
            }
        }
        if (keyColumn.isPresent() && !identity.isEmpty()) {
            twinDdl = twinDdl(facts, names, identity, partitions, changes, carried, blockers);
        }
        boolean recorded = stateRecorded(connection, names);
        for (TableName name : List.of(names.twin(), names.retired())) {
            boolean exists = Jdbc.first(connection, "SELECT pg_catalog.to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1),
                    Sql.table(name)).orElse(false);
            if (exists && !recorded) {
                blockers.add("A relation named " + name + " already exists, and the conversion needs that name. Fix: rename or drop it.");
            }
        }
        for (Partitioned partition : partitions) {
            int bytes = partition.name().name().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Sql.MAX_IDENTIFIER_BYTES) {
                blockers.add("Partition name \"" + partition.name().name() + "\" is " + bytes + " bytes; PostgreSQL cuts names at "
                        + Sql.MAX_IDENTIFIER_BYTES + " bytes. Fix: choose a shorter --naming pattern.");
                break;
            }
        }
        for (Partitioned partition : partitions) {
            if (partition.name().name().getBytes(StandardCharsets.UTF_8).length > Sql.MAX_IDENTIFIER_BYTES) {
                continue;
            }
            boolean exists = Jdbc.first(connection, "SELECT pg_catalog.to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1),
                    Sql.table(partition.name())).orElse(false);
            if (exists && !recorded) {
                blockers.add("A relation named " + partition.name() + " already exists, and a partition needs that name. Fix: rename "
                        + "or drop it, or choose another --naming.");
            }
        }
        return new Model(facts, names, keyType, identity, insertable, all, rows, nullKeys, min, max, partitions, blockers, changes,
                carried, twinDdl);
    }

    /** The foreign keys referencing the table by columns that do not include the partition key. */
    private List<TableFacts.Reference> unkeyedReferences(TableFacts facts) {
        return facts.referencedBy().stream().filter(r -> !r.referencedColumns().contains(spec.keyColumn())).toList();
    }

    /** The foreign keys referencing the table by columns that include the key: they can point at the partitioned table. */
    private List<TableFacts.Reference> keyedReferences(TableFacts facts) {
        return facts.referencedBy().stream().filter(r -> r.referencedColumns().contains(spec.keyColumn())).toList();
    }

    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (?:(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"(]+)\\.)?"
            + "(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"(]+)\\(");

    /** A foreign key definition referencing {@code table} instead, added NOT VALID (validated after the swap commits). */
    static String repointed(String definition, TableName table) {
        Matcher m = REFERENCES.matcher(definition);
        String pointed = m.find() ? definition.substring(0, m.start()) + "REFERENCES " + Sql.table(table) + "(" + definition.substring(m.end())
                : definition;
        return pointed.endsWith(" NOT VALID") ? pointed : pointed + " NOT VALID";
    }

    /** Statements that make the keyed foreign keys of {@code facts} reference {@code table} (by name, after the renames). */
    private static List<String> repointStatements(List<TableFacts.Reference> references, TableName table) {
        List<String> statements = new ArrayList<>();
        for (TableFacts.Reference reference : references) {
            statements.add("ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint()));
            statements.add("ALTER TABLE " + Sql.table(reference.table()) + " ADD CONSTRAINT " + Sql.identifier(reference.constraint()) + " "
                    + repointed(reference.definition(), table));
        }
        return statements;
    }

    /** Validates the foreign keys re-pointed by a swap or a rollback, each in its own transaction (SHARE UPDATE EXCLUSIVE). */
    private static void validate(Connection connection, List<TableFacts.Reference> references) throws SQLException {
        for (TableFacts.Reference reference : references) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + Sql.table(reference.table()) + " VALIDATE CONSTRAINT " + Sql.identifier(reference.constraint()));
            }
        }
    }

    /** The facts without the triggers a conversion puts on the table. */
    private static TableFacts withoutOwnTriggers(TableFacts facts) {
        List<TableFacts.Trigger> triggers = facts.triggers().stream()
                .filter(t -> !t.name().equals(SYNC_TRIGGER) && !t.name().equals(TRUNCATE_TRIGGER)).toList();
        return new TableFacts(facts.name(), facts.kind(), facts.owner(), facts.comment(), facts.rowSecurity(), facts.columns(),
                facts.constraints(), facts.indexes(), triggers, facts.sequences(), facts.referencedBy(), facts.views(), facts.grants(),
                facts.policies(), facts.estimatedRows());
    }

    /** The primary key's columns, or those of the first unique constraint on NOT NULL columns. */
    private static List<String> identityColumns(TableFacts facts) {
        Optional<TableFacts.Constraint> primary = facts.primaryKey();
        if (primary.isPresent()) {
            return primary.get().columns();
        }
        return facts.constraints().stream().filter(c -> c.type().equals("u"))
                .filter(c -> c.columns().stream().allMatch(col -> facts.column(col).map(TableFacts.Column::notNull).orElse(false)))
                .findFirst().map(TableFacts.Constraint::columns).orElse(List.of());
    }

    private List<Partitioned> partitions(Connection connection, TableName table, ColumnType keyType, String min, String max, Instant now,
                                         List<String> blockers) throws SQLException {
        List<Partitioned> partitions = new ArrayList<>();
        if (spec.policy() instanceof RangePolicy range) {
            Object from = min == null ? null : keyType.parse(min);
            Object to = max == null ? null : keyType.parse(max);
            for (Periods.Period period : Periods.covering(range, table, keyType, from, to, now)) {
                partitions.add(new Partitioned(period.name(), period.bound()));
            }
            if (range.defaultPartition()) {
                partitions.add(new Partitioned(table.sibling(derived(table.name(), "_default")), DefaultBound.INSTANCE));
            }
        } else if (spec.policy() instanceof ListPolicy list) {
            List<String> declared = new ArrayList<>();
            for (ListPartitionSpec partition : list.partitions()) {
                List<Object> values = partition.values().stream().map(keyType::parse).toList();
                partitions.add(new Partitioned(table.sibling(partition.name()), new ListBound(values)));
                declared.addAll(partition.values());
            }
            String k = Sql.identifier(spec.keyColumn());
            List<String> uncovered = Jdbc.list(connection, "SELECT DISTINCT " + k + "::text FROM " + Sql.table(table) + " WHERE "
                    + k + " IS NOT NULL AND NOT (" + k + "::text = ANY (?)) ORDER BY 1 LIMIT 11", rs -> rs.getString(1),
                    (Object) declared.toArray(String[]::new));
            if (!uncovered.isEmpty()) {
                blockers.add("Values of " + spec.keyColumn() + " in " + table + " have no declared partition: "
                        + uncovered.stream().limit(10).map(Sql::literal).collect(Collectors.joining(", "))
                        + (uncovered.size() > 10 ? ", ..." : "") + ". Fix: declare a partition for them (--list NAME=VALUE,...).");
            }
        } else {
            HashPolicy hash = (HashPolicy) spec.policy();
            for (int remainder = 0; remainder < hash.modulus(); remainder++) {
                partitions.add(new Partitioned(table.sibling(hash.partitionName(table.name(), remainder)),
                        new HashBound(hash.modulus(), remainder)));
            }
        }
        return partitions;
    }

    /**
     * The statements that create the twin with everything it needs before the first row arrives; records what changes
     * and what is carried over.
     */
    private List<String> twinDdl(TableFacts facts, Names names, List<String> identity, List<Partitioned> partitions,
                                 List<ConversionAnalysis.Change> changes, List<String> carried, List<String> blockers) {
        String key = spec.keyColumn();
        TableName twin = names.twin();
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE " + Sql.table(twin) + " (LIKE " + Sql.table(facts.name()) + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                + "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS) "
                + PartitionDdl.partitionBy(spec.policy().strategy(), List.of(key)));
        for (TableFacts.Constraint constraint : facts.constraints()) {
            switch (constraint.type()) {
                case "p", "u" -> {
                    List<String> columns = new ArrayList<>(constraint.columns());
                    boolean gains = !columns.contains(key);
                    if (gains) {
                        columns.add(key);
                    }
                    String sql = "ALTER TABLE " + Sql.table(twin) + " ADD CONSTRAINT " + Sql.identifier(derived(constraint.name(), INDEX_SUFFIX))
                            + (constraint.type().equals("p") ? " PRIMARY KEY (" : " UNIQUE (")
                            + columns.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ")";
                    ddl.add(sql);
                    if (gains) {
                        changes.add(new ConversionAnalysis.Change((constraint.type().equals("p") ? "primary key " : "unique constraint ")
                                + constraint.name() + " (" + String.join(", ", constraint.columns()) + ") becomes (" + String.join(", ", columns)
                                + "): PostgreSQL enforces uniqueness per partition, so it must include " + key, sql));
                    } else {
                        carried.add((constraint.type().equals("p") ? "primary key " : "unique constraint ") + constraint.name());
                    }
                }
                case "x" -> blockers.add("Exclusion constraint " + constraint.name() + " of " + facts.name() + " (" + constraint.definition()
                        + ") cannot be carried to a partitioned table" + (constraint.columns().contains(key) ? " as it is" : " without "
                        + key) + ". Fix: drop it, or re-create it with " + key + " compared by equality.");
                case "f" -> {
                    if (constraint.selfReference()) {
                        blockers.add("Foreign key " + constraint.name() + " of " + facts.name() + " references the table itself ("
                                + constraint.definition() + "): the partitioned table would reference the original, which cleanup "
                                + "drops. Fix: drop it before the conversion and re-create it after, with " + key + " on both sides.");
                        continue;
                    }
                    ddl.add("ALTER TABLE " + Sql.table(twin) + " ADD CONSTRAINT " + Sql.identifier(constraint.name()) + " "
                            + constraint.definition());
                    carried.add("foreign key " + constraint.name() + " " + constraint.definition());
                }
                default -> carried.add("check constraint " + constraint.name());
            }
        }
        for (TableFacts.Index index : facts.indexes()) {
            Optional<String> rewritten = rewriteIndex(index.definition(), derived(index.name(), INDEX_SUFFIX), twin);
            if (rewritten.isEmpty()) {
                blockers.add("Index " + index.name() + " (" + index.definition() + ") could not be read for re-creation. Fix: drop it "
                        + "before the conversion and re-create it after.");
                continue;
            }
            if (index.unique() && !index.columns().contains(key)) {
                if (index.expression()) {
                    blockers.add("Unique index " + index.name() + " (" + index.definition() + ") is on expressions without " + key
                            + ", which a partitioned table cannot enforce. Fix: drop it, or re-create it with " + key + ".");
                    continue;
                }
                String sql = addKeyToIndex(rewritten.get(), key);
                ddl.add(sql);
                changes.add(new ConversionAnalysis.Change("unique index " + index.name() + " (" + String.join(", ", index.columns())
                        + ") gains " + key + ": PostgreSQL enforces uniqueness per partition", sql));
            } else {
                ddl.add(rewritten.get());
                carried.add("index " + index.name());
            }
        }
        for (Partitioned partition : partitions) {
            if (partition.name().name().getBytes(StandardCharsets.UTF_8).length <= Sql.MAX_IDENTIFIER_BYTES) {
                ddl.add(PartitionDdl.createPartitionOf(twin, partition.name(), partition.bound()));
            }
        }
        facts.triggers().forEach(t -> carried.add("trigger " + t.name() + " (re-created at the swap)"));
        facts.sequences().forEach(s -> carried.add((s.identity() ? "identity " : "sequence ") + s.sequence() + " of column " + s.column()));
        for (TableFacts.View view : facts.views()) {
            if (view.materialized()) {
                changes.add(new ConversionAnalysis.Change("materialized view " + view.name() + " keeps reading the original table "
                        + "(" + names.retired() + " after the swap) until it is re-created, and must be before cleanup",
                        "DROP MATERIALIZED VIEW " + Sql.table(view.name()) + "; CREATE MATERIALIZED VIEW " + Sql.table(view.name())
                                + " AS " + view.definition().strip()));
            } else {
                carried.add("view " + view.name() + " (re-pointed at the swap)");
            }
        }
        if (!facts.grants().isEmpty()) {
            carried.add(facts.grants().size() + " grant" + (facts.grants().size() == 1 ? "" : "s"));
        }
        if (facts.rowSecurity() || !facts.policies().isEmpty()) {
            carried.add("row-level security" + (facts.policies().isEmpty() ? "" : " with " + facts.policies().size() + " polic"
                    + (facts.policies().size() == 1 ? "y" : "ies")));
        }
        facts.comment().ifPresent(c -> carried.add("table comment"));
        if (identity.stream().noneMatch(key::equals) && facts.primaryKey().isEmpty()) {
            carried.add("rows identified by unique (" + String.join(", ", identity) + ")");
        }
        return ddl;
    }

    private static final Pattern INDEX_DEF = Pattern.compile("^(CREATE (?:UNIQUE )?INDEX )(?:\"(?:[^\"]|\"\")+\"|[^\\s\"]+)"
            + " ON (?:ONLY )?(?:(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"]+)\\.)?(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"]+) (USING .*)$", Pattern.DOTALL);

    /** An index definition for another index name on another table; empty when the text is not understood. */
    static Optional<String> rewriteIndex(String definition, String indexName, TableName table) {
        Matcher m = INDEX_DEF.matcher(definition);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + Sql.identifier(indexName) + " ON " + Sql.table(table) + " " + m.group(2));
    }

    /** A unique index definition with the key column added to its key columns (after the first parenthesised list). */
    static String addKeyToIndex(String definition, String key) {
        int open = definition.indexOf('(', definition.indexOf(" USING "));
        int depth = 0;
        for (int i = open; i < definition.length(); i++) {
            char c = definition.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return definition.substring(0, i) + ", " + Sql.identifier(key) + definition.substring(i);
            }
        }
        return definition;
    }

    // ------------------------------------------------------------------ analyze and plan

    /** Whether the table can be converted, and what converting it changes; reads the catalog and scans the table once. */
    public ConversionAnalysis analyze(Connection connection, Instant now) {
        try {
            Model model = model(connection, now);
            ConversionAnalysis.Verdict verdict = !model.blockers().isEmpty() ? ConversionAnalysis.Verdict.BLOCKED
                    : !model.changes().isEmpty() ? ConversionAnalysis.Verdict.NEEDS_CHANGES : ConversionAnalysis.Verdict.SAFE;
            return new ConversionAnalysis(model.facts().name(), verdict, model.blockers(), model.changes(), model.carried(), model.rows(),
                    model.nullKeys(), model.minKey(), model.maxKey(), model.partitions().stream().map(p -> p.name().name()).toList());
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot analyze " + spec.table() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every statement of the conversion in order, for review: prepare, one copy batch, verification, swap, cleanup.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_BLOCKED} when the analysis finds blockers
     */
    public ConversionPlan plan(Connection connection, Instant now) {
        try {
            Model model = model(connection, now);
            requireConvertible(model);
            List<ConversionPlan.Step> steps = new ArrayList<>();
            steps.add(new ConversionPlan.Step("1. prepare (one transaction): the partitioned twin, its partitions, the change log and "
                    + "the trigger that fills it",
                    prepareStatements(model)));
            steps.add(new ConversionPlan.Step("2. copy: repeated, one transaction per batch of " + spec.batchSize()
                    + " rows, from the last primary key copied (first batch shown)", List.of(copyBatch(model, null, null))));
            List<String> verify = new ArrayList<>(replayStatements(model, "<the last entry of a round>"));
            verify.add(twinChecksums(model));
            verify.add(originalChecksums(model, List.of()));
            steps.add(new ConversionPlan.Step("3. replay the change log in rounds, then verify (one REPEATABLE READ snapshot): rows and "
                    + "checksums per partition, both sides, keys logged since left out", verify));
            steps.add(new ConversionPlan.Step("4. swap (one transaction, lock_timeout " + spec.options().lockTimeout().toMillis()
                    + " ms, retried)", swapStatements(connection, model)));
            steps.add(new ConversionPlan.Step("5. cleanup, once the partitioned table is validated (one transaction)",
                    cleanupStatements(model.names())));
            return new ConversionPlan(steps);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan the conversion of " + spec.table() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void requireConvertible(Model model) {
        if (!model.blockers().isEmpty()) {
            throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "Cannot convert " + model.facts().name() + ": "
                    + String.join(" ", model.blockers()) + " Nothing was changed.");
        }
    }

    private List<String> prepareStatements(Model model) {
        Names names = model.names();
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TABLE IF NOT EXISTS " + Sql.table(names.state()) + " (table_name text PRIMARY KEY, twin text NOT NULL, "
                + "retired text NOT NULL, phase text NOT NULL, last_key text[], copy_until text[], rows_copied bigint NOT NULL DEFAULT 0, rows_total bigint "
                + "NOT NULL DEFAULT 0, started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                + "definition text)");
        statements.addAll(model.twinDdl());
        statements.add("CREATE TABLE " + Sql.table(names.log()) + " (pgp_seq bigserial PRIMARY KEY, " + model.identityColumns().stream()
                .map(c -> Sql.identifier(c) + " " + model.facts().column(c).orElseThrow().type()).collect(Collectors.joining(", ")) + ")");
        statements.add(logFunction(names.logFunction(), names.log(), model, null));
        statements.add(truncateFunction(names.truncateFunction(), model.facts().name()));
        statements.add("INSERT INTO " + Sql.table(names.state()) + " (table_name, twin, retired, phase, rows_total, definition) VALUES ("
                + Sql.literal(model.facts().name().name()) + ", " + Sql.literal(names.twin().name()) + ", "
                + Sql.literal(names.retired().name()) + ", 'PREPARED', " + model.rows() + ", " + Sql.literal(describe()) + ")");
        statements.add("CREATE TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(model.facts().name())
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + Sql.table(names.truncateFunction()) + "()");
        statements.add("CREATE TRIGGER " + Sql.identifier(SYNC_TRIGGER) + " AFTER INSERT OR UPDATE OR DELETE ON "
                + Sql.table(model.facts().name()) + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(names.logFunction()) + "()");
        String order = model.identityColumns().stream().map(c -> "t." + Sql.identifier(c) + " DESC").collect(Collectors.joining(", "));
        statements.add("UPDATE " + Sql.table(names.state()) + " SET copy_until = (SELECT ARRAY[" + model.identityColumns().stream()
                .map(c -> "t." + Sql.identifier(c) + "::text").collect(Collectors.joining(", ")) + "] AS last FROM "
                + Sql.table(model.facts().name()) + " t ORDER BY " + order + " LIMIT 1) WHERE table_name = "
                + Sql.literal(model.facts().name().name()));
        statements.add(boundLogFunction(model));
        return statements;
    }

    /**
     * A DO block, run after the copy's upper bound is recorded (still under the trigger's lock, so no row was written
     * since), that re-creates the log function with that bound written in: rows beyond it are never copied, so their
     * writes are mirrored into the twin directly; rows up to it are logged for replay.
     */
    private String boundLogFunction(Model model) {
        Names names = model.names();
        List<String> identity = model.identityColumns();
        StringBuilder replaced = new StringBuilder(Sql.literal(logFunction(names.logFunction(), names.log(), model, true)));
        for (int i = 0; i < identity.size(); i++) {
            replaced.insert(0, "replace(").append(", ").append(Sql.literal("@pgp_until_" + (i + 1) + "@")).append(", quote_literal(u[")
                    .append(i + 1).append("]))");
        }
        return "DO $pgp_bound$\nDECLARE u text[];\nBEGIN\n"
                + "  SELECT copy_until INTO u FROM " + Sql.table(names.state()) + " WHERE table_name = "
                + Sql.literal(model.facts().name().name()) + ";\n"
                + "  IF u IS NULL THEN\n"
                + "    EXECUTE " + Sql.literal(logFunction(names.logFunction(), names.log(), model, false)) + ";\n"
                + "  ELSE\n"
                + "    EXECUTE " + replaced + ";\n"
                + "  END IF;\n"
                + "END\n$pgp_bound$";
    }

    private String describe() {
        return spec.policy().strategy().name().toLowerCase() + "(" + spec.keyColumn() + ") " + spec.policy();
    }

    /**
     * A trigger function mirroring each row change of the table it fires on into {@code target}: the old version
     * deleted by identity and key, the new one inserted, explicit identity values kept.
     */
    private String syncFunction(TableName function, TableName target, Model model) {
        String key = Sql.identifier(spec.keyColumn());
        String match = model.identityColumns().stream().map(c -> Sql.identifier(c) + " = OLD." + Sql.identifier(c))
                .collect(Collectors.joining(" AND "));
        if (!model.identityColumns().contains(spec.keyColumn())) {
            match += " AND " + key + " = OLD." + key;
        }
        String columns = model.insertable().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String values = model.insertable().stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        return "CREATE OR REPLACE FUNCTION " + Sql.table(function) + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_sync$\nBEGIN\n"
                + "  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN\n"
                + "    DELETE FROM " + Sql.table(target) + " WHERE " + match + ";\n"
                + "  END IF;\n"
                + "  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN\n"
                + "    INSERT INTO " + Sql.table(target) + " (" + columns + ") OVERRIDING SYSTEM VALUE VALUES (" + values
                + ") ON CONFLICT DO NOTHING;\n"
                + "  END IF;\n"
                + "  RETURN NULL;\nEND\n$pgp_sync$";
    }

    /**
     * The trigger function on the table during the copy. Writes to rows within the copy's range (keys up to its upper
     * bound) record the keys they touch in the change log, for {@link #replay}: the copy takes no row lock, and a row
     * it read may change before it commits. Writes to rows beyond the bound, which the copy never reads, are mirrored
     * into the twin at once.
     *
     * @param bounded null: log every write (before the bound is known, under the lock that keeps writers out); true:
     *                compare with the bound, written as {@code @pgp_until_N@} placeholders for the quoted values; false:
     *                no bound (an empty table), mirror every write
     */
    private String logFunction(TableName function, TableName log, Model model, Boolean bounded) {
        List<String> identity = model.identityColumns();
        String columns = identity.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String oldValues = identity.stream().map(c -> "OLD." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String newValues = identity.stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String changed = identity.stream().map(c -> "NEW." + Sql.identifier(c) + " IS DISTINCT FROM OLD." + Sql.identifier(c))
                .collect(Collectors.joining(" OR "));
        String until = "";
        if (Boolean.TRUE.equals(bounded)) {
            List<String> typed = new ArrayList<>();
            for (int i = 0; i < identity.size(); i++) {
                typed.add("CAST(@pgp_until_" + (i + 1) + "@ AS " + model.facts().column(identity.get(i)).orElseThrow().type() + ")");
            }
            until = "(" + String.join(", ", typed) + ")";
        }
        String oldLogged = bounded == null ? "TRUE" : bounded ? "(" + oldValues + ") <= " + until : "FALSE";
        String newLogged = bounded == null ? "TRUE" : bounded ? "(" + newValues + ") <= " + until : "FALSE";
        TableName twin = model.names().twin();
        String key = Sql.identifier(spec.keyColumn());
        String match = identity.stream().map(c -> Sql.identifier(c) + " = OLD." + Sql.identifier(c)).collect(Collectors.joining(" AND "))
                + (identity.contains(spec.keyColumn()) ? "" : " AND " + key + " = OLD." + key);
        String insertable = model.insertable().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String values = model.insertable().stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        return "CREATE OR REPLACE FUNCTION " + Sql.table(function) + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_log$\nBEGIN\n"
                + "  IF TG_OP <> 'INSERT' THEN\n"
                + "    IF " + oldLogged + " THEN\n"
                + "      INSERT INTO " + Sql.table(log) + " (" + columns + ") VALUES (" + oldValues + ");\n"
                + "    ELSE\n"
                + "      DELETE FROM " + Sql.table(twin) + " WHERE " + match + ";\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  IF TG_OP <> 'DELETE' THEN\n"
                + "    IF " + newLogged + " THEN\n"
                + "      IF TG_OP = 'INSERT' OR " + changed + " THEN\n"
                + "        INSERT INTO " + Sql.table(log) + " (" + columns + ") VALUES (" + newValues + ");\n"
                + "      END IF;\n"
                + "    ELSE\n"
                + "      INSERT INTO " + Sql.table(twin) + " (" + insertable + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ");\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  RETURN NULL;\nEND\n$pgp_log$";
    }

    /**
     * A DO block that brings the twin's rows of the logged keys (entries up to {@code through}, or all) up to date from
     * the table and removes those entries: the distinct keys gathered into arrays, the twin's rows of those keys
     * deleted and the table's current version inserted, both by {@code = ANY} (or {@code IN unnest}) so that the
     * primary-key indexes serve them whatever the planner thinks of the log's size.
     */
    private static List<String> replayStatements(Model model, String through) {
        Names names = model.names();
        List<String> identity = model.identityColumns();
        String within = through == null ? "" : " WHERE pgp_seq <= " + through;
        StringBuilder declare = new StringBuilder();
        List<String> arrays = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            declare.append("DECLARE pgp_k").append(i + 1).append(' ').append(model.facts().column(identity.get(i)).orElseThrow().type())
                    .append("[];\n");
            arrays.add("pgp_k" + (i + 1));
        }
        String columns = identity.stream().map(c -> "d." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String aggregates = identity.stream().map(c -> "array_agg(d." + Sql.identifier(c) + ")").collect(Collectors.joining(", "));
        String inKeys = identity.size() == 1 ? "x." + Sql.identifier(identity.get(0)) + " = ANY (" + arrays.get(0) + ")"
                : "(" + identity.stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", ")) + ") IN (SELECT * FROM unnest("
                + String.join(", ", arrays) + "))";
        String insertable = model.insertable().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        return List.of("DO $pgp_replay$\n" + declare + "BEGIN\n"
                + "  SELECT " + aggregates + " INTO " + String.join(", ", arrays) + " FROM (SELECT DISTINCT " + columns.replace("d.", "")
                + " FROM " + Sql.table(names.log()) + within + ") d;\n"
                + "  IF pgp_k1 IS NOT NULL THEN\n"
                + "    DELETE FROM " + Sql.table(names.twin()) + " x WHERE " + inKeys + ";\n"
                + "    INSERT INTO " + Sql.table(names.twin()) + " (" + insertable + ") OVERRIDING SYSTEM VALUE SELECT "
                + model.insertable().stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", ")) + " FROM "
                + Sql.table(model.facts().name()) + " x WHERE " + inKeys + ";\n"
                + "    DELETE FROM " + Sql.table(names.log()) + within + ";\n"
                + "  END IF;\n"
                + "END\n$pgp_replay$");
    }

    private static String truncateFunction(TableName function, TableName table) {
        return "CREATE OR REPLACE FUNCTION " + Sql.table(function) + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_truncate$\nBEGIN\n"
                + "  RAISE EXCEPTION USING ERRCODE = 'PGP03', MESSAGE = pg_catalog.format('pgpartition: TRUNCATE of %s refused: '\n"
                + "    'it is being converted to a partitioned table, and a truncation would not reach the copy', "
                + Sql.literal(Sql.table(table)) + "),\n"
                + "    HINT = 'Finish the conversion (pgpartition convert cleanup) or roll it back (pgpartition convert rollback) first.';\n"
                + "END\n$pgp_truncate$";
    }

    // ------------------------------------------------------------------ copy

    /**
     * One batch: the next rows after {@code after} and up to {@code until} in primary-key order, locked, copied, and
     * what was copied. Rows beyond {@code until} (the greatest key when the sync trigger was created) were all written
     * since, and the trigger has mirrored them.
     */
    private String copyBatch(Model model, List<String> after, List<String> until) {
        List<String> identity = model.identityColumns();
        String order = identity.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        List<String> conditions = new ArrayList<>();
        if (after != null) {
            conditions.add("(" + order + ") > (" + typedValues(model, after) + ")");
        }
        if (until != null) {
            conditions.add("(" + order + ") <= (" + typedValues(model, until) + ")");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String insertable = model.insertable().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String all = model.allColumns().stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String qualifiedDesc = identity.stream().map(c -> "b." + Sql.identifier(c) + " DESC").collect(Collectors.joining(", "));
        String last = identity.stream().map(c -> "(SELECT b." + Sql.identifier(c) + "::text AS last FROM batch b ORDER BY " + qualifiedDesc
                + " LIMIT 1)").collect(Collectors.joining(", "));
        return "WITH batch AS (SELECT " + all + " FROM " + Sql.table(model.facts().name()) + where + " ORDER BY " + order
                + " LIMIT " + spec.batchSize() + "),\n"
                + "copied AS (INSERT INTO " + Sql.table(model.names().twin()) + " (" + insertable + ") OVERRIDING SYSTEM VALUE SELECT "
                + insertable + " FROM batch)\n"
                + "SELECT (SELECT count(*) FROM batch), " + last;
    }

    /** Key values recorded as text, as literals cast to their columns' types. */
    private static String typedValues(Model model, List<String> values) {
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < model.identityColumns().size(); i++) {
            String type = model.facts().column(model.identityColumns().get(i)).orElseThrow().type();
            typed.add("CAST(" + Sql.literal(values.get(i)) + " AS " + type + ")");
        }
        return String.join(", ", typed);
    }

    // ------------------------------------------------------------------ verify

    private static String twinChecksums(Model model) {
        return "SELECT x.tableoid::regclass::text, count(*), coalesce(sum(pg_catalog.hashtext(x::text)::bigint), 0) FROM "
                + Sql.table(model.names().twin()) + " x WHERE " + notLogged(model) + " GROUP BY 1";
    }

    /** Rows whose key is not in the change log: those a replay will not touch, which must match already. */
    private static String notLogged(Model model) {
        return "NOT EXISTS (SELECT 1 FROM " + Sql.table(model.names().log()) + " k WHERE " + model.identityColumns().stream()
                .map(c -> "k." + Sql.identifier(c) + " = x." + Sql.identifier(c)).collect(Collectors.joining(" AND ")) + ")";
    }

    /** Rows and checksums of the original table grouped by the partition of the twin each row belongs in. */
    private static String originalChecksums(Model model, List<String[]> constraints) {
        StringBuilder which = new StringBuilder("CASE");
        for (String[] constraint : constraints) {
            which.append(" WHEN ").append(constraint[1]).append(" THEN ").append(Sql.literal(constraint[0]));
        }
        String partition = constraints.isEmpty() ? "NULL::text" : which.append(" END").toString();
        return "SELECT " + partition + ", count(*), coalesce(sum(pg_catalog.hashtext(x::text)::bigint), 0) FROM "
                + Sql.table(model.facts().name()) + " x WHERE " + notLogged(model) + " GROUP BY 1";
    }

    // ------------------------------------------------------------------ swap, rollback, cleanup

    private List<String> swapStatements(Connection connection, Model model) throws SQLException {
        Names names = model.names();
        TableFacts facts = model.facts();
        TableName table = facts.name();
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(table) + ", " + Sql.table(names.twin()) + " IN ACCESS EXCLUSIVE MODE");
        statements.addAll(replayStatements(model, null));
        statements.add("DROP TRIGGER " + Sql.identifier(SYNC_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TABLE " + Sql.table(names.log()));
        statements.add("DROP FUNCTION " + Sql.table(names.logFunction()) + "()");
        if (spec.foreignKeys() == ConversionSpec.ForeignKeys.DROP) {
            for (TableFacts.Reference reference : unkeyedReferences(facts)) {
                statements.add("ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint()));
            }
        }
        statements.add("ALTER TABLE " + Sql.table(table) + " RENAME TO " + Sql.identifier(names.retired().name()));
        statements.add("ALTER TABLE " + Sql.table(names.twin()) + " RENAME TO " + Sql.identifier(table.name()));
        TableName retired = names.retired();
        for (String index : constraintAndIndexNames(facts)) {
            statements.add("ALTER INDEX " + Sql.table(table.sibling(index)) + " RENAME TO " + Sql.identifier(derived(index, RETIRED_SUFFIX)));
            statements.add("ALTER INDEX " + Sql.table(table.sibling(derived(index, INDEX_SUFFIX))) + " RENAME TO " + Sql.identifier(index));
        }
        statements.addAll(repointStatements(keyedReferences(facts), table));
        for (TableFacts.OwnedSequence sequence : facts.sequences()) {
            if (sequence.identity()) {
                TableFacts.Column column = facts.column(sequence.column()).orElseThrow();
                statements.add(moveIdentity(retired, table, column, sequence.sequence()));
            } else {
                statements.add("ALTER SEQUENCE " + Sql.table(sequence.sequence()) + " OWNED BY " + Sql.table(table) + "."
                        + Sql.identifier(sequence.column()));
            }
        }
        if (!facts.owner().equals(currentUser(connection))) {
            statements.add("ALTER TABLE " + Sql.table(table) + " OWNER TO " + Sql.identifier(facts.owner()));
        }
        facts.grants().forEach(grant -> statements.add(String.format(grant, Sql.table(table))));
        facts.comment().ifPresent(comment -> statements.add("COMMENT ON TABLE " + Sql.table(table) + " IS " + Sql.literal(comment)));
        if (facts.rowSecurity()) {
            statements.add("ALTER TABLE " + Sql.table(table) + " ENABLE ROW LEVEL SECURITY");
        }
        facts.policies().forEach(policy -> statements.add(String.format(policy, Sql.table(table))));
        for (TableFacts.Trigger trigger : facts.triggers()) {
            if (!trigger.name().equals(SYNC_TRIGGER) && !trigger.name().equals(TRUNCATE_TRIGGER)) {
                statements.add(retarget(trigger.definition(), table));
            }
        }
        for (TableFacts.View view : facts.views()) {
            if (!view.materialized()) {
                statements.add("CREATE OR REPLACE VIEW " + Sql.table(view.name()) + " AS " + stripSemicolon(view.definition()));
            }
        }
        statements.add(syncFunction(names.syncFunction(), retired, model));
        statements.add("CREATE TRIGGER " + Sql.identifier(SYNC_TRIGGER) + " AFTER INSERT OR UPDATE OR DELETE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(names.syncFunction()) + "()");
        statements.add("CREATE TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(table)
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + Sql.table(names.truncateFunction()) + "()");
        statements.add(setPhase(names, ConversionStatus.Phase.SWAPPED, table.name()));
        return statements;
    }

    /** The names of the indexes the twin has under a derived name: those of constraints (p, u) and of other indexes. */
    private static List<String> constraintAndIndexNames(TableFacts facts) {
        List<String> names = new ArrayList<>();
        facts.constraints().stream().filter(c -> c.type().equals("p") || c.type().equals("u")).forEach(c -> names.add(c.name()));
        facts.indexes().forEach(i -> names.add(i.name()));
        return names;
    }

    private static final Pattern TRIGGER_TABLE = Pattern.compile(" ON (?:(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"]+)\\.)?(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"]+) ");

    /** A trigger definition for another table. */
    static String retarget(String definition, TableName table) {
        Matcher m = TRIGGER_TABLE.matcher(definition);
        return m.find() ? definition.substring(0, m.start()) + " ON " + Sql.table(table) + " " + definition.substring(m.end()) : definition;
    }

    private static String stripSemicolon(String definition) {
        String trimmed = definition.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    /**
     * Moves an identity from one table's column to another's, continuing its sequence: the next value is read when the
     * statement runs (under the swap's exclusive lock), the identity dropped where it was (which drops its sequence)
     * and added where it goes under the same sequence name, starting there.
     */
    private static String moveIdentity(TableName from, TableName to, TableFacts.Column column, TableName sequence) {
        String drop = "ALTER TABLE " + Sql.table(from) + " ALTER COLUMN " + Sql.identifier(column.name()) + " DROP IDENTITY";
        String add = "ALTER TABLE " + Sql.table(to) + " ALTER COLUMN " + Sql.identifier(column.name()) + " ADD GENERATED "
                + (column.identity().equals("a") ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (SEQUENCE NAME " + Sql.table(sequence)
                + " START WITH ";
        return "DO $pgp_identity$\nDECLARE next bigint;\nBEGIN\n"
                + "  SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO next FROM " + Sql.table(sequence) + ";\n"
                + "  EXECUTE " + Sql.literal(drop) + ";\n"
                + "  EXECUTE " + Sql.literal(add) + " || next || ')';\n"
                + "END\n$pgp_identity$";
    }

    private static String currentUser(Connection connection) throws SQLException {
        return Jdbc.first(connection, "SELECT CURRENT_USER::text", rs -> rs.getString(1)).orElseThrow();
    }

    private static String setPhase(Names names, ConversionStatus.Phase phase, String table) {
        return "UPDATE " + Sql.table(names.state()) + " SET phase = " + Sql.literal(phase.name()) + ", updated_at = now() WHERE table_name = "
                + Sql.literal(table);
    }

    private List<String> cleanupStatements(Names names) {
        List<String> statements = new ArrayList<>();
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(SYNC_TRIGGER) + " ON " + Sql.table(names.table()));
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(TRUNCATE_TRIGGER) + " ON " + Sql.table(names.table()));
        statements.add("DROP TABLE " + Sql.table(names.retired()));
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.syncFunction()) + "()");
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.truncateFunction()) + "()");
        statements.add("DELETE FROM " + Sql.table(names.state()) + " WHERE table_name = " + Sql.literal(names.table().name()));
        return statements;
    }

    // ------------------------------------------------------------------ state

    private static boolean stateRecorded(Connection connection, Names names) throws SQLException {
        return readState(connection, names).phase() != ConversionStatus.Phase.NONE;
    }

    private static ConversionStatus readState(Connection connection, Names names) throws SQLException {
        boolean exists = Jdbc.first(connection, "SELECT pg_catalog.to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1),
                Sql.table(names.state())).orElse(false);
        ConversionStatus none = new ConversionStatus(names.table(), ConversionStatus.Phase.NONE, names.twin(), names.retired(), 0, 0,
                Optional.empty(), Optional.empty());
        if (!exists) {
            return none;
        }
        return Jdbc.first(connection, "SELECT phase, rows_copied, rows_total, started_at, updated_at FROM " + Sql.table(names.state())
                + " WHERE table_name = ?", rs -> new ConversionStatus(names.table(), ConversionStatus.Phase.valueOf(rs.getString(1)),
                names.twin(), names.retired(), rs.getLong(2), rs.getLong(3), Optional.ofNullable(rs.getObject(4, OffsetDateTime.class)),
                Optional.ofNullable(rs.getObject(5, OffsetDateTime.class))), names.table().name()).orElse(none);
    }

    private static List<String> recordedKey(Connection connection, Names names, String column) throws SQLException {
        return Jdbc.first(connection, "SELECT " + column + " FROM " + Sql.table(names.state()) + " WHERE table_name = ?", rs -> {
            java.sql.Array array = rs.getArray(1);
            return array == null ? null : List.of((String[]) array.getArray());
        }, names.table().name()).orElse(null);
    }

    /** Where the conversion of the table stands. */
    public ConversionStatus status(Connection connection) {
        try {
            return readState(connection, names(connection));
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the conversion state of " + spec.table() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The names, from the table's schema-qualified name (the search path resolves an unqualified one). */
    private Names names(Connection connection) throws SQLException {
        if (spec.table().isQualified()) {
            return Names.of(spec.table());
        }
        String schema = Jdbc.first(connection, "SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass(?)", rs -> rs.getString(1), Sql.table(spec.table()))
                .orElseGet(() -> {
                    try {
                        return Jdbc.first(connection, "SELECT pg_catalog.current_schema()::text", rs -> rs.getString(1)).orElse("public");
                    } catch (SQLException e) {
                        return "public";
                    }
                });
        return Names.of(TableName.of(schema, spec.table().name()));
    }

    // ------------------------------------------------------------------ run

    /**
     * Converts the table, or resumes the conversion where it stopped: prepare, copy, verify, swap (see the class
     * comment). Returns the state it reached: {@link ConversionStatus.Phase#SWAPPED} when done.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_BLOCKED} when the analysis finds blockers or another run
     *                               converts the table; {@link ErrorCode#CONVERSION_FAILED} when the database refuses a
     *                               step or the verification finds a difference (the state says where it stopped)
     */
    public ConversionStatus run(Connection connection, Instant now, ConversionProgress progress) {
        try (Session session = new Session(connection)) {
            Names names = names(connection);
            session.lock(names);
            ConversionStatus state = readState(connection, names);
            if (state.phase() == ConversionStatus.Phase.SWAPPED) {
                progress.step(state.describe());
                return state;
            }
            Model model;
            if (state.phase() == ConversionStatus.Phase.NONE) {
                model = model(connection, now);
                requireConvertible(model);
                session.inTransaction(prepareStatements(model), true);
                progress.step("prepared " + model.names().twin() + " with " + model.partitions().size() + " partitions, and the "
                        + "trigger logging the changes of " + model.facts().name());
            } else {
                model = resumeModel(connection, names, now);
                progress.step("resuming the conversion of " + names.table() + " (" + state.phase().name().toLowerCase() + ")");
            }
            state = readState(connection, names);
            if (state.phase() == ConversionStatus.Phase.PREPARED || state.phase() == ConversionStatus.Phase.COPYING) {
                copy(connection, model, state, progress);
            }
            state = readState(connection, names);
            if (state.phase() == ConversionStatus.Phase.COPIED) {
                verify(connection, model, progress);
            }
            replay(connection, model, progress);
            swap(connection, session, model, progress);
            return readState(connection, names);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The conversion of " + spec.table() + " stopped: "
                    + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Its state is recorded; run it again to resume, "
                    + "or roll it back (pgpartition convert rollback).", e);
        }
    }

    /**
     * The model of a conversion under way: the original table's facts (its own triggers are those of the conversion
     * and are left out), as when it was prepared.
     */
    private Model resumeModel(Connection connection, Names names, Instant now) throws SQLException {
        Model model = model(connection, now);
        return new Model(model.facts(), names, model.keyType(), model.identityColumns(), model.insertable(), model.allColumns(),
                model.rows(), model.nullKeys(), model.minKey(), model.maxKey(), model.partitions(), List.of(), model.changes(),
                model.carried(), model.twinDdl());
    }

    private void copy(Connection connection, Model model, ConversionStatus state, ConversionProgress progress) throws SQLException {
        Names names = model.names();
        List<String> after = recordedKey(connection, names, "last_key");
        List<String> until = recordedKey(connection, names, "copy_until");
        long copied = state.rowsCopied();
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            while (true) {
                String batch = until == null ? null : copyBatch(model, after, until);
                Object[] result = batch == null ? new Object[]{0L} : Jdbc.first(connection, batch, rs -> {
                    Object[] row = new Object[1 + model.identityColumns().size()];
                    row[0] = rs.getLong(1);
                    for (int i = 1; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    return row;
                }).orElseThrow();
                long rows = (Long) result[0];
                if (rows == 0) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("UPDATE " + Sql.table(names.state()) + " SET phase = 'COPIED', updated_at = now() WHERE "
                                + "table_name = " + Sql.literal(names.table().name()));
                    }
                    connection.commit();
                    progress.step("copied " + copied + " rows");
                    return;
                }
                List<String> last = new ArrayList<>();
                for (int i = 1; i < result.length; i++) {
                    last.add((String) result[i]);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UPDATE " + Sql.table(names.state()) + " SET phase = 'COPYING', last_key = ARRAY["
                            + last.stream().map(Sql::literal).collect(Collectors.joining(", ")) + "]::text[], rows_copied = rows_copied + "
                            + rows + ", updated_at = now() WHERE table_name = " + Sql.literal(names.table().name()));
                }
                connection.commit();
                after = last;
                copied += rows;
                progress.copied(copied, Math.max(state.rowsTotal(), copied), Duration.ofNanos(System.nanoTime() - started));
                if (!spec.pause().isZero()) {
                    sleep(spec.pause().toMillis());
                }
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Replays the change log in rounds of up to a batch of entries, each round one REPEATABLE READ transaction (so that
     * its statements agree on which entries and rows they see), until a round finds less than a batch: what is left is
     * what the writers added meanwhile.
     */
    private void replay(Connection connection, Model model, ConversionProgress progress) throws SQLException {
        Names names = model.names();
        long[] replayed = {0};
        inSnapshots(connection, () -> {
            while (true) {
                Object[] round = Jdbc.first(connection, "SELECT count(*), max(pgp_seq) FROM (SELECT pgp_seq FROM " + Sql.table(names.log())
                        + " ORDER BY pgp_seq LIMIT " + spec.batchSize() + ") s", rs -> new Object[]{rs.getLong(1), rs.getObject(2)})
                        .orElseThrow();
                long entries = (Long) round[0];
                if (entries > 0) {
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : replayStatements(model, round[1].toString())) {
                            statement.execute(sql);
                        }
                    }
                }
                connection.commit();
                replayed[0] += entries;
                if (entries < spec.batchSize()) {
                    return;
                }
            }
        });
        progress.step("replayed " + replayed[0] + " logged change" + (replayed[0] == 1 ? "" : "s"));
    }

    /** Work that runs transactions on the connection and commits them itself. */
    private interface Transactions {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} with auto-commit off in REPEATABLE READ, so that the statements of each of its transactions see
     * one snapshot; rolls back what is open if it fails, and puts the connection's auto-commit and isolation back.
     */
    private static void inSnapshots(Connection connection, Transactions work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            work.run();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }

    private void verify(Connection connection, Model model, ConversionProgress progress) throws SQLException {
        replay(connection, model, progress);
        Names names = model.names();
        inSnapshots(connection, () -> {
            List<String[]> constraints = Jdbc.list(connection, """
                    SELECT c.relname::text, pg_catalog.pg_get_partition_constraintdef(c.oid), pg_catalog.pg_get_expr(c.relpartbound, c.oid)
                      FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                     WHERE i.inhparent = ?::regclass
                     ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', 1""",
                    rs -> new String[]{rs.getString(1), rs.getString(2) == null ? "TRUE" : rs.getString(2)}, Sql.table(names.twin()));
            Map<String, long[]> twin = new LinkedHashMap<>();
            Jdbc.query(connection, twinChecksums(model), rs -> twin.put(unqualified(rs.getString(1)), new long[]{rs.getLong(2), rs.getLong(3)}));
            Map<String, long[]> original = new LinkedHashMap<>();
            Jdbc.query(connection, originalChecksums(model, constraints), rs -> original.put(rs.getString(1),
                    new long[]{rs.getLong(2), rs.getLong(3)}));
            connection.commit();
            List<String> differences = new ArrayList<>();
            long rows = 0;
            for (String[] constraint : constraints) {
                long[] expected = original.getOrDefault(constraint[0], new long[2]);
                long[] found = twin.getOrDefault(constraint[0], new long[2]);
                rows += found[0];
                if (expected[0] != found[0] || expected[1] != found[1]) {
                    differences.add(constraint[0] + ": " + expected[0] + " rows in " + names.table() + ", " + found[0] + " in the partition"
                            + (expected[0] == found[0] ? " (checksums differ)" : ""));
                }
            }
            long[] nowhere = original.get(null);
            if (nowhere != null && nowhere[0] > 0) {
                differences.add(nowhere[0] + " rows of " + names.table() + " belong in no partition");
            }
            if (!differences.isEmpty()) {
                throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The partitioned copy of " + names.table() + " differs from "
                        + "it: " + String.join("; ", differences) + ". Nothing was swapped. A write that bypassed the sync trigger "
                        + "(session_replication_role = replica, say) is the likely cause. Fix: pgpartition convert rollback, then run the "
                        + "conversion again.");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(setPhase(names, ConversionStatus.Phase.VERIFIED, names.table().name()));
            }
            connection.commit();
            progress.step("verified " + rows + " rows in " + constraints.size() + " partitions: counts and checksums match");
        });
    }

    private static String unqualified(String regclass) {
        int dot = regclass.lastIndexOf('.');
        String name = dot < 0 ? regclass : regclass.substring(dot + 1);
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
    }

    private void swap(Connection connection, Session session, Model model, ConversionProgress progress) throws SQLException {
        Duration locked = session.retried(() -> swapStatements(connection, model));
        validate(connection, keyedReferences(model.facts()));
        progress.swapped(locked);
        progress.step("swapped " + model.names().table() + " (its exclusive lock held " + locked.toMillis() + " ms); the original is "
                + "kept as " + model.names().retired() + " until cleanup");
    }

    /**
     * Undoes the conversion: before the swap, drops the twin and the sync trigger; after it, swaps the names back (the
     * original holds every row written since, through the reverse sync) and drops the partitioned table. Foreign keys
     * dropped at the swap are not re-created.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_FAILED} when no conversion is recorded
     */
    public ConversionStatus rollback(Connection connection) {
        try (Session session = new Session(connection)) {
            Names names = names(connection);
            session.lock(names);
            ConversionStatus state = readState(connection, names);
            switch (state.phase()) {
                case NONE -> throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "No conversion of " + names.table()
                        + " is recorded in " + names.state() + ": there is nothing to roll back.");
                case SWAPPED -> {
                    List<TableFacts.Reference> references = TableReader.read(connection, names.table()).map(TableFacts::referencedBy)
                            .orElse(List.of());
                    session.retried(() -> rollbackSwapStatements(connection, names));
                    validate(connection, references);
                }
                default -> session.retried(() -> rollbackBeforeSwapStatements(names));
            }
            return readState(connection, names);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The rollback of the conversion of " + spec.table() + " failed: "
                    + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Nothing of it was changed.", e);
        }
    }

    private List<String> rollbackBeforeSwapStatements(Names names) {
        List<String> statements = new ArrayList<>();
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(SYNC_TRIGGER) + " ON " + Sql.table(names.table()));
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(TRUNCATE_TRIGGER) + " ON " + Sql.table(names.table()));
        statements.add("DROP TABLE IF EXISTS " + Sql.table(names.twin()));
        statements.add("DROP TABLE IF EXISTS " + Sql.table(names.log()));
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.logFunction()) + "()");
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.syncFunction()) + "()");
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.truncateFunction()) + "()");
        statements.add("DELETE FROM " + Sql.table(names.state()) + " WHERE table_name = " + Sql.literal(names.table().name()));
        return statements;
    }

    private List<String> rollbackSwapStatements(Connection connection, Names names) throws SQLException {
        TableName table = names.table();
        TableName retired = names.retired();
        TableFacts current = TableReader.read(connection, table).orElseThrow();
        TableFacts original = TableReader.read(connection, retired).orElseThrow(() -> new PartitioningException(ErrorCode.CONVERSION_FAILED,
                "The original table " + retired + " is gone: the conversion of " + table + " cannot be rolled back."));
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(table) + ", " + Sql.table(retired) + " IN ACCESS EXCLUSIVE MODE");
        statements.add("DROP TRIGGER " + Sql.identifier(SYNC_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER) + " ON " + Sql.table(table));
        statements.add("ALTER TABLE " + Sql.table(table) + " RENAME TO " + Sql.identifier(names.twin().name()));
        statements.add("ALTER TABLE " + Sql.table(retired) + " RENAME TO " + Sql.identifier(table.name()));
        statements.addAll(repointStatements(current.referencedBy(), table));
        for (String index : constraintAndIndexNames(original)) {
            if (index.endsWith(RETIRED_SUFFIX)) {
                String name = index.substring(0, index.length() - RETIRED_SUFFIX.length());
                statements.add("ALTER INDEX " + Sql.table(table.sibling(name)) + " RENAME TO " + Sql.identifier(derived(name, INDEX_SUFFIX)));
                statements.add("ALTER INDEX " + Sql.table(table.sibling(index)) + " RENAME TO " + Sql.identifier(name));
            }
        }
        for (TableFacts.OwnedSequence sequence : current.sequences()) {
            if (sequence.identity()) {
                TableFacts.Column column = current.column(sequence.column()).orElseThrow();
                statements.add(moveIdentity(names.twin(), table, column, sequence.sequence()));
            } else {
                statements.add("ALTER SEQUENCE " + Sql.table(sequence.sequence()) + " OWNED BY " + Sql.table(table) + "."
                        + Sql.identifier(sequence.column()));
            }
        }
        for (TableFacts.View view : current.views()) {
            if (!view.materialized()) {
                statements.add("CREATE OR REPLACE VIEW " + Sql.table(view.name()) + " AS " + stripSemicolon(view.definition()));
            }
        }
        statements.addAll(rollbackBeforeSwapStatements(names));
        return statements;
    }

    /**
     * Ends a swapped conversion: drops the original table (kept as {@code <table>_old}), the sync triggers and their
     * functions, and the conversion's state.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_FAILED} when the conversion has not swapped yet
     */
    public ConversionStatus cleanup(Connection connection) {
        try (Session session = new Session(connection)) {
            Names names = names(connection);
            session.lock(names);
            ConversionStatus state = readState(connection, names);
            if (state.phase() != ConversionStatus.Phase.SWAPPED) {
                throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The conversion of " + names.table() + " is "
                        + (state.phase() == ConversionStatus.Phase.NONE ? "not recorded" : "not swapped yet (" + state.phase().name()
                        .toLowerCase() + ")") + ": cleanup drops the original table only after the swap. Fix: pgpartition convert run "
                        + "to finish it, or rollback to undo it.");
            }
            session.retried(() -> cleanupStatements(names));
            return readState(connection, names);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The cleanup of the conversion of " + spec.table() + " failed: "
                    + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Nothing of it was changed.", e);
        }
    }

    // ------------------------------------------------------------------ session

    /** Statements whose text depends on the state they run in. */
    private interface StatementSource {
        List<String> statements() throws SQLException;
    }

    /** The conversion's connection: the advisory lock, transactions with lock timeout and retries, put back as found. */
    private final class Session implements AutoCloseable {
        private final Connection connection;
        private final boolean autoCommit;
        private Names locked;

        Session(Connection connection) throws SQLException {
            this.connection = connection;
            this.autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }

        /**
         * Takes the table's advisory lock, waiting up to {@value #LOCK_WAIT_MILLIS} ms: long enough for the backend of
         * a run that was just killed to notice and end, too short to queue behind a live run.
         */
        void lock(Names names) throws SQLException {
            long deadline = System.nanoTime() + Duration.ofMillis(LOCK_WAIT_MILLIS).toNanos();
            boolean got;
            while (!(got = Jdbc.first(connection, "SELECT pg_catalog.pg_try_advisory_lock(?, pg_catalog.hashtext(?))",
                    rs -> rs.getBoolean(1), ADVISORY_LOCK_CLASS, Sql.table(names.table())).orElse(false))
                    && System.nanoTime() < deadline) {
                sleep(100);
            }
            if (!got) {
                throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "Another run is converting " + names.table()
                        + " (it holds pg_advisory_lock(" + ADVISORY_LOCK_CLASS + ", hashtext('" + Sql.table(names.table()) + "'))). "
                        + "Nothing was changed. Fix: let it finish; pgpartition convert status shows where it stands.");
            }
            locked = names;
        }

        /** Runs statements in one transaction with the lock timeout, once (retry false) or retried on lock timeouts. */
        void inTransaction(List<String> statements, boolean retry) throws SQLException {
            List<String> fixed = List.copyOf(statements);
            if (retry) {
                retried(() -> fixed);
            } else {
                once(fixed);
            }
        }

        /** Runs the statements in one transaction, retried after lock timeouts; returns how long the first one's locks were held. */
        Duration retried(StatementSource source) throws SQLException {
            for (int attempt = 1; ; attempt++) {
                try {
                    return once(source.statements());
                } catch (SQLException e) {
                    boolean lock = "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                    if (!lock || attempt >= spec.options().attempts()) {
                        throw e;
                    }
                    sleep(spec.options().pauseAfter(attempt));
                }
            }
        }

        private Duration once(List<String> statements) throws SQLException {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = " + Sql.literal(spec.options().lockTimeout().toMillis() + "ms"));
                long locked = 0;
                for (String sql : statements) {
                    statement.execute(sql);
                    if (locked == 0) {
                        locked = System.nanoTime();
                    }
                }
                connection.commit();
                return Duration.ofNanos(locked == 0 ? 0 : System.nanoTime() - locked);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }

        @Override
        public void close() throws SQLException {
            if (locked != null && !connection.isClosed()) {
                Jdbc.first(connection, "SELECT pg_catalog.pg_advisory_unlock(?, pg_catalog.hashtext(?))", rs -> rs.getBoolean(1),
                        ADVISORY_LOCK_CLASS, Sql.table(locked.table()));
            }
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The conversion was interrupted while waiting", e);
        }
    }
}
