package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.ErrorCode;
import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.PartitioningException;
import io.pgpartition.ProblemCode;
import io.pgpartition.guard.GuardState;
import io.pgpartition.guard.ServerGuard;
import io.pgpartition.hibernate.ServerGuardMode;
import io.pgpartition.model.TableName;
import io.pgpartition.validation.EntityMapping;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pgpartition.server_guard=verify|install} once the session factory is built: verifies the server guard of the
 * partitioned entities' tables, or completes it.
 */
final class ServerGuardAtStartup implements SessionFactoryObserver {

    private static final Logger LOG = LoggerFactory.getLogger(ServerGuardAtStartup.class);

    private final ServerGuardMode mode;
    private final List<EntityMapping> entities;

    ServerGuardAtStartup(ServerGuardMode mode, List<EntityMapping> entities) {
        this.mode = mode;
        this.entities = List.copyOf(entities);
    }

    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        List<TableName> tables = entities.stream().map(EntityMapping::table).distinct().toList();
        ServerGuard guard = new ServerGuard();
        try {
            BootstrapConnections.use(((SessionFactoryImplementor) factory).getJdbcServices().getBootstrapJdbcConnectionAccess(),
                    connection -> {
                        GuardState state = guard.read(connection, tables);
                        if (mode == ServerGuardMode.INSTALL) {
                            List<String> statements = guard.installStatements(state);
                            guard.run(connection, statements);
                            LOG.info("pgpartition: server guard of {} complete ({} statements run)", tables, statements.size());
                        }
                        List<MappingProblem> problems = new ArrayList<>();
                        for (GuardState.Refused refused : state.refused()) {
                            problems.add(new MappingProblem(ProblemCode.SERVER_GUARD_MISSING, entityOf(refused.name()),
                                    refused.name().toString(), refused.reason() + " Fix: set pgpartition.server_guard=none."));
                        }
                        for (GuardState.Root root : state.roots()) {
                            String entity = entityOf(root.name());
                            for (GuardState.Gap gap : root.gaps()) {
                                if (mode == ServerGuardMode.INSTALL && !gap.repair().isEmpty()) {
                                    continue;
                                }
                                problems.add(new MappingProblem(ProblemCode.SERVER_GUARD_MISSING, entity, root.name().toString(),
                                        gap.problem() + (gap.repair().isEmpty() ? "" : "; found no server guard there, expected one. "
                                                + "Fix: pgpartition guard install --table " + root.name() + ", or pgpartition.server_guard=install")));
                            }
                        }
                        if (!problems.isEmpty()) {
                            throw new PartitionMappingException(problems);
                        }
                        return null;
                    });
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot " + mode + " the server guard of " + tables
                    + ": " + e.getMessage() + ". Check the connection and the role's privileges, or set pgpartition.server_guard=none.", e);
        }
    }

    private String entityOf(TableName table) {
        return entities.stream().filter(e -> table.name().equals(e.table().name())).map(EntityMapping::entity).findFirst()
                .orElse(table.name());
    }
}
