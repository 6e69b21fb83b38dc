package io.pgpartition.maintenance;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.ErrorCode;
import io.pgpartition.guard.GuardSql;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.Catalog;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.ddl.Sql;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.RangePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The maintenance engine: for a set of policies, {@link #plan} says what is missing, expired or wrong with the exact
 * SQL that would fix it, {@link #apply} runs that SQL, and {@link #check} reports what monitoring should alert on.
 *
 * <p>New partitions are made as standalone tables and then attached ({@code ATTACH PARTITION} takes SHARE UPDATE
 * EXCLUSIVE on the parent, which the application's reads and writes do not conflict with). A table that receives
 * rows from the default partition before the attach is created with a CHECK constraint matching its bound, so the
 * attach does not scan it; one created empty in the attach's own transaction needs none. Every statement runs with a
 * {@code lock_timeout} and is retried with backoff; an action that still cannot get its locks is reported, never
 * left half done. A session-level advisory lock per parent table serializes runs from several application instances.
 *
 * <p>A plan reads the catalog in a constant number of statements, whatever the number of tables; a run with nothing
 * to do costs no more than its plan.
 */
public final class PartitionMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);

    /** The first key of pgpartition's advisory locks ({@code 'pgpm'} in ASCII); the second is the parent's OID. */
    public static final int ADVISORY_LOCK_CLASS = 0x7067706d;

    /** The most partition creations that share one transaction (see {@link #batches}). */
    static final int CREATIONS_PER_TRANSACTION = 50;

    private final List<MaintenancePolicy> policies;
    private final MaintenanceOptions options;
    private final CatalogReader reader = new CatalogReader();

    public PartitionMaintenance(Collection<MaintenancePolicy> policies) {
        this(policies, MaintenanceOptions.DEFAULTS);
    }

    public PartitionMaintenance(Collection<MaintenancePolicy> policies, MaintenanceOptions options) {
        this.policies = List.copyOf(policies);
        this.options = options;
        Set<TableName> seen = new HashSet<>();
        for (MaintenancePolicy policy : this.policies) {
            if (!seen.add(policy.table())) {
                throw new IllegalArgumentException("Two maintenance policies for table " + policy.table() + "; give each table one");
            }
        }
    }

    public List<MaintenancePolicy> policies() {
        return policies;
    }

    public MaintenanceOptions options() {
        return options;
    }

    /**
     * What maintenance would do at {@code now}, changing nothing.
     *
     * @throws PartitioningException {@link ErrorCode#IDENTIFIER_INVALID} when a partition name a policy makes is over
     *                               63 bytes; {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public MaintenancePlan plan(Connection connection, Instant now) {
        return plan(connection, now, policies).plan();
    }

    /**
     * Runs the plan for {@code now}: table by table under the table's advisory lock (planned again once the lock is
     * held if the table's partitions changed since the plan, so that a concurrent run's work is not repeated), each
     * action with lock timeout and retries; creations on a table without a default partition share transactions (see
     * {@link #batches}). Leaves the connection's auto-commit and {@code lock_timeout} as it found them.
     *
     * @throws PartitioningException as {@link #plan} does, before anything runs
     */
    public MaintenanceResult apply(Connection connection, Instant now) {
        Map<TableName, String> before = partitionStates(connection, policies);
        Planned planned = plan(connection, now, policies);
        MaintenancePlan plan = planned.plan();
        List<MaintenanceFinding> findings = new ArrayList<>();
        List<MaintenanceResult.Applied> applied = new ArrayList<>();
        Map<TableName, List<MaintenanceAction>> byTable = plan.actions().stream()
                .collect(Collectors.groupingBy(MaintenanceAction::table, LinkedHashMap::new, Collectors.toList()));
        for (MaintenancePolicy raced : racedWhilePlanned(connection, planned, byTable.keySet(), before)) {
            before.remove(raced.table());
            planned.snapshot().partitionedTable(raced.table()).ifPresent(table -> byTable.put(table.name(), List.of()));
        }
        plan.findings().stream().filter(f -> !byTable.containsKey(f.table())).forEach(findings::add);
        if (byTable.isEmpty()) {
            return new MaintenanceResult(now, applied, findings);
        }
        Session session;
        try {
            session = new Session(connection, options);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Maintenance could not use its connection: "
                    + e.getMessage() + ". Nothing was changed.", e);
        }
        List<TableName> parents = new ArrayList<>(byTable.keySet());
        try {
            for (int t = 0; t < parents.size(); t++) {
                TableName parent = parents.get(t);
                MaintenancePolicy policy = planned.policies().get(parent);
                if (!session.lockTable(parent)) {
                    plan.findings().stream().filter(f -> f.table().equals(parent)).forEach(findings::add);
                    findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.GAVE_UP, parent, "Maintenance of " + parent
                            + " was skipped: another maintenance run held its advisory lock for longer than "
                            + options.advisoryLockWait().toSeconds() + " s. Nothing of " + parent + " was changed. Fix: let that "
                            + "run finish, or look for a stuck session holding pg_advisory_lock(" + ADVISORY_LOCK_CLASS + ", <oid of "
                            + parent + ">)."));
                    continue;
                }
                List<MaintenanceAction> actions = List.of();
                int started = 0;
                int findingsAt = findings.size();
                boolean lost = false;
                try {
                    String stateBefore = before.get(policy.table());
                    boolean unchanged = stateBefore != null
                            && stateBefore.equals(partitionStates(connection, List.of(policy)).get(policy.table()));
                    Planned current = unchanged ? planned : plan(connection, now, List.of(policy));
                    boolean noDefault = current.snapshot().partitionedTable(parent).map(x -> x.defaultPartition().isEmpty()).orElse(false);
                    actions = current.plan().actions().stream().filter(a -> a.table().equals(parent)).toList();
                    List<MaintenanceAction> skipped = new ArrayList<>();
                    MaintenanceAction unfinished = null;
                    for (List<MaintenanceAction> together : batches(actions, noDefault)) {
                        if (unfinished != null && !together.get(0).inTransaction()) {
                            skipped.addAll(together);
                            continue;
                        }
                        started += together.size();
                        try {
                            session.run(together, done -> {
                                applied.add(done);
                                LOG.info("pgpartition maintenance: {}{}", done.action().description(),
                                        done.rowsMoved() > 0 ? " (" + done.rowsMoved() + " rows moved)" : "");
                            }, findings::add);
                        } catch (Session.DetachUnfinished e) {
                            unfinished = e.action;
                        }
                    }
                    if (!skipped.isEmpty()) {
                        findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.GAVE_UP, parent, "Not attempted: "
                                + skipped.stream().map(MaintenanceAction::description).collect(Collectors.joining("; "))
                                + ". PostgreSQL detaches one partition of " + parent + " concurrently at a time, and the detach of "
                                + unfinished.partition() + " did not finish (above). Fix: run maintenance again once it can; it "
                                + "finishes " + unfinished.partition() + " first, then these."));
                    }
                    findings.addAll(findingsAt, current.plan().findings().stream().filter(f -> f.table().equals(parent))
                            .filter(f -> !resolved(f, applied)).toList());
                } catch (Session.ConnectionLost e) {
                    lost = true;
                    List<String> left = new ArrayList<>();
                    actions.stream().skip(started).map(MaintenanceAction::description).forEach(left::add);
                    parents.stream().skip(t + 1).forEach(other -> byTable.get(other).forEach(a -> left.add(a.description())));
                    findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.FAILED, parent, "The run stopped: its connection "
                            + "was lost (" + e.getMessage().trim() + ", SQLSTATE " + e.sqlCause().getSQLState() + ") after "
                            + applied.size() + " action" + (applied.size() == 1 ? "" : "s") + " done. "
                            + (left.isEmpty() ? "" : "Not attempted: " + String.join("; ", left) + ". ")
                            + "Fix: run maintenance again; it carries on from the state the database is in."));
                    return new MaintenanceResult(now, applied, findings);
                } finally {
                    if (!lost) {
                        session.unlockTable(parent);
                    }
                }
            }
            session.close();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Maintenance could not use its connection: "
                    + e.getMessage() + ". Actions already done: " + applied.size() + ".", e);
        }
        return new MaintenanceResult(now, applied, findings);
    }

    /** Whether a finding about the state before the run is answered by an action that ran. */
    private static boolean resolved(MaintenanceFinding finding, List<MaintenanceResult.Applied> applied) {
        boolean state = finding.kind() == MaintenanceFinding.Kind.DETACH_PENDING
                || finding.kind() == MaintenanceFinding.Kind.RETENTION_UNFINISHED;
        return state && finding.partition().isPresent()
                && applied.stream().anyMatch(done -> done.action().partition().equals(finding.partition().get()));
    }

    /**
     * The policies of tables that have findings but nothing to do and whose partitions changed while they were
     * planned: the plan's catalog reads are separate statements, and another run committing between them makes a
     * partition it just attached look like a stranger of the same name. Such a table is planned again under its lock.
     */
    private static List<MaintenancePolicy> racedWhilePlanned(Connection connection, Planned planned, Set<TableName> withActions,
                                                             Map<TableName, String> before) {
        Set<TableName> withFindings = planned.plan().findings().stream().map(MaintenanceFinding::table)
                .filter(table -> !withActions.contains(table)).collect(Collectors.toSet());
        List<MaintenancePolicy> suspects = planned.policies().entrySet().stream()
                .filter(entry -> withFindings.contains(entry.getKey())).map(Map.Entry::getValue).toList();
        if (suspects.isEmpty()) {
            return List.of();
        }
        Map<TableName, String> after = partitionStates(connection, suspects);
        return suspects.stream().filter(policy -> !Objects.equals(before.get(policy.table()), after.get(policy.table()))).toList();
    }

    /**
     * The actions of one table in the transactions they run in. Without a default partition, an ATTACH locks nothing
     * that inserts or queries wait for (SHARE UPDATE EXCLUSIVE on the parent, the new table itself), so consecutive
     * creations share a transaction, up to {@value #CREATIONS_PER_TRANSACTION}; with one, each ATTACH also locks the
     * default partition (ACCESS EXCLUSIVE) and every action keeps its own short transaction.
     */
    static List<List<MaintenanceAction>> batches(List<MaintenanceAction> actions, boolean noDefaultPartition) {
        List<List<MaintenanceAction>> batches = new ArrayList<>();
        List<MaintenanceAction> current = new ArrayList<>();
        for (MaintenanceAction action : actions) {
            boolean joins = noDefaultPartition && action.kind() == MaintenanceAction.Kind.CREATE && action.inTransaction();
            if (joins && !current.isEmpty() && current.size() < CREATIONS_PER_TRANSACTION) {
                current.add(action);
                continue;
            }
            if (!current.isEmpty()) {
                batches.add(current);
            }
            current = new ArrayList<>(List.of(action));
            if (!joins) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /**
     * What monitoring should know at {@code now}: every finding of the plan (partitions missing for the horizon among
     * them) plus a {@link MaintenanceFinding.Kind#DEFAULT_HAS_ROWS} finding for each default partition holding rows.
     */
    public List<MaintenanceFinding> check(Connection connection, Instant now) {
        Planned planned = plan(connection, now, policies);
        List<MaintenanceFinding> findings = new ArrayList<>(planned.plan().findings());
        findings.addAll(defaultPartitionRows(connection, planned.snapshot().allPartitionedTables()));
        return findings;
    }

    /**
     * A {@link MaintenanceFinding.Kind#DEFAULT_HAS_ROWS} finding for each of the tables' default partitions that holds
     * rows, with the fix that works for its table: a range table's rows are rescued by maintenance with
     * {@link MaintenancePolicy#withDefaultRescued} (except those with a null or infinite key, which are counted apart);
     * a list table's need partitions declared for their values, which are named (up to {@value #VALUES_SHOWN}). One
     * statement per default partition, two for a list one holding rows.
     */
    public static List<MaintenanceFinding> defaultPartitionRows(Connection connection, Collection<PartitionedTable> tables) {
        List<MaintenanceFinding> findings = new ArrayList<>();
        for (PartitionedTable table : tables) {
            table.defaultPartition().ifPresent(partition -> {
                String column = table.key().size() == 1 && !table.key().hasExpressions() ? table.key().parts().get(0).column() : null;
                long[] rows = countRows(connection, partition.name(), table.strategy() == PartitionStrategy.RANGE ? column : null,
                        table.key().size() == 1 ? table.key().parts().get(0).type().kind() : null);
                if (rows[0] == 0) {
                    return;
                }
                String held = "Default partition " + partition.name() + " of " + table.name() + " holds " + rows[0] + " row"
                        + (rows[0] == 1 ? "" : "s") + ": their keys have no partition of their own";
                String fix;
                if (table.strategy() == PartitionStrategy.RANGE && column != null) {
                    held += rows[1] == 0 ? "" : " (" + rows[1] + " with a null or infinite key, which only a default partition holds)";
                    fix = rows[1] == rows[0] ? "give those rows a key, or leave them in the default partition"
                            : "run maintenance with the default partition rescued (pgpartition maintain --rescue-default, or "
                            + "MaintenancePolicy.withDefaultRescued(true)), which creates a partition for every period holding "
                            + "rows there and moves the rows into it";
                } else if (table.strategy() == PartitionStrategy.LIST && column != null) {
                    held += " (values " + distinctValues(connection, partition.name(), column) + ")";
                    fix = "declare a partition for those values (@ListPartition, or pgpartition maintain --list NAME=VALUE,...) "
                            + "and run maintenance, which moves the rows into it";
                } else {
                    fix = "create partitions for their keys, then move the rows into them";
                }
                findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.DEFAULT_HAS_ROWS, table.name(), partition.name(),
                        held + ". Fix: " + fix + "."));
            });
        }
        return findings;
    }

    /** How many of a list default partition's distinct values a finding names. */
    static final int VALUES_SHOWN = 10;

    /**
     * What interrupted maintenance left anywhere in the database, found in two statements: a
     * {@link MaintenanceFinding.Kind#DETACH_PENDING} finding per partition left detach pending, and a
     * {@link MaintenanceFinding.Kind#RETENTION_UNFINISHED} finding per table that retention detached and did not drop
     * or archive. {@link #check} reports these for its own tables; this is for monitoring without policies.
     */
    public static List<MaintenanceFinding> interrupted(Connection connection) {
        List<MaintenanceFinding> findings = new ArrayList<>();
        try {
            Catalog.pendingDetaches(connection).forEach(pending -> findings.add(Planner.pendingFinding(pending.parent(),
                    pending.partition(), pending.bound())));
            leftovers(connection).forEach(leftover -> findings.add(Planner.leftoverFinding(leftover)));
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot look for interrupted maintenance: " + e.getMessage(), e);
        }
        return findings;
    }

    /** The plain tables carrying a {@link RetentionMark}: detached by retention, their drop or archive not done. */
    private static List<Planner.Leftover> leftovers(Connection connection) throws SQLException {
        List<Planner.Leftover> leftovers = new ArrayList<>();
        for (Catalog.Commented commented : Catalog.plainTablesCommented(connection, RetentionMark.PREFIX)) {
            RetentionMark.parse(commented.comment()).ifPresent(mark -> leftovers.add(new Planner.Leftover(commented.table(),
                    mark, RetentionMark.heldBound(commented.comment()))));
        }
        return leftovers;
    }

    /**
     * Every table in the database that retention took out of a partitioned table and that still exists (left detach
     * pending, detached and marked, detached to be kept, archived), in two statements.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public static List<RetiredPartition> retired(Connection connection) {
        List<RetiredPartition> retired = new ArrayList<>();
        try {
            Catalog.pendingDetaches(connection).forEach(pending -> retired.add(new RetiredPartition(pending.partition(),
                    pending.parent(), RetiredPartition.State.DETACH_PENDING, pending.bound())));
            for (Catalog.Commented commented : Catalog.plainTablesCommented(connection, "pgpartition retention: ")) {
                String comment = commented.comment();
                String bound = RetentionMark.heldBound(comment);
                RetentionMark.parse(comment).ifPresent(mark -> retired.add(new RetiredPartition(commented.table(), mark.parent(),
                        mark.expiry() == Expiry.DROP ? RetiredPartition.State.DETACHED_TO_DROP
                                : RetiredPartition.State.DETACHED_TO_ARCHIVE, bound)));
                RetentionMark.archivedFrom(comment).ifPresent(parent -> retired.add(new RetiredPartition(commented.table(),
                        parent, RetiredPartition.State.ARCHIVED, bound)));
                RetentionMark.detachedFrom(comment).ifPresent(parent -> retired.add(new RetiredPartition(commented.table(),
                        parent, RetiredPartition.State.DETACHED, bound)));
            }
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the retired partitions: " + e.getMessage(), e);
        }
        return retired;
    }

    /** A plan, the policy of each parent table it names (by its schema-qualified name), and the catalog it read. */
    private record Planned(MaintenancePlan plan, Map<TableName, MaintenancePolicy> policies, CatalogSnapshot snapshot) {
    }

    private Planned plan(Connection connection, Instant now, List<MaintenancePolicy> chosen) {
        try {
            CatalogSnapshot snapshot = reader.readLayouts(connection, chosen.stream().map(MaintenancePolicy::table).toList());
            List<MaintenanceFinding> findings = new ArrayList<>();
            List<Planner.Draft> drafts = new ArrayList<>();
            for (MaintenancePolicy policy : chosen) {
                Object current = null;
                boolean numeric = policy.range().map(r -> r.interval() instanceof NumericInterval).orElse(false);
                if (numeric && snapshot.partitionedTable(policy.table()).isPresent()) {
                    current = greatestKey(connection, snapshot.partitionedTable(policy.table()).get());
                }
                List<Object> rescued = List.of();
                if (policy.rescueDefault() && policy.range().isPresent() && snapshot.partitionedTable(policy.table()).isPresent()) {
                    rescued = defaultPeriods(connection, snapshot.partitionedTable(policy.table()).get(), policy, findings);
                }
                Planner.draft(policy, snapshot, now, current, rescued, findings).ifPresent(drafts::add);
            }
            Planner.Facts facts = facts(connection, drafts);
            boolean concurrentDetach = snapshot.server().major() >= 14;
            List<MaintenanceAction> actions = new ArrayList<>();
            Map<TableName, MaintenancePolicy> byParent = new HashMap<>();
            for (Planner.Draft draft : drafts) {
                actions.addAll(Planner.actions(draft, facts, concurrentDetach));
                findings.addAll(draft.findings());
                byParent.put(draft.parent(), draft.policy());
            }
            return new Planned(new MaintenancePlan(now, actions, findings, options), byParent, snapshot);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan partition maintenance: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the database what the drafts need to know: names in use, leftovers of interrupted retention and pending
     * detaches (one statement each, whatever the number of tables), and for a draft that retires or creates
     * partitions, the references, privileges, guard triggers and columns that concern it.
     */
    private Planner.Facts facts(Connection connection, List<Planner.Draft> drafts) throws SQLException {
        List<Planner.Leftover> leftovers = leftovers(connection);
        Set<TableName> pending = new HashSet<>();
        Catalog.pendingDetaches(connection).forEach(p -> pending.add(p.partition()));
        List<TableName> names = drafts.stream().flatMap(d -> Planner.namesToCheck(d, leftovers).stream()).toList();
        List<TableName> expired = drafts.stream().flatMap(d -> d.expired().stream().map(Partition::name)).toList();
        Set<TableName> existing = Catalog.existing(connection, names);
        Map<TableName, List<String>> references = Catalog.referencedBy(connection, expired);
        Map<TableName, List<String>> columns = new HashMap<>();
        for (Planner.Draft draft : drafts) {
            if (!draft.wanted().isEmpty() && draft.layout().defaultPartition().isPresent()) {
                columns.put(draft.parent(), Catalog.insertableColumns(connection, draft.parent()));
            }
        }
        Set<TableName> parents = drafts.stream().map(Planner.Draft::parent).collect(Collectors.toSet());
        List<Planner.Leftover> ours = leftovers.stream().filter(l -> parents.contains(l.mark().parent())).toList();
        List<TableName> retiring = new ArrayList<>(expired);
        drafts.forEach(d -> d.layout().partitions().stream().map(Partition::name).filter(pending::contains).forEach(retiring::add));
        ours.forEach(l -> retiring.add(l.table()));
        Planner.Access access = Planner.Access.UNCHECKED;
        if (!retiring.isEmpty()) {
            Set<String> schemas = new java.util.TreeSet<>();
            drafts.forEach(d -> schemas.add(d.archiveSchema()));
            ours.forEach(l -> l.mark().archiveSchema().ifPresent(schemas::add));
            Catalog.SchemaAccess granted = Catalog.schemaAccess(connection, schemas);
            access = new Planner.Access(granted.role(), granted.createsSchema(), granted.schemas(), Catalog.notOwned(connection, retiring));
        }
        List<TableName> changing = drafts.stream().filter(d -> !d.wanted().isEmpty() || !d.expired().isEmpty() || d.createDefault()
                        || ours.stream().anyMatch(l -> l.mark().parent().equals(d.parent())))
                .map(Planner.Draft::parent).toList();
        Set<TableName> guarded = Catalog.withTrigger(connection, changing, GuardSql.KEY_TRIGGER, GuardSql.WRITE_TRIGGER);
        return new Planner.Facts(existing, references, pending, columns, guarded, access, leftovers);
    }

    /** The partition state of each policy's table (see {@link Catalog#partitionStates}), by the name the policy gives. */
    private static Map<TableName, String> partitionStates(Connection connection, List<MaintenancePolicy> chosen) {
        try {
            return Catalog.partitionStates(connection, chosen.stream().map(MaintenancePolicy::table).toList());
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan partition maintenance: " + e.getMessage(), e);
        }
    }

    /**
     * One key of every period of the policy's interval that holds rows in the table's default partition, in key order:
     * the least key, then the least key at or after the end of its period, and so on (a statement per period, at most
     * {@link Planner#MAX_FILL_PERIODS}). Rows whose key is null or infinite belong to no period and are not looked at.
     * Empty when the table has no default partition or a key range maintenance does not step through (the draft
     * reports that).
     */
    private static List<Object> defaultPeriods(Connection connection, PartitionedTable table, MaintenancePolicy policy,
                                               List<MaintenanceFinding> findings) throws SQLException {
        Optional<Partition> defaultPartition = table.defaultPartition();
        RangePolicy range = policy.range().orElseThrow();
        if (defaultPartition.isEmpty() || table.strategy() != PartitionStrategy.RANGE || table.key().size() != 1
                || table.key().hasExpressions()) {
            return List.of();
        }
        KeyPart key = table.key().parts().get(0);
        if (!Periods.fits(range, key.type())) {
            return List.of();
        }
        ValueKind kind = key.type().kind();
        boolean time = range.interval().isTime();
        String column = Sql.identifier(key.column());
        String least = "SELECT min(" + column + ") FROM " + Sql.table(defaultPartition.get().name()) + " WHERE "
                + (time ? "isfinite(" + column + ")" : kind == ValueKind.NUMERIC ? NUMERIC_FINITE.formatted(column) : "TRUE");
        List<Object> keys = new ArrayList<>();
        Object after = null;
        while (true) {
            Object value;
            try (PreparedStatement statement = connection.prepareStatement(
                    after == null ? least : least + " AND " + column + " >= " + Sql.literal(after));
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                value = switch (kind) {
                    case DATE -> rs.getObject(1, LocalDate.class);
                    case TIMESTAMP -> rs.getObject(1, LocalDateTime.class);
                    case TIMESTAMPTZ -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null);
                    default -> rs.getObject(1);
                };
            }
            if (value == null) {
                return keys;
            }
            if (keys.size() == Planner.MAX_FILL_PERIODS) {
                findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.DEFAULT_HAS_ROWS, table.name(), defaultPartition.get().name(),
                        "Default partition " + defaultPartition.get().name() + " of " + table.name() + " holds rows in more than "
                                + Planner.MAX_FILL_PERIODS + " periods of " + range.interval() + "; partitions are made for the first "
                                + Planner.MAX_FILL_PERIODS + " (up to " + Sql.literal(after) + ") and the rest stay. Fix: run "
                                + "maintenance again to rescue the next periods, or create partitions for them yourself."));
                return keys;
            }
            keys.add(value);
            after = Planner.periodEnd(range, key.type(), table.name(), value);
        }
    }

    /** A numeric value that is a number: not NaN and (PostgreSQL 14 and later) not infinite. */
    private static final String NUMERIC_FINITE = "%1$s NOT IN ('NaN', 'Infinity', '-Infinity')";

    /**
     * The table's greatest finite key value (an index scan per partition), or null when it holds no rows: a numeric NaN
     * or infinity sorts above every number and steps through no interval.
     */
    private static Object greatestKey(Connection connection, PartitionedTable table) throws SQLException {
        KeyPart key = table.key().parts().get(0);
        if (key.column() == null) {
            return null;
        }
        String column = Sql.identifier(key.column());
        try (PreparedStatement statement = connection.prepareStatement("SELECT max(" + column + ") FROM " + Sql.table(table.name())
                + (key.type().kind() == ValueKind.NUMERIC ? " WHERE " + NUMERIC_FINITE.formatted(column) : ""));
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getObject(1);
        }
    }

    /**
     * The rows of a partition and, when {@code rangeColumn} is given, how many of them have a null key or (for a time
     * key) an infinite one.
     */
    private static long[] countRows(Connection connection, TableName table, String rangeColumn, ValueKind kind) {
        String unplaceable = "0";
        if (rangeColumn != null) {
            String column = Sql.identifier(rangeColumn);
            boolean time = kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMPTZ;
            unplaceable = "count(*) FILTER (WHERE " + column + " IS NULL" + (time ? " OR NOT isfinite(" + column + ")" : "") + ")";
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*), " + unplaceable + " FROM " + Sql.table(table));
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot count the rows of " + table + ": " + e.getMessage(), e);
        }
    }

    /** Up to {@link #VALUES_SHOWN} distinct values of a column of a partition, as literals, with "..." when there are more. */
    private static String distinctValues(Connection connection, TableName table, String column) {
        String quoted = Sql.identifier(column);
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT " + quoted + "::text FROM "
                + Sql.table(table) + " ORDER BY 1 LIMIT " + (VALUES_SHOWN + 1));
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1) == null ? "NULL" : Sql.literal(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the values of " + table + ": " + e.getMessage(), e);
        }
        return values.size() > VALUES_SHOWN ? String.join(", ", values.subList(0, VALUES_SHOWN)) + ", ..." : String.join(", ", values);
    }
}
