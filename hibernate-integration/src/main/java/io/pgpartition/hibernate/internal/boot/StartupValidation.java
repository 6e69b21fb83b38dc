package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.ErrorCode;
import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.PartitioningException;
import io.pgpartition.ProblemCode;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.hibernate.UnprunedStatementsMode;
import io.pgpartition.hibernate.ValidationMode;
import io.pgpartition.hibernate.internal.jdbc.PartitionLayouts;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.pruning.GenericPlans;
import io.pgpartition.validation.EntityMapping;
import io.pgpartition.validation.MappingValidator;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates the partitioned entities once the session factory is built, which is after Hibernate created or
 * updated the schema. Reads the catalog once, through Hibernate's own connection access, with a fixed number of
 * queries whatever the number of entities.
 */
final class StartupValidation implements SessionFactoryObserver {

    private static final Logger LOG = LoggerFactory.getLogger(StartupValidation.class);

    private final ValidationMode mode;
    private final List<EntityMapping> entities;
    private final Clock clock;
    private final PartitionLayouts layouts;
    /** Problems the mapping shows without the catalog, reported with the others. */
    private final List<MappingProblem> mappingProblems;
    /** What the unpruned-statement sentinel does, and the mappings it finds that always scan every partition. */
    private final UnprunedStatementsMode pruning;
    private final List<MappingProblem> pruningProblems;

    StartupValidation(ValidationMode mode, List<EntityMapping> entities, Clock clock, PartitionLayouts layouts,
                      List<MappingProblem> mappingProblems, UnprunedStatementsMode pruning, List<MappingProblem> pruningProblems) {
        this.mode = mode;
        this.entities = List.copyOf(entities);
        this.clock = clock;
        this.layouts = layouts;
        this.mappingProblems = List.copyOf(mappingProblems);
        this.pruning = pruning;
        this.pruningProblems = List.copyOf(pruningProblems);
    }

    /**
     * Validates (unless {@code pgpartition.validation=none}) and, with {@code pgpartition.unpruned_statements} on, adds
     * the mappings and the {@code plan_cache_mode} that scan every partition: under {@code fail} they join validation's
     * report (thrown with it under {@code pgpartition.validation=fail}), under {@code log} they are logged.
     */
    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        Read read = read((SessionFactoryImplementor) factory, new MappingValidator(clock));
        List<MappingProblem> thrown = new ArrayList<>();
        List<MappingProblem> logged = new ArrayList<>();
        if (mode != ValidationMode.NONE) {
            CatalogSnapshot snapshot = read.snapshot();
            layouts.seed(snapshot, entities.stream().map(EntityMapping::table).distinct().toList());
            MappingValidator validator = new MappingValidator(clock, read.connectionOptions());
            List<MappingProblem> problems = new ArrayList<>(validator.validate(entities, snapshot));
            problems.addAll(mappingProblems);
            (mode == ValidationMode.FAIL ? thrown : logged).addAll(problems);
            if (problems.isEmpty()) {
                LOG.debug("pgpartition validated {} partitioned entities against {}", entities.size(), snapshot.server());
            }
        }
        if (pruning != UnprunedStatementsMode.OFF) {
            List<MappingProblem> problems = new ArrayList<>();
            // a policy or a rule may add the key condition a query's text lacks: its query is not reported
            pruningProblems.stream().filter(problem -> problem.code() != ProblemCode.QUERY_WITHOUT_KEY
                    || !read.rewritten().contains(problem.table())).forEach(problems::add);
            read.genericPlans().ifPresent(message -> problems.add(new MappingProblem(ProblemCode.GENERIC_PLANS_FORCED,
                    "(every entity)", "(database " + read.database() + ")", message)));
            (pruning == UnprunedStatementsMode.FAIL && mode == ValidationMode.FAIL ? thrown : logged).addAll(problems);
        }
        for (MappingProblem problem : logged) {
            LOG.warn("{}", problem);
        }
        if (!thrown.isEmpty()) {
            throw new PartitionMappingException(thrown);
        }
    }

    /**
     * What validation reads: the catalog, and how pgpartition's command line reaches the same database; for the
     * sentinel, the database's name, its {@code plan_cache_mode} problem, and the mapped tables with row-level security
     * or rules (as written in the mapping).
     */
    private record Read(CatalogSnapshot snapshot, List<String> connectionOptions, String database,
                        Optional<String> genericPlans, Set<String> rewritten) {
    }

    /** The mapped tables (as the mapping writes them) with row-level security enabled or rules, in one query. */
    private Set<String> rewritten(Connection connection) throws SQLException {
        Set<String> tables = new HashSet<>();
        List<String> names = entities.stream().map(entity -> Sql.table(entity.table())).toList();
        try (PreparedStatement statement = connection.prepareStatement("SELECT t.i::int FROM ROWS FROM "
                + "(pg_catalog.unnest(?::text[])) WITH ORDINALITY AS t(name, i) JOIN pg_catalog.pg_class c "
                + "ON c.oid = pg_catalog.to_regclass(t.name) WHERE c.relrowsecurity OR c.relhasrules")) {
            statement.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tables.add(entities.get(rs.getInt(1) - 1).table().toString());
                }
            }
        }
        return tables;
    }

    /**
     * One focused read (only the partitions expected to hold the current time, for range tables with a period
     * naming), then a full read of the tables that read did not settle: two reads at most, whatever the number of
     * entities and partitions.
     */
    private Read read(SessionFactoryImplementor factory, MappingValidator validator) {
        try {
            return BootstrapConnections.use(factory.getJdbcServices().getBootstrapJdbcConnectionAccess(), connection -> {
                CatalogSnapshot snapshot = null;
                if (mode != ValidationMode.NONE) {
                    CatalogReader reader = new CatalogReader();
                    snapshot = reader.read(connection, MappingValidator.tablesToRead(entities), validator.focus(entities));
                    List<io.pgpartition.model.TableName> unsettled = validator.needingCompleteLayout(entities, snapshot);
                    snapshot = unsettled.isEmpty() ? snapshot : snapshot.withLayoutsFrom(reader.read(connection, unsettled));
                }
                java.sql.DatabaseMetaData database = connection.getMetaData();
                Optional<String> genericPlans = Optional.empty();
                Set<String> rewritten = Set.of();
                if (pruning != UnprunedStatementsMode.OFF) {
                    genericPlans = GenericPlans.forced(connection);
                    rewritten = pruningProblems.stream().anyMatch(p -> p.code() == ProblemCode.QUERY_WITHOUT_KEY)
                            ? rewritten(connection) : Set.of();
                }
                return new Read(snapshot, ShellWords.connectionOptions(database.getURL(), database.getUserName()),
                        connection.getCatalog(), genericPlans, rewritten);
            });
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot validate partitioned entities: no connection to the database (" + e.getMessage()
                            + "). Check the connection settings, or set pgpartition.validation=none.", e);
        }
    }
}
