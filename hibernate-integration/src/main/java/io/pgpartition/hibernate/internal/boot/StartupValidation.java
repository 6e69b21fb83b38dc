package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.hibernate.internal.jdbc.PartitionLayouts;
import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.PartitioningException;
import io.pgpartition.ErrorCode;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.hibernate.ValidationMode;
import io.pgpartition.validation.EntityMapping;
import io.pgpartition.validation.MappingValidator;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

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

    StartupValidation(ValidationMode mode, List<EntityMapping> entities, Clock clock, PartitionLayouts layouts,
                      List<MappingProblem> mappingProblems) {
        this.mode = mode;
        this.entities = List.copyOf(entities);
        this.clock = clock;
        this.layouts = layouts;
        this.mappingProblems = List.copyOf(mappingProblems);
    }

    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        Read read = read((SessionFactoryImplementor) factory, new MappingValidator(clock));
        CatalogSnapshot snapshot = read.snapshot();
        layouts.seed(snapshot, MappingValidator.tablesToRead(entities));
        MappingValidator validator = new MappingValidator(clock, read.connectionOptions());
        List<MappingProblem> problems = new java.util.ArrayList<>(validator.validate(entities, snapshot));
        problems.addAll(mappingProblems);
        if (problems.isEmpty()) {
            LOG.debug("pgpartition validated {} partitioned entities against {}", entities.size(), snapshot.server());
            return;
        }
        if (mode == ValidationMode.FAIL) {
            throw new PartitionMappingException(problems);
        }
        for (MappingProblem problem : problems) {
            LOG.warn("{}", problem);
        }
    }

    /** What validation reads: the catalog, and how pgpartition's command line reaches the same database. */
    private record Read(CatalogSnapshot snapshot, List<String> connectionOptions) {
    }

    /**
     * One focused read (only the partitions expected to hold the current time, for range tables with a period
     * naming), then a full read of the tables that read did not settle: two reads at most, whatever the number of
     * entities and partitions.
     */
    private Read read(SessionFactoryImplementor factory, MappingValidator validator) {
        try {
            return BootstrapConnections.use(factory.getJdbcServices().getBootstrapJdbcConnectionAccess(), connection -> {
                CatalogReader reader = new CatalogReader();
                CatalogSnapshot snapshot = reader.read(connection, MappingValidator.tablesToRead(entities), validator.focus(entities));
                List<io.pgpartition.model.TableName> unsettled = validator.needingCompleteLayout(entities, snapshot);
                java.sql.DatabaseMetaData database = connection.getMetaData();
                return new Read(unsettled.isEmpty() ? snapshot : snapshot.withLayoutsFrom(reader.read(connection, unsettled)),
                        ShellWords.connectionOptions(database.getURL(), database.getUserName()));
            });
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot validate partitioned entities: no connection to the database (" + e.getMessage()
                            + "). Check the connection settings, or set pgpartition.validation=none.", e);
        }
    }
}
